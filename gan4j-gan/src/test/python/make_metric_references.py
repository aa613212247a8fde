"""Reference values for FeatureMetricsTest, computed with numpy/scipy on two fixed feature
matrices: the Fréchet distance with scipy.linalg.sqrtm (as the original FID code), the unbiased
KID estimate over all rows (one subset: the sets have equal size; kernel (x.y/d + 1)^3), and
k-NN precision and recall with k = 3 (Kynkäänniemi et al. 2019).

Run from the repository root:
    python3 gan4j-gan/src/test/python/make_metric_references.py
It writes gan4j-gan/src/test/resources/org/gan4j/metrics/metric_references.txt: a header line
"n d", the rows of A, the rows of B, then one "name value" line per metric (repr precision).
"""
import numpy as np
from scipy import linalg

rng = np.random.default_rng(2019)
n, d = 60, 8
a = rng.normal(size=(n, d)) @ rng.normal(size=(d, d)) * 0.5
b = rng.normal(size=(n, d)) @ rng.normal(size=(d, d)) * 0.7 + 0.3


def frechet(x, y):
    mu_x, mu_y = x.mean(0), y.mean(0)
    cov_x, cov_y = np.cov(x, rowvar=False), np.cov(y, rowvar=False)
    root = linalg.sqrtm(cov_x @ cov_y).real
    return float(((mu_x - mu_y) ** 2).sum() + np.trace(cov_x) + np.trace(cov_y) - 2 * np.trace(root))


def kid(x, y):
    m, dim = len(x), x.shape[1]
    kxx, kyy, kxy = (x @ x.T / dim + 1) ** 3, (y @ y.T / dim + 1) ** 3, (x @ y.T / dim + 1) ** 3
    off_diagonal = kxx.sum() - np.trace(kxx) + kyy.sum() - np.trace(kyy)
    return float(off_diagonal / (m * (m - 1)) - 2 * kxy.mean())


def coverage(manifold, queries, k=3):
    """Share of queries inside some manifold point's ball reaching its k-th nearest manifold neighbour."""
    within = ((manifold[:, None, :] - manifold[None, :, :]) ** 2).sum(-1)
    radii = np.sort(within, axis=1)[:, k]  # column 0 is the point itself
    to_manifold = ((queries[:, None, :] - manifold[None, :, :]) ** 2).sum(-1)
    return float((to_manifold <= radii[None, :]).any(axis=1).mean())


out = "gan4j-gan/src/test/resources/org/gan4j/metrics/metric_references.txt"
with open(out, "w") as f:
    f.write(f"{n} {d}\n")
    for row in np.vstack([a, b]):
        f.write(" ".join(repr(float(x)) for x in row) + "\n")
    for name, value in [("fd", frechet(a, b)), ("kid", kid(a, b)),
                        ("precision", coverage(a, b)), ("recall", coverage(b, a))]:
        f.write(f"{name} {value!r}\n")
        print(name, value)
