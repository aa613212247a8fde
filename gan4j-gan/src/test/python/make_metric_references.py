"""Reference values for FeatureMetricsTest: the Fréchet distance and KID computed with
numpy/scipy (scipy.linalg.sqrtm, as the original FID code) on two fixed feature matrices.

Run from the repository root:
    python3 gan4j-gan/src/test/python/make_fd_reference.py
It writes gan4j-gan/src/test/resources/org/gan4j/metrics/fd_reference.txt: a header line
"n d", then the rows of A, the rows of B, and last the distance (all with repr precision).
"""
import numpy as np
from scipy import linalg

rng = np.random.default_rng(2019)
n, d = 60, 8
a = rng.normal(size=(n, d)) @ rng.normal(size=(d, d)) * 0.5
b = rng.normal(size=(n, d)) @ rng.normal(size=(d, d)) * 0.7 + 0.3

mu_a, mu_b = a.mean(0), b.mean(0)
cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
root = linalg.sqrtm(cov_a @ cov_b).real
fd = float(((mu_a - mu_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b) - 2 * np.trace(root))

out = "gan4j-gan/src/test/resources/org/gan4j/metrics/fd_reference.txt"
with open(out, "w") as f:
    f.write(f"{n} {d}\n")
    for row in np.vstack([a, b]):
        f.write(" ".join(repr(float(x)) for x in row) + "\n")
    f.write(repr(fd) + "\n")
print("FD", fd)
