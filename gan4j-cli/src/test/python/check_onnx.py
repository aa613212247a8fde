"""Runs ONNX's own checker (with shape inference) on models written by `gan4j export`.

    apt-get install python3-onnx
    /usr/bin/python3 gan4j-cli/src/test/python/check_onnx.py G.onnx [more.onnx ...]
"""

import sys

import onnx


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    for path in sys.argv[1:]:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
        out = inferred.graph.output[0].type.tensor_type.shape.dim
        shape = [d.dim_param or d.dim_value for d in out]
        print(f"{path}: valid (onnx {onnx.__version__}, opset {model.opset_import[0].version}), output {shape}")


if __name__ == "__main__":
    main()
