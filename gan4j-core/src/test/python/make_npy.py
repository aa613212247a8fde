"""Writes the .npy files that NpyTest reads, so gan4j is checked against numpy's own writer.

Run with a python3 that has numpy (Debian: python3-numpy), from the repository root:

    python3 gan4j-core/src/test/python/make_npy.py

It rewrites gan4j-core/src/test/resources/npy/*.npy. NpyTest computes the same values itself;
keep the formulas here and there in step.
"""

import os

import numpy as np

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "npy")


def save(name, array, version=None):
    path = os.path.join(OUT_DIR, name + ".npy")
    if version is None:
        np.save(path, array, allow_pickle=False)
    else:
        with open(path, "wb") as f:
            np.lib.format.write_array(f, array, version=version, allow_pickle=False)


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    # value i is i * 0.25 - 2.5: exact in float32, so the comparison is exact
    f32 = (np.arange(24, dtype=np.float32) * np.float32(0.25) - np.float32(2.5)).reshape(2, 3, 4)
    save("f32_3d", f32.astype("<f4"))
    save("f32_scalar", np.array(1.5, dtype="<f4"))
    save("f32_empty", np.zeros((0, 3), dtype="<f4"))
    save("f32_v2", f32.astype("<f4"), version=(2, 0))
    # numpy's default dtype; gan4j rounds each value to the nearest float32
    save("f64_2d", np.array([[0.1, -2.5, 3.141592653589793], [1e-3, 0.0, 65504.0]], dtype="<f8"))
    save("i64_1d", np.array([0, 1, 2, 9, 3, 7, 5], dtype="<i8"))
    save("i32_1d", np.array([4, -1, 2147483647], dtype="<i4"))
    # refused: column-major data and a big-endian dtype
    save("fortran", np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
    save("big_endian", np.arange(4, dtype=">f4"))


if __name__ == "__main__":
    main()
