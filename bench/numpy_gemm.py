#!/usr/bin/env python3
"""OpenBLAS's sgemm through numpy, the GEMM target's peer: float32 a @ b.

    OPENBLAS_CORETYPE=SkylakeX OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/numpy_gemm.py [SHAPE ...]

A shape is a size n (n×n times n×n) or GemmBench's "mxnxk/transposes/batch/shared". A batch runs as
the one product of the same FLOPs that OpenBLAS does best: with a shared A (a convolution's weight)
the batch's B matrices side by side, n·batch columns; with a shared C (its weight gradient) the
sum over the batch as one product of depth k·batch. For each shape: 2 s of warm-up, then the
median GFLOP/s of 7 blocks of 1 s.
"""
import sys
import time

import numpy as np


def operands(shape):
    """a, b and the FLOPs of one product."""
    if "x" not in shape:
        m = n = k = int(shape)
        trans, batch, shared = "NN", 1, "-"
    else:
        size, trans, batch, shared = shape.split("/")
        m, n, k = (int(s) for s in size.split("x"))
        batch = int(batch)
    if shared == "A":
        n *= batch
    elif shared == "C":
        k *= batch
    elif batch != 1:
        raise SystemExit(f"{shape}: a batch needs a shared A or C")
    rand = lambda r, c: np.random.rand(r, c).astype(np.float32)
    a = rand(k, m).T if trans[0] == "T" else rand(m, k)   # a transposed view: sgemm reads it as stored
    b = rand(n, k).T if trans[1] == "T" else rand(k, n)
    return a, b, 2 * m * n * k


def median_gflops(a, b, flops, blocks=7, warmup=2.0, seconds=1.0):
    end = time.time() + warmup
    while time.time() < end:
        a @ b
    rates = []
    for _ in range(blocks):
        count, start = 0, time.perf_counter()
        while True:
            a @ b
            count += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        rates.append(flops * count / elapsed / 1e9)
    rates.sort()
    return rates[blocks // 2], rates[0], rates[-1]


if __name__ == "__main__":
    for shape in sys.argv[1:] or ["1024", "2048"]:
        mid, low, high = median_gflops(*operands(shape))
        print(f"numpy {shape}: median {mid:.1f} GFLOP/s (blocks {low:.1f} to {high:.1f})", flush=True)
