package org.gan4j.export;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gan4j.cli.onnx.Onnx.AttributeProto;
import org.gan4j.cli.onnx.Onnx.GraphProto;
import org.gan4j.cli.onnx.Onnx.ModelProto;
import org.gan4j.cli.onnx.Onnx.NodeProto;
import org.gan4j.cli.onnx.Onnx.OperatorSetIdProto;
import org.gan4j.cli.onnx.Onnx.StringStringEntryProto;
import org.gan4j.cli.onnx.Onnx.TensorProto;
import org.gan4j.cli.onnx.Onnx.TensorShapeProto;
import org.gan4j.cli.onnx.Onnx.TypeProto;
import org.gan4j.cli.onnx.Onnx.ValueInfoProto;
import org.gan4j.gan.Generator;
import org.gan4j.nn.BatchNorm;
import org.gan4j.nn.ConvTranspose2d;
import org.gan4j.nn.Embedding;
import org.gan4j.nn.LeakyReLU;
import org.gan4j.nn.Linear;
import org.gan4j.nn.Module;
import org.gan4j.nn.ReLU;
import org.gan4j.nn.Sequential;
import org.gan4j.nn.Sigmoid;
import org.gan4j.nn.Tanh;
import org.gan4j.nn.Unflatten;
import org.gan4j.tensor.Tensor;

/**
 * A generator as an ONNX model (opset 17, inference only): input "z" [batch, latent] (and
 * "label" [batch] int64 for a conditional generator), output "images" [batch, ...sample shape].
 * Each layer becomes the ONNX operator that computes the same thing: Linear → Gemm,
 * BatchNorm → BatchNormalization with the running statistics, ConvTranspose2d → ConvTranspose,
 * Unflatten → Reshape, the label embedding → Gather, joined to z by Concat. Weights keep their
 * state-dictionary names.
 */
public final class OnnxExport {
    public static final int OPSET = 17;
    private static final int IR_VERSION = 8;   // the IR version of opset 17
    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    private static final int INT64 = TensorProto.DataType.INT64_VALUE;

    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("generator");
    private int counter;

    private OnnxExport() {
    }

    /** The model for {@code g}, which should be in evaluation mode (its BatchNorms use running statistics). */
    public static ModelProto of(Generator g, String description, String version) {
        OnnxExport e = new OnnxExport();
        e.graph.addInput(valueInfo("z", FLOAT, -1, g.latentDim()));
        String x = "z";
        Module label = g.children().get("label");
        if (label instanceof Embedding emb) {
            e.graph.addInput(valueInfo("label", INT64, -1));
            String table = e.initializer("label.weight", emb.weight());
            String embedded = e.node("Gather", List.of(table, "label"), List.of(), "label");
            x = e.node("Concat", List.of(x, embedded), List.of(intAttr("axis", 1)), "join");
        }
        x = e.layer(g.children().get("main"), "main", x);
        long[] shape = batchOf(g.outputShape());
        e.graph.addNode(NodeProto.newBuilder().setOpType("Reshape").setName("images")
                .addInput(x).addInput(e.constant("images.shape", shape)).addOutput("images"));
        e.graph.addOutput(valueInfo("images", FLOAT, shape));
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("gan4j")
                .setProducerVersion(version)
                .setDocString(description)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("classes").setValue(Integer.toString(g.classes())))
                .setGraph(e.graph)
                .build();
    }

    /** Appends the nodes of one module reading {@code x}; returns the name of its output. */
    private String layer(Module m, String path, String x) {
        return switch (m) {
            case Sequential s -> {
                for (var c : s.children().entrySet()) x = layer(c.getValue(), path + "." + c.getKey(), x);
                yield x;
            }
            case Linear l -> node("Gemm", withBias(List.of(x, initializer(path + ".weight", l.weight())), l.bias(), path),
                    List.of(intAttr("transB", 1)), path);
            case ConvTranspose2d c -> {
                int k = c.weight().size(2), p = c.padding();
                yield node("ConvTranspose", withBias(List.of(x, initializer(path + ".weight", c.weight())), c.bias(), path),
                        List.of(intsAttr("kernel_shape", k, k), intsAttr("strides", c.stride(), c.stride()),
                                intsAttr("pads", p, p, p, p), intsAttr("output_padding", c.outputPadding(), c.outputPadding())), path);
            }
            case BatchNorm b -> {
                int n = b.runningMean().numel();
                String scale = b.weight() != null ? initializer(path + ".weight", b.weight()) : initializer(path + ".weight", Tensor.full(1f, n));
                String shift = b.bias() != null ? initializer(path + ".bias", b.bias()) : initializer(path + ".bias", Tensor.zeros(n));
                yield node("BatchNormalization", List.of(x, scale, shift, initializer(path + ".running_mean", b.runningMean()),
                        initializer(path + ".running_var", b.runningVar())), List.of(floatAttr("epsilon", BatchNorm.EPS)), path);
            }
            case ReLU r -> node("Relu", List.of(x), List.of(), path);
            case LeakyReLU r -> node("LeakyRelu", List.of(x), List.of(floatAttr("alpha", r.slope())), path);
            case Tanh t -> node("Tanh", List.of(x), List.of(), path);
            case Sigmoid s -> node("Sigmoid", List.of(x), List.of(), path);
            case Unflatten u -> node("Reshape", List.of(x, constant(path + ".shape", batchOf(u.shape()))), List.of(), path);
            default -> throw new IllegalArgumentException("ONNX export: layer " + path + " (" + m.typeName() + ") has no ONNX form in gan4j yet");
        };
    }

    /** [-1, ...sample]: a reshape target (and a value shape) with the batch size left open. */
    private static long[] batchOf(int[] sample) {
        long[] shape = new long[sample.length + 1];
        shape[0] = -1;
        for (int i = 0; i < sample.length; i++) shape[i + 1] = sample[i];
        return shape;
    }

    private List<String> withBias(List<String> inputs, Tensor bias, String path) {
        if (bias == null) return inputs;
        List<String> all = new ArrayList<>(inputs);
        all.add(initializer(path + ".bias", bias));
        return all;
    }

    private String node(String op, List<String> inputs, List<AttributeProto> attributes, String name) {
        String out = name + "_" + op + "_" + counter++;
        graph.addNode(NodeProto.newBuilder().setOpType(op).setName(out).addAllInput(inputs).addOutput(out).addAllAttribute(attributes));
        return out;
    }

    private String initializer(String name, Tensor t) {
        float[] v = t.toArray();
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        TensorProto.Builder p = TensorProto.newBuilder().setName(name).setDataType(FLOAT).setRawData(ByteString.copyFrom(b.array()));
        for (int d : t.shape()) p.addDims(d);
        graph.addInitializer(p);
        return name;
    }

    private String constant(String name, long[] values) {
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(INT64).addDims(values.length)
                .addAllInt64Data(Arrays.stream(values).boxed().toList()));
        return name;
    }

    /** A tensor value's type; a dimension of -1 is the symbolic batch size. */
    private static ValueInfoProto valueInfo(String name, int elemType, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape)))
                .build();
    }

    private static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto floatAttr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    private static AttributeProto intsAttr(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) a.addInts(v);
        return a.build();
    }
}
