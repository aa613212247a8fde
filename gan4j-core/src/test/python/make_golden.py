"""Writes the PyTorch golden values that GoldenTest compares gan4j against.

Run with Debian's python3 and its torch package (python3-torch), from the repository root:

    /usr/bin/python3 gan4j-core/src/test/python/make_golden.py

It rewrites gan4j-core/src/test/resources/golden/*.safetensors. Every run gives the same
files: inputs come from fixed seeds and PyTorch runs single-threaded in float32.

Each file holds one case:
  in.NAME    the inputs (integer indices and masks are stored as floats)
  out        the result (further results as out.NAME)
  gout       a random upstream gradient for out
  grad.NAME  the gradient of sum(out * gout) with respect to input NAME
and its parameters as strings in __metadata__ (always "op", the function to rebuild).
Optimizer cases store the parameters after each step instead of gradients.
"""

import json
import os
import struct

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "golden")


def write_safetensors(path, tensors, metadata):
    """The safetensors layout: u64 header length, JSON header padded to 8 bytes, raw data."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def case(name, op, fn, inputs, meta=None, constants=None):
    """Runs fn(*inputs, *constants) (in order), backpropagates a random gout, writes one file.

    inputs are differentiated; constants (indices, masks, targets) are stored but not.
    fn returns the output, or a dict {"out": ..., "out.extra": ...} of which only "out" is
    differentiated.
    """
    constants = constants or {}
    leaves = {k: v.detach().clone().requires_grad_(True) for k, v in inputs.items()}
    result = fn(*leaves.values(), *constants.values())
    outputs = result if isinstance(result, dict) else {"out": result}
    out = outputs["out"]
    gout = torch.randn(out.shape)
    grads = torch.autograd.grad(out, list(leaves.values()), gout, allow_unused=True)
    tensors = {}
    for k, v in inputs.items():
        tensors["in." + k] = v
    for k, v in constants.items():
        tensors["in." + k] = torch.as_tensor(v, dtype=torch.float32)
    tensors.update(outputs)
    tensors["gout"] = gout
    for k, g in zip(leaves, grads):
        tensors["grad." + k] = g if g is not None else torch.zeros_like(inputs[k])
    write_safetensors(os.path.join(OUT_DIR, name + ".safetensors"), tensors, {"op": op, **(meta or {})})


def away_from(x, points, margin):
    """Moves values that lie within margin of a kink so finite precision cannot flip a branch."""
    for p in points:
        near = (x - p).abs() < margin
        x = torch.where(near, x + torch.sign(x - p + 1e-9) * margin, x)
    return x


def elementwise():
    a, b = torch.randn(3, 1, 5), torch.randn(4, 5)
    case("add", "add", lambda a, b: a + b, {"a": a, "b": b})
    case("sub", "sub", lambda a, b: a - b, {"a": a, "b": b})
    case("mul", "mul", lambda a, b: a * b, {"a": a, "b": b})
    case("div", "div", lambda a, b: a / b, {"a": a, "b": away_from(b, [0.0], 0.5)})
    case("pow", "pow", lambda a, b: a ** b, {"a": torch.rand(3, 1, 5) * 1.5 + 0.5, "b": torch.randn(4, 5)})

    x = torch.randn(4, 6) * 2
    case("neg", "neg", torch.neg, {"x": x})
    case("exp", "exp", torch.exp, {"x": x})
    case("log", "log", torch.log, {"x": torch.rand(4, 6) * 3 + 0.05})
    case("sqrt", "sqrt", torch.sqrt, {"x": torch.rand(4, 6) * 3 + 0.05})
    case("abs", "abs", torch.abs, {"x": away_from(x, [0.0], 0.05)})
    case("clamp", "clamp", lambda x: x.clamp(-0.5, 0.5), {"x": away_from(x, [-0.5, 0.5], 0.05)},
         {"min": -0.5, "max": 0.5})
    case("relu", "relu", F.relu, {"x": away_from(x, [0.0], 0.05)})
    case("leaky_relu", "leaky_relu", lambda x: F.leaky_relu(x, 0.2), {"x": away_from(x, [0.0], 0.05)}, {"slope": 0.2})
    case("tanh", "tanh", torch.tanh, {"x": x})
    case("sigmoid", "sigmoid", torch.sigmoid, {"x": x})
    wide = torch.cat([x.reshape(-1), torch.tensor([-40.0, -25.0, -20.5, 20.5, 25.0, 40.0])])
    case("softplus", "softplus", F.softplus, {"x": wide})
    case("logsigmoid", "logsigmoid", F.logsigmoid, {"x": wide})

    cond = (torch.rand(4, 5) > 0.5).float()
    case("where", "where", lambda a, b, cond: torch.where(cond > 0, a, b), {"a": torch.randn(4, 5), "b": torch.randn(5)},
         constants={"cond": cond})


def reductions():
    x = torch.randn(3, 4, 5)
    for keep in (True, False):
        k = "keepdim" if keep else "nokeep"
        case("sum_axis1_" + k, "sum", lambda x: x.sum(1, keepdim=keep), {"x": x}, {"axes": "1", "keepdim": keep})
        case("sum_axes02_" + k, "sum", lambda x: x.sum((0, 2), keepdim=keep), {"x": x}, {"axes": "0,2", "keepdim": keep})
        case("mean_axis2_" + k, "mean", lambda x: x.mean(2, keepdim=keep), {"x": x}, {"axes": "2", "keepdim": keep})
        case("mean_axes01_" + k, "mean", lambda x: x.mean((0, 1), keepdim=keep), {"x": x}, {"axes": "0,1", "keepdim": keep})
    case("max_axis1", "max", lambda x: x.max(1).values, {"x": x}, {"axis": 1, "keepdim": False})
    case("max_axis2_keepdim", "max", lambda x: x.max(2, keepdim=True).values, {"x": x}, {"axis": 2, "keepdim": True})
    for unbiased in (True, False):
        tag = "unbiased" if unbiased else "biased"
        case("var_axis2_" + tag, "var", lambda x: x.var(2, unbiased=unbiased), {"x": x},
             {"axes": "2", "unbiased": unbiased, "keepdim": False})
        case("var_axes02_" + tag, "var", lambda x: x.var((0, 2), unbiased=unbiased, keepdim=True), {"x": x},
             {"axes": "0,2", "unbiased": unbiased, "keepdim": True})
    y = torch.randn(4, 7) * 3
    case("logsumexp", "logsumexp", lambda x: torch.logsumexp(x, 1), {"x": y}, {"axis": 1, "keepdim": False})
    case("softmax", "softmax", lambda x: F.softmax(x, 1), {"x": y}, {"axis": 1})
    case("log_softmax", "log_softmax", lambda x: F.log_softmax(x, -1), {"x": y}, {"axis": -1})


def shapes_and_products():
    case("matmul_2d", "matmul", torch.matmul, {"input": torch.randn(5, 6), "other": torch.randn(6, 4)})
    case("matmul_3d", "matmul", torch.matmul, {"input": torch.randn(3, 5, 6), "other": torch.randn(3, 6, 4)})
    case("matmul_3d_2d", "matmul", torch.matmul, {"input": torch.randn(3, 5, 6), "other": torch.randn(6, 4)})
    x = torch.randn(2, 3, 4)
    case("permute", "permute", lambda x: x.permute(2, 0, 1), {"x": x}, {"order": "2,0,1"})
    case("concat", "concat", lambda a, b: torch.cat([a, b], 1), {"a": x, "b": torch.randn(2, 2, 4)}, {"axis": 1})
    case("slice", "slice", lambda x: x[:, 1:3], {"x": x}, {"axis": 1, "start": 1, "end": 3})
    case("index_select", "index_select", lambda x, index: x.index_select(1, index.long()), {"x": x},
         {"axis": 1}, {"index": torch.tensor([2, 0, 2, 1])})
    # F.pad lists (before, after) pairs from the last axis backwards
    case("pad", "pad", lambda x: F.pad(x, (1, 2, 0, 1), value=0.25), {"x": x},
         {"before": "0,0,1", "after": "0,1,2", "value": 0.25})


def grouped_conv():
    """Grouped and depthwise conv2d, with their own seed so adding them left every older file as it was."""
    torch.manual_seed(4321)
    conv = [("conv2d_groups2_k3s2p1_bias", (2, 4, 7, 6), (6, 2, 3, 3), True, 2, 1, 2),
            ("conv2d_groups3_k1s1p0_nobias", (2, 6, 4, 5), (3, 2, 1, 1), False, 1, 0, 3),
            ("conv2d_depthwise_k3s1p1_bias", (2, 4, 5, 5), (4, 1, 3, 3), True, 1, 1, 4),
            ("conv2d_depthwise_k4s2p1_nobias", (1, 3, 8, 7), (3, 1, 4, 4), False, 2, 1, 3)]
    for name, xs, ws, has_bias, s, p, groups in conv:
        inputs = {"x": torch.randn(xs), "weight": torch.randn(ws) * 0.3}
        if has_bias:
            inputs["bias"] = torch.randn(ws[0])
        case(name, "conv2d", lambda x, weight, bias=None: F.conv2d(x, weight, bias, s, p, 1, groups), inputs,
             {"stride": s, "padding": p, "groups": groups})


def filtered_resample():
    """2x down- and upsampling through the binomial filter, each checked here against its definition
    (filter then keep every second pixel; insert zeros then filter with 4x the kernel). Own seed."""
    torch.manual_seed(2468)
    row = torch.tensor([1.0, 2.0, 1.0])
    kernel = (row[:, None] * row[None, :] / 16).view(1, 1, 3, 3)

    def down(x):
        return F.conv2d(x, kernel.repeat(x.shape[1], 1, 1, 1), None, 2, 1, 1, x.shape[1])

    def up(x):
        return F.conv_transpose2d(x, 4 * kernel.repeat(x.shape[1], 1, 1, 1), None, 2, 1, 1, x.shape[1])

    for name, shape in [("filtered_downsample_even", (2, 3, 8, 6)), ("filtered_downsample_odd", (1, 2, 7, 5))]:
        x = torch.randn(shape)
        blurred = F.conv2d(x, kernel.repeat(shape[1], 1, 1, 1), None, 1, 1, 1, shape[1])
        assert torch.allclose(down(x), blurred[:, :, ::2, ::2], atol=1e-6)
        case(name, "filtered_downsample", down, {"x": x})
    for name, shape in [("filtered_upsample_wide", (2, 3, 4, 5)), ("filtered_upsample_square", (1, 2, 7, 7))]:
        x = torch.randn(shape)
        holes = torch.zeros(shape[0], shape[1], 2 * shape[2], 2 * shape[3])
        holes[:, :, ::2, ::2] = x
        filtered = F.conv2d(holes, 4 * kernel.repeat(shape[1], 1, 1, 1), None, 1, 1, 1, shape[1])
        assert torch.allclose(up(x), filtered, atol=1e-6)
        case(name, "filtered_upsample", up, {"x": x})


def layers():
    conv = [("conv2d_k4s2p1_bias", (2, 3, 8, 8), (4, 3, 4, 4), True, 2, 1),
            ("conv2d_k3s1p0_nobias", (2, 2, 6, 9), (3, 2, 3, 3), False, 1, 0),
            ("conv2d_k3s2p1_nonsquare", (2, 3, 7, 10), (4, 3, 3, 3), True, 2, 1)]
    for name, xs, ws, has_bias, s, p in conv:
        inputs = {"x": torch.randn(xs), "weight": torch.randn(ws) * 0.3}
        if has_bias:
            inputs["bias"] = torch.randn(ws[0])
        case(name, "conv2d", lambda x, weight, bias=None: F.conv2d(x, weight, bias, s, p), inputs,
             {"stride": s, "padding": p})
    convt = [("conv_transpose2d_k4s2p1_bias", (2, 4, 4, 4), (4, 3, 4, 4), True, 2, 1, 0),
             ("conv_transpose2d_k3s2p1op1_nobias", (2, 3, 5, 5), (3, 2, 3, 3), False, 2, 1, 1),
             ("conv_transpose2d_k4s2p1_nobias", (2, 2, 3, 5), (2, 3, 4, 4), False, 2, 1, 0),
             ("conv_transpose2d_k3s2p1op1_bias", (1, 2, 4, 3), (2, 3, 3, 3), True, 2, 1, 1)]
    for name, xs, ws, has_bias, s, p, op in convt:
        inputs = {"x": torch.randn(xs), "weight": torch.randn(ws) * 0.3}
        if has_bias:
            inputs["bias"] = torch.randn(ws[1])
        case(name, "conv_transpose2d",
             lambda x, weight, bias=None: F.conv_transpose2d(x, weight, bias, s, p, op), inputs,
             {"stride": s, "padding": p, "output_padding": op})

    for name, shape in (("batch_norm_train_2d", (6, 4)), ("batch_norm_train_4d", (3, 4, 5, 5))):
        c = shape[1]
        rm, rv = torch.randn(c) * 0.1, torch.rand(c) + 0.5

        def bn_train(x, weight, bias, running_mean, running_var):
            rm, rv = running_mean.clone(), running_var.clone()
            y = F.batch_norm(x, rm, rv, weight, bias, training=True, momentum=0.1, eps=1e-5)
            return {"out": y, "out.running_mean": rm, "out.running_var": rv}
        case(name, "batch_norm",
             bn_train, {"x": torch.randn(shape) * 2 + 0.5, "weight": torch.rand(c) + 0.5, "bias": torch.randn(c)},
             {"training": True, "momentum": 0.1, "eps": 1e-5},
             {"running_mean": rm, "running_var": rv})
    rm, rv = torch.randn(4) * 0.1, torch.rand(4) + 0.5
    case("batch_norm_eval", "batch_norm",
         lambda x, weight, bias, running_mean, running_var:
             F.batch_norm(x, running_mean, running_var, weight, bias, training=False, eps=1e-5),
         {"x": torch.randn(3, 4, 5, 5), "weight": torch.rand(4) + 0.5, "bias": torch.randn(4)},
         {"training": False, "momentum": 0.1, "eps": 1e-5}, {"running_mean": rm, "running_var": rv})

    case("layer_norm", "layer_norm", lambda x, weight, bias: F.layer_norm(x, (3, 5), weight, bias, 1e-5),
         {"x": torch.randn(4, 3, 5) * 2 + 1, "weight": torch.rand(3, 5) + 0.5, "bias": torch.randn(3, 5)},
         {"normalized_dims": 2, "eps": 1e-5})
    case("embedding", "embedding", lambda weight, indices: F.embedding(indices.long(), weight),
         {"weight": torch.randn(7, 4)}, constants={"indices": torch.tensor([3, 1, 3, 6, 0])})

    case("max_pool2d_k2s2", "max_pool2d", lambda x: F.max_pool2d(x, 2, 2), {"x": torch.randn(2, 3, 8, 8)},
         {"kernel": 2, "stride": 2, "padding": 0})
    case("max_pool2d_k3s2p1", "max_pool2d", lambda x: F.max_pool2d(x, 3, 2, 1), {"x": torch.randn(2, 2, 7, 7)},
         {"kernel": 3, "stride": 2, "padding": 1})
    case("avg_pool2d_k2s2", "avg_pool2d", lambda x: F.avg_pool2d(x, 2, 2), {"x": torch.randn(2, 3, 8, 8)},
         {"kernel": 2, "stride": 2, "padding": 0})
    case("avg_pool2d_k3s2p1", "avg_pool2d", lambda x: F.avg_pool2d(x, 3, 2, 1), {"x": torch.randn(2, 2, 7, 7)},
         {"kernel": 3, "stride": 2, "padding": 1})
    case("upsample_nearest2", "upsample_nearest", lambda x: F.interpolate(x, scale_factor=2, mode="nearest"),
         {"x": torch.randn(2, 3, 4, 5)}, {"factor": 2})


def losses():
    logits = torch.cat([torch.randn(17) * 3, torch.tensor([-30.0, 30.0])]).reshape(1, 19)
    targets = torch.cat([torch.rand(10), (torch.rand(9) > 0.5).float()]).reshape(1, 19)
    case("bce_with_logits", "bce_with_logits", F.binary_cross_entropy_with_logits, {"input": logits},
         constants={"target": targets})
    p = torch.rand(4, 5) * 0.9 + 0.05
    y = torch.rand(4, 5)
    case("bce", "bce", F.binary_cross_entropy, {"input": p}, constants={"target": y})
    # exact 0 and 1 reach the -100 clamp of the logs; gradients there are a convention, so only the value is kept
    edges = torch.tensor([[0.0, 1.0, 0.0, 1.0, 0.3, 0.7]])
    edge_targets = torch.tensor([[0.0, 1.0, 1.0, 0.0, 0.5, 1.0]])
    write_safetensors(os.path.join(OUT_DIR, "bce_clamp.safetensors"),
                      {"in.input": edges, "in.target": edge_targets,
                       "out": F.binary_cross_entropy(edges, edge_targets)}, {"op": "bce"})
    # logits far enough out saturate the sigmoid to exact 0 and 1; the gradient must stay finite
    case("bce_saturated_sigmoid", "bce_sigmoid", lambda input, target: F.binary_cross_entropy(torch.sigmoid(input), target),
         {"input": torch.tensor([[-200.0, 200.0, -200.0, 200.0, -1.5, 0.0, 2.5]])},
         constants={"target": torch.tensor([[0.0, 1.0, 0.3, 0.8, 1.0, 0.5, 0.0]])})
    case("mse", "mse", F.mse_loss, {"input": torch.randn(4, 3)}, constants={"target": torch.randn(4, 3)})
    case("cross_entropy", "cross_entropy", lambda input, target: F.cross_entropy(input, target.long()),
         {"input": torch.randn(5, 4) * 2}, constants={"target": torch.tensor([1, 0, 3, 3, 2])})
    labels = torch.tensor([1.0, -1.0, 1.0, 1.0, -1.0, -1.0, 1.0, -1.0])
    scores = away_from(torch.randn(8) * 1.5, [-1.0, 1.0], 0.1)
    case("hinge", "hinge", lambda input, target: F.relu(1 - target * input).mean(), {"input": scores},
         constants={"target": labels})


def r1_penalty(d, x):
    """R1: the batch sum of ||∇ₓ D(x)||², kept differentiable in D's weights."""
    (g,) = torch.autograd.grad(d(x).sum(), x, create_graph=True)
    return g.pow(2).sum()


