"""Writes the PyTorch golden values that CountermeasureGoldenTest compares gan4j against.

Run with Debian's python3 and its torch package (python3-torch), from the repository root:

    /usr/bin/python3 gan4j-core/src/test/python/make_golden_countermeasures.py

It rewrites gan4j-core/src/test/resources/golden-countermeasures/*.safetensors.

Spectral normalization is PyTorch's own torch.nn.utils.spectral_norm. Minibatch discrimination
(Salimans et al. 2016) and minibatch standard deviation (Karras et al. 2018) have no PyTorch
module; they are written here from the papers' formulas with torch ops, so the golden values
are an independent implementation whose gradients come from PyTorch's autograd.

Each file holds: in.NAME (inputs and starting state), out.N (the output of the N-th forward),
gout, grad.NAME (gradient of sum(out.LAST * gout)), and after.NAME (state after the forwards).
"""

import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_golden import write_safetensors  # noqa: E402

torch.set_num_threads(1)
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "golden-countermeasures")


def spectral_norm_case(name, layer, x, forwards, train):
    """Runs `forwards` forward passes of spectral_norm(layer) in train or eval mode; gradients of the last."""
    layer = nn.utils.spectral_norm(layer)
    layer.train(train)
    tensors = {"in.x": x, "in.weight_orig": layer.weight_orig.detach().clone(), "in.bias": layer.bias.detach().clone(),
               "in.weight_u": layer.weight_u.clone(), "in.weight_v": layer.weight_v.clone()}
    xs = x.clone().requires_grad_(True)
    for i in range(forwards):
        out = layer(xs)
        tensors["out.%d" % i] = out.detach()
    gout = torch.randn(out.shape)
    gx, gw, gb = torch.autograd.grad(out, [xs, layer.weight_orig, layer.bias], gout)
    tensors.update({"gout": gout, "grad.x": gx, "grad.weight_orig": gw, "grad.bias": gb,
                    "after.weight_u": layer.weight_u.clone(), "after.weight_v": layer.weight_v.clone()})
    write_safetensors(os.path.join(OUT_DIR, name + ".safetensors"), tensors,
                      {"layer": type(layer).__name__, "forwards": forwards, "train": train})


def minibatch_discrimination(x, t, kernels, dim):
    m = (x @ t).reshape(x.shape[0], kernels, dim)
    l1 = (m.unsqueeze(1) - m.unsqueeze(0)).abs().sum(3)
    o = torch.exp(-l1).sum(1) - 1
    return torch.cat([x, o], 1)


def minibatch_std(x):
    std = torch.sqrt(x.var(0, unbiased=False) + 1e-8).mean()
    return torch.cat([x, std.expand(x.shape[0], 1, *x.shape[2:])], 1)


def module_case(name, fn, inputs, meta):
    leaves = {k: v.clone().requires_grad_(True) for k, v in inputs.items()}
    out = fn(*leaves.values())
    gout = torch.randn(out.shape)
    grads = torch.autograd.grad(out, list(leaves.values()), gout)
    tensors = {"in." + k: v for k, v in inputs.items()}
    tensors.update({"out.0": out.detach(), "gout": gout})
    tensors.update({"grad." + k: g for k, g in zip(inputs, grads)})
    write_safetensors(os.path.join(OUT_DIR, name + ".safetensors"), tensors, meta)


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    torch.manual_seed(2018)
    spectral_norm_case("spectral_norm_linear_train", nn.Linear(6, 4), torch.randn(3, 6), 3, True)
    spectral_norm_case("spectral_norm_linear_eval", nn.Linear(5, 3), torch.randn(2, 5), 1, False)
    spectral_norm_case("spectral_norm_conv_train", nn.Conv2d(3, 4, 3, 2, 1), torch.randn(2, 3, 5, 5), 2, True)
    # separated points, so no L1 distance sits at the kink of |.|
    module_case("minibatch_discrimination", lambda x, t: minibatch_discrimination(x, t, 3, 2),
                {"x": torch.randn(4, 5), "t": torch.randn(5, 6) * 0.3}, {"kernels": 3, "dim": 2})
    module_case("minibatch_std_2d", minibatch_std, {"x": torch.randn(5, 3)}, {})
    module_case("minibatch_std_4d", minibatch_std, {"x": torch.randn(3, 2, 2, 3)}, {})


if __name__ == "__main__":
    main()
