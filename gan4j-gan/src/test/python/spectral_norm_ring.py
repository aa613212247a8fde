"""The ring-of-8 protocol with a spectrally normalised discriminator, in PyTorch, for comparison
with gan4j's `experiment modes` (QUALITY.md): with every layer of the 3×200 D normalised and
Adam 1e-4, D's outputs stay at 0.5 for real and fake alike, so G learns almost nothing.

    /usr/bin/python3 gan4j-gan/src/test/python/spectral_norm_ring.py

prints step, D loss, G loss, mean D(x), mean D(G(z)) every 100 steps.
"""
import torch, math, torch.nn as nn, torch.nn.functional as F
torch.manual_seed(1); torch.set_num_threads(1)
SN = nn.utils.spectral_norm
def ring(n):
    k = torch.randint(0, 8, (n,)); a = 2*math.pi*k/8
    return torch.stack([a.cos(), a.sin()], 1) + 0.01*torch.randn(n, 2)
G = nn.Sequential(*[m for i in range(4) for m in (nn.Linear(2 if i == 0 else 400, 400), nn.BatchNorm1d(400), nn.ReLU())], nn.Linear(400, 2))
D = nn.Sequential(SN(nn.Linear(2, 200)), nn.ReLU(), SN(nn.Linear(200, 200)), nn.ReLU(), SN(nn.Linear(200, 200)), nn.ReLU(), SN(nn.Linear(200, 1)))
og = torch.optim.Adam(G.parameters(), 1e-4, betas=(0.8, 0.999)); od = torch.optim.Adam(D.parameters(), 1e-4, betas=(0.8, 0.999))
for step in range(1, 601):
    x = ring(100); f = G(torch.randn(100, 2))
    yr, yf = D(x), D(f.detach())
    ld = F.binary_cross_entropy_with_logits(yr, torch.ones_like(yr)) + F.binary_cross_entropy_with_logits(yf, torch.zeros_like(yf))
    od.zero_grad(); ld.backward(); od.step()
    lg = F.binary_cross_entropy_with_logits(D(f), torch.ones_like(yf))
    og.zero_grad(); lg.backward(); og.step()
    if step % 100 == 0: print(step, round(ld.item(), 4), round(lg.item(), 4), round(torch.sigmoid(yr).mean().item(), 4), round(torch.sigmoid(yf).mean().item(), 4))
