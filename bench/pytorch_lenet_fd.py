#!/usr/bin/python3
"""An independent judge of Fashion-MNIST samples: a small convolutional classifier trained by
PyTorch, and the Fréchet distance between its penultimate features of the test images and of
the samples. It shares no code and no weights with gan4j's own classifier, so a gap between two
generators that both judges see is not an artefact of either.

  /usr/bin/python3 bench/pytorch_lenet_fd.py train --out lenet.pt          # once: about 5 minutes on one thread
  /usr/bin/python3 bench/pytorch_lenet_fd.py score --weights lenet.pt a.npy b.npy ...

Samples are float32 .npy [N, 1, 28, 28] in [-1, 1], as `gan4j generate --format npy` and
bench/pytorch_gan_parity.py write them. `score` prints one JSON line per file.
"""
import argparse
import gzip
import json
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = '/usr/share/datasets/fashion-mnist'


def images(split):
    """Fashion-MNIST's images in [-1, 1] [N, 1, 28, 28] and labels, from the IDX files."""
    prefix = 'train' if split == 'train' else 't10k'
    with gzip.open(f'{DATA}/{prefix}-images-idx3-ubyte.gz', 'rb') as f:
        data = f.read()
    x = np.frombuffer(data, np.uint8, offset=16).reshape(-1, 1, 28, 28).astype(np.float32) / 127.5 - 1.0
    with gzip.open(f'{DATA}/{prefix}-labels-idx1-ubyte.gz', 'rb') as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


class Judge(nn.Module):
    """Two 3×3 convolutions, a max-pool and two linear layers; features() is the 128-wide layer before the logits."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.fc1 = nn.Linear(64 * 12 * 12, 128)
        self.fc2 = nn.Linear(128, 10)
        self.dropout = nn.Dropout(0.25)

    def features(self, x):
        x = F.max_pool2d(F.relu(self.conv2(F.relu(self.conv1(x)))), 2)
        return F.relu(self.fc1(self.dropout(torch.flatten(x, 1))))

    def forward(self, x):
        return self.fc2(self.dropout(self.features(x)))


def train(a):
    torch.manual_seed(a.seed)
    x, y = images('train')
    tx, ty = images('test')
    net = Judge()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    for epoch in range(a.epochs):
        start = time.time()
        net.train()
        order = torch.randperm(len(x))
        for i in range(0, len(x) - 63, 64):
            batch = order[i:i + 64]
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(net(x[batch]), y[batch]).backward()
            opt.step()
        net.eval()
        with torch.inference_mode():
            accuracy = sum((net(tx[i:i + 1000]).argmax(1) == ty[i:i + 1000]).sum().item() for i in range(0, len(tx), 1000)) / len(tx)
        print(f'epoch {epoch + 1}/{a.epochs}: test accuracy {accuracy * 100:.2f} % ({time.time() - start:.0f} s)', flush=True)
    torch.save({'state': net.state_dict(), 'test_accuracy': accuracy, 'epochs': a.epochs, 'seed': a.seed}, a.out)


def features(net, x):
    with torch.inference_mode():
        return torch.cat([net.features(x[i:i + 1000]) for i in range(0, len(x), 1000)]).double().numpy()


def frechet(f1, f2):
    """‖μ1 − μ2‖² + Tr(Σ1 + Σ2 − 2 (Σ1 Σ2)^½), the trace of the root from the eigenvalues of Σ1^½ Σ2 Σ1^½ (symmetric)."""
    mu1, mu2 = f1.mean(0), f2.mean(0)
    s1, s2 = np.cov(f1, rowvar=False), np.cov(f2, rowvar=False)
    w, v = np.linalg.eigh(s1)
    root1 = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    cross = np.sqrt(np.clip(np.linalg.eigvalsh(root1 @ s2 @ root1), 0, None)).sum()
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * cross)


def score(a):
    saved = torch.load(a.weights)
    net = Judge()
    net.load_state_dict(saved['state'])
    net.eval()
    real = features(net, images('test')[0])
    for path in a.samples:
        x = np.load(path)
        if x.dtype != np.float32 or x.ndim != 4 or x.shape[1:] != (1, 28, 28):
            raise SystemExit(f'{path}: expected float32 [N, 1, 28, 28], got {x.dtype} {list(x.shape)}')
        fd = frechet(real, features(net, torch.from_numpy(x)))
        print(json.dumps({'samples': path, 'fd': round(fd, 3), 'n': len(x), 'judge_test_accuracy': saved['test_accuracy']}), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--threads', type=int, default=1)
    sub = p.add_subparsers(dest='command', required=True)
    t = sub.add_parser('train')
    t.add_argument('--out', required=True)
    t.add_argument('--epochs', type=int, default=3)
    t.add_argument('--seed', type=int, default=0)
    s = sub.add_parser('score')
    s.add_argument('--weights', required=True)
    s.add_argument('samples', nargs='+')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    train(a) if a.command == 'train' else score(a)


if __name__ == '__main__':
    main()