def double_backward():
    x = torch.randn(3, 2, 8, 8)
    conv_w, conv_b = torch.randn(4, 2, 4, 4) * 0.3, torch.randn(4) * 0.1
    lin_w, lin_b = torch.randn(1, 64) * 0.2, torch.randn(1) * 0.1

    def conv_d(x, conv_w, conv_b, lin_w, lin_b):
        h = F.leaky_relu(F.conv2d(x, conv_w, conv_b, 2, 1), 0.2)
        return F.linear(h.flatten(1), lin_w, lin_b)
    case("r1_conv", "r1_conv", lambda x, *w: r1_penalty(lambda v: conv_d(v, *w), x),
         {"x": x, "conv_w": conv_w, "conv_b": conv_b, "lin_w": lin_w, "lin_b": lin_b}, {"slope": 0.2})

    def mlp_d(x, w1, b1, w2, b2):
        return F.linear(torch.tanh(F.linear(x, w1, b1)), w2, b2)
    case("r1_mlp", "r1_mlp", lambda x, *w: r1_penalty(lambda v: mlp_d(v, *w), x),
         {"x": torch.randn(4, 5), "w1": torch.randn(8, 5) * 0.5, "b1": torch.randn(8) * 0.1,
          "w2": torch.randn(1, 8) * 0.5, "b2": torch.randn(1) * 0.1})


