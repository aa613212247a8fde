#!/usr/bin/python3
"""gan4j's dcgan28 trained by a plain PyTorch loop, to compare quality with gan4j at equal steps.

The networks are gan4j's dcgan28 layer for layer (pytorch_reference.dcgan28, as gan4j-gan's Models.dcgan28); the data is
Fashion-MNIST scaled to [-1, 1] and reshuffled each pass (the last partial batch dropped), Adam
2e-4 (0.5, 0.999) for both networks, the non-saturating loss from logits. Writes --count samples
of G in evaluation mode as a float32 .npy [N, 1, 28, 28] in [-1, 1], the layout of
`gan4j generate --format npy`, for `gan4j evaluate --samples FILE --data fashion-mnist`.

  /usr/bin/python3 bench/pytorch_gan_parity.py --step fresh --init all --seed 0 --out fresh-s0.npy

--step fresh: G learns on a new noise batch (its BatchNorm sees two batches per step);
--step reuse: G learns on the fakes D has just judged.
--init conv: gan4j's former initialisation (N(0, 0.02) for convolution weights, PyTorch's default
             U(±1/√fan_in) for Linear weights and every bias);
--init all:  N(0, 0.02) for every Conv, ConvTranspose and Linear weight, biases 0.
Both: BatchNorm scale N(1, 0.02), shift 0.
"""
import argparse
import gzip
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from pytorch_reference import dcgan28


def read_idx_images(path):
    with gzip.open(path, 'rb') as f:
        data = f.read()
    n, h, w = (int.from_bytes(data[i:i + 4], 'big') for i in (4, 8, 12))
    pixels = np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, 1, h, w)
    return torch.from_numpy(pixels.astype(np.float32) / 127.5 - 1.0)


def initialise(net, everywhere):
    """DCGAN's N(0, 0.02) on convolutions (and, everywhere, on Linear layers with zero biases), drawn anew."""
    for m in net.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)) or (everywhere and isinstance(m, nn.Linear)):
            nn.init.normal_(m.weight, 0.0, 0.02)
            if everywhere and m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--step', choices=['fresh', 'reuse'], required=True)
    p.add_argument('--init', choices=['conv', 'all'], required=True)
    p.add_argument('--seed', type=int, required=True)
    p.add_argument('--out', required=True, help='samples .npy')
    p.add_argument('--steps', type=int, default=3000)
    p.add_argument('--batch-size', type=int, default=64)
    p.add_argument('--count', type=int, default=10000)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--data-dir', default='/usr/share/datasets/fashion-mnist')
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    real = read_idx_images(a.data_dir + '/train-images-idx3-ubyte.gz')
    g, d, _ = dcgan28()
    initialise(g, a.init == 'all')
    initialise(d, a.init == 'all')
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    g.train()
    d.train()
    ones = torch.ones(a.batch_size, 1)
    zeros = torch.zeros(a.batch_size, 1)
    per_epoch = real.shape[0] // a.batch_size
    start = time.time()
    order = None
    for step in range(a.steps):
        if step % per_epoch == 0:
            order = torch.randperm(real.shape[0])
        x = real[order[(step % per_epoch) * a.batch_size:(step % per_epoch + 1) * a.batch_size]]

        # D: maximise log D(x) + log(1 - D(G(z)))
        fake = g(torch.randn(a.batch_size, 100))
        loss_d = F.binary_cross_entropy_with_logits(d(x), ones) \
            + F.binary_cross_entropy_with_logits(d(fake.detach()), zeros)
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()

        # G: maximise log D(G(z)), on fresh noise or on the fakes D just judged
        if a.step == 'fresh':
            fake = g(torch.randn(a.batch_size, 100))
        loss_g = F.binary_cross_entropy_with_logits(d(fake), ones)
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        if (step + 1) % 500 == 0:
            print(f'step {step + 1} loss_d {loss_d.item():.4f} loss_g {loss_g.item():.4f} '
                  f'{time.time() - start:.0f} s', flush=True)

    g.eval()
    with torch.no_grad():
        samples = torch.cat([g(torch.randn(500, 100)) for _ in range(a.count // 500)])
    np.save(a.out, samples.numpy().astype(np.float32))
    print(f'wrote {a.out} {tuple(samples.shape)}')


if __name__ == '__main__':
    main()
