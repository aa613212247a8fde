"""Writes the PyTorch golden values that AugmentGoldenTest compares gan4j's augmentation against.

Run with Debian's python3 and its torch package (python3-torch), from the repository root:

    /usr/bin/python3 gan4j-gan/src/test/python/make_golden_augment.py

It rewrites gan4j-gan/src/test/resources/golden-augment/augment.safetensors. Each transform is
written here with torch's own ops from its definition (flip, torch.rot90, padding by zeros or by
reflection and a crop, per-sample colour factors, a cutout mask), applied with the parameters
stored beside it, so that gan4j, given the same parameters, must give the same images, and
PyTorch's autograd the gradient of sum(out * gout) with respect to the input.

Contents: in.x [4, 3, 8, 8]; gout; param.NAME, one value per sample (flags and integers as
floats); for each CASE (one transform, or a policy's whole pipeline): out.CASE and grad.CASE.
"""

import os
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "gan4j-core", "src", "test", "python"))
from make_golden import write_safetensors  # noqa: E402

torch.set_num_threads(1)
OUT_DIR = os.path.join(HERE, "..", "resources", "golden-augment")

N, C, H, W = 4, 3, 8, 8
P = {
    "flip": torch.tensor([1.0, 0.0, 1.0, 0.0]),
    "quarter_turns": torch.tensor([0.0, 1.0, 2.0, 3.0]),
    "dy": torch.tensor([2.0, -1.0, 0.0, 3.0]),
    "dx": torch.tensor([-2.0, 3.0, 1.0, 0.0]),
    "brightness": torch.tensor([0.3, -0.2, 0.0, 0.45]),
    "contrast": torch.tensor([1.4, 0.6, 1.0, 0.8]),
    "saturation": torch.tensor([0.2, 1.7, 1.0, 0.5]),
    "cut_y": torch.tensor([1.0, 7.0, 4.0, 3.0]),
    "cut_x": torch.tensor([6.0, 0.0, 4.0, 2.0]),
    "cut_size": torch.tensor([4.0, 3.0, 0.0, 5.0]),
}


def per_sample(v):
    return v.reshape(-1, 1, 1, 1)


def geometric(x, reflect):
    out = []
    for i in range(x.shape[0]):
        s = x[i:i + 1]
        if P["flip"][i] > 0:
            s = torch.flip(s, [3])
        s = torch.rot90(s, int(P["quarter_turns"][i]), [2, 3])
        dy, dx, m = int(P["dy"][i]), int(P["dx"][i]), 3
        # out[y, x] = in[y - dy, x - dx]: pad by m on every side, then crop from (m - dy, m - dx)
        padded = F.pad(s, (m, m, m, m), mode="reflect" if reflect else "constant")
        out.append(padded[:, :, m - dy:m - dy + H, m - dx:m - dx + W])
    return torch.cat(out)


def brightness(x):
    return x + per_sample(P["brightness"])


def contrast(x, about_mean):
    c = per_sample(P["contrast"])
    if not about_mean:
        return x * c
    m = x.mean(dim=[1, 2, 3], keepdim=True)
    return (x - m) * c + m


def saturation(x):
    m = x.mean(dim=1, keepdim=True)
    return (x - m) * per_sample(P["saturation"]) + m


def cutout(x):
    mask = torch.ones(x.shape[0], 1, H, W)
    for i in range(x.shape[0]):
        k = int(P["cut_size"][i])
        y0, x0 = int(P["cut_y"][i]) - k // 2, int(P["cut_x"][i]) - k // 2
        mask[i, :, max(0, y0):max(0, y0 + k), max(0, x0):max(0, x0 + k)] = 0
    return x * mask


CASES = {
    "geometric_zero": lambda x: geometric(x, False),
    "geometric_reflect": lambda x: geometric(x, True),
    "brightness": brightness,
    "contrast_about_zero": lambda x: contrast(x, False),
    "contrast_about_mean": lambda x: contrast(x, True),
    "saturation": saturation,
    "cutout": cutout,
    # the policies' orders: DiffAugment colour, translation, cutout; ADA geometry, colour, cutout
    "diffaugment": lambda x: cutout(geometric(contrast(saturation(brightness(x)), True), False)),
    "ada": lambda x: cutout(saturation(contrast(brightness(geometric(x, True)), False))),
}


def main():
    torch.manual_seed(11)
    os.makedirs(OUT_DIR, exist_ok=True)
    x = torch.rand(N, C, H, W) * 2 - 1
    gout = torch.randn(N, C, H, W)
    tensors = {"in.x": x, "gout": gout}
    tensors.update({"param." + k: v for k, v in P.items()})
    for name, fn in CASES.items():
        xs = x.clone().requires_grad_(True)
        out = fn(xs)
        (grad,) = torch.autograd.grad((out * gout).sum(), xs)
        tensors["out." + name] = out.detach()
        tensors["grad." + name] = grad
    write_safetensors(os.path.join(OUT_DIR, "augment.safetensors"), tensors, {"op": "augment"})


if __name__ == "__main__":
    main()
