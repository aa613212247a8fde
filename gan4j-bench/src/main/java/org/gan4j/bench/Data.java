package org.gan4j.bench;

import java.util.SplittableRandom;

/** Inputs for the benchmarks: uniform in [-1, 1), from a fixed seed. */
final class Data {
    private Data() {
    }

    static float[] random(long seed, int n) {
        var r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }
}