def adam(name, weight_decay, decoupled):
    x = torch.randn(16, 3)
    y = x @ torch.tensor([[1.5], [-2.0], [0.5]]) + 0.3 + 0.1 * torch.randn(16, 1)
    weight, bias = torch.randn(1, 3), torch.zeros(1)
    params = [weight.clone().requires_grad_(True), bias.clone().requires_grad_(True)]
    kind = torch.optim.AdamW if decoupled else torch.optim.Adam
    opt = kind(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=weight_decay)
    tensors = {"in.x": x, "in.y": y, "in.weight": weight, "in.bias": bias}
    for step in range(1, 11):
        opt.zero_grad()
        F.mse_loss(F.linear(x, params[0], params[1]), y).backward()
        opt.step()
        tensors["step%d.weight" % step] = params[0].detach().clone()
        tensors["step%d.bias" % step] = params[1].detach().clone()
    write_safetensors(os.path.join(OUT_DIR, name + ".safetensors"), tensors,
                      {"op": "adam", "lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8,
                       "weight_decay": weight_decay, "decoupled": decoupled, "steps": 10})


def gan_step():
    g = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 6), torch.nn.Tanh())
    d = torch.nn.Sequential(torch.nn.Linear(6, 8), torch.nn.LeakyReLU(0.2), torch.nn.Linear(8, 1))
    x, z, z2 = torch.rand(5, 6) * 2 - 1, torch.randn(5, 4), torch.randn(5, 4)
    tensors = {"in.x": x, "in.z": z, "in.z2": z2}

    def snapshot(prefix):
        for net, tag in ((g, "G"), (d, "D")):
            for k, v in net.state_dict().items():
                tensors["%s.%s.%s" % (prefix, tag, k)] = v.clone()
    snapshot("init")
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    ones, zeros = torch.ones(5, 1), torch.zeros(5, 1)

    # phase 1: D learns to tell x from G(z); G is held fixed by detach
    opt_d.zero_grad()
    loss_d = (F.binary_cross_entropy_with_logits(d(x), ones)
              + F.binary_cross_entropy_with_logits(d(g(z).detach()), zeros))
    loss_d.backward()
    opt_d.step()
    snapshot("after_d")

    # phase 2: G learns to make D say "real"; only G's optimizer steps
    opt_g.zero_grad()
    loss_g = F.binary_cross_entropy_with_logits(d(g(z2)), ones)
    loss_g.backward()
    opt_g.step()
    snapshot("after_g")
    tensors["loss_d"], tensors["loss_g"] = loss_d.detach(), loss_g.detach()
    write_safetensors(os.path.join(OUT_DIR, "gan_step.safetensors"), tensors,
                      {"op": "gan_step", "lr": 2e-4, "beta1": 0.5, "beta2": 0.999, "eps": 1e-8, "slope": 0.2})


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    torch.manual_seed(1234)
    elementwise()
    reductions()
    shapes_and_products()
    layers()
    losses()
    double_backward()
    adam("adam", 0.0, False)
    adam("adamw", 0.01, True)
    gan_step()
    grouped_conv()
    filtered_resample()


if __name__ == "__main__":
    main()
