#!/usr/bin/env python3
"""OpenBLAS's sgemm through numpy, the GEMM target's peer: float32 a @ b on square matrices.

    OPENBLAS_CORETYPE=SkylakeX OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/numpy_gemm.py [SIZE ...]

For each size: 2 s of warm-up, then the median GFLOP/s (2·n³ per product) of 7 blocks of 1 s.
"""
import sys
import time

import numpy as np


def median_gflops(n, blocks=7, warmup=2.0, seconds=1.0):
    a = np.random.rand(n, n).astype(np.float32)
    b = np.random.rand(n, n).astype(np.float32)
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
        rates.append(2 * n ** 3 * count / elapsed / 1e9)
    rates.sort()
    return rates[blocks // 2], rates[0], rates[-1]


if __name__ == "__main__":
    for size in [int(s) for s in sys.argv[1:]] or [1024, 2048]:
        mid, low, high = median_gflops(size)
        print(f"numpy {size}: median {mid:.1f} GFLOP/s (blocks {low:.1f} to {high:.1f})", flush=True)
