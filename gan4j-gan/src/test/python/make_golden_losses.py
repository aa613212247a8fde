"""Writes the PyTorch golden values that LossGoldenTest compares gan4j's GAN losses and penalties against.

Run with Debian's python3 and its torch package (python3-torch), from the repository root:

    /usr/bin/python3 gan4j-gan/src/test/python/make_golden_losses.py

It rewrites gan4j-gan/src/test/resources/golden-losses/*.safetensors. The formulas are written
here from the papers with torch ops, so that the gradients come from PyTorch's autograd:

  rpgan (relativistic pairing; Jolicoeur-Martineau 2019, Huang et al. 2024):
      D: mean softplus(-(D(x) - D(G(z))))    G: mean softplus(-(D(G(z)) - D(x))), D(x) a constant for G
  R1, R2 (Mescheder et al. 2018; Huang et al. 2024): γ/2 · mean over the batch of ||∇ₓ D(x)||²
      on real (R1) or fake (R2) samples, differentiated in D's weights (double backward).

Files: rpgan.safetensors (in.real, in.fake, loss_d, loss_g, grad_d.real, grad_d.fake, grad_g.fake);
penalty.safetensors (in.x, in.NAME of D = Linear(2, 5), tanh, Linear(5, 1); out; grad.NAME), gamma in
the metadata.
"""

import os
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "gan4j-core", "src", "test", "python"))
from make_golden import write_safetensors  # noqa: E402

torch.set_num_threads(1)
OUT_DIR = os.path.join(HERE, "..", "resources", "golden-losses")
GAMMA = 0.7


def rpgan():
    # ±30 pairs check that softplus stays exact far from 0
    real = torch.cat([torch.randn(6) * 2, torch.tensor([30.0, -30.0])]).reshape(8, 1)
    fake = torch.cat([torch.randn(6) * 2, torch.tensor([-30.0, 30.0])]).reshape(8, 1)
    r, f = real.clone().requires_grad_(True), fake.clone().requires_grad_(True)
    loss_d = F.softplus(-(r - f)).mean()
    gd_r, gd_f = torch.autograd.grad(loss_d, [r, f])
    f2 = fake.clone().requires_grad_(True)
    loss_g = F.softplus(-(f2 - real)).mean()
    (gg_f,) = torch.autograd.grad(loss_g, [f2])
    write_safetensors(os.path.join(OUT_DIR, "rpgan.safetensors"),
                      {"in.real": real, "in.fake": fake, "loss_d": loss_d.detach(), "loss_g": loss_g.detach(),
                       "grad_d.real": gd_r, "grad_d.fake": gd_f, "grad_g.fake": gg_f}, {"op": "rpgan"})


def penalty():
    x = torch.randn(6, 2)
    weights = {"w1": torch.randn(5, 2) * 0.8, "b1": torch.randn(5) * 0.2, "w2": torch.randn(1, 5) * 0.8, "b2": torch.randn(1) * 0.2}
    leaves = {k: v.clone().requires_grad_(True) for k, v in weights.items()}
    xs = x.clone().requires_grad_(True)
    score = F.linear(torch.tanh(F.linear(xs, leaves["w1"], leaves["b1"])), leaves["w2"], leaves["b2"])
    (g,) = torch.autograd.grad(score.sum(), xs, create_graph=True)
    out = GAMMA / 2 * g.pow(2).sum(1).mean()
    # b2 shifts the score but not its input gradient: its gradient is zero
    grads = torch.autograd.grad(out, list(leaves.values()), allow_unused=True)
    grads = [gr if gr is not None else torch.zeros_like(weights[k]) for k, gr in zip(leaves, grads)]
    tensors = {"in.x": x}
    tensors.update({"in." + k: v for k, v in weights.items()})
    tensors["out"] = out.detach()
    tensors.update({"grad." + k: gr for k, gr in zip(leaves, grads)})
    write_safetensors(os.path.join(OUT_DIR, "penalty.safetensors"), tensors, {"op": "r1", "gamma": GAMMA})


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    torch.manual_seed(2024)
    rpgan()
    penalty()


if __name__ == "__main__":
    main()
