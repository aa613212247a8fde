package org.gan4j.metrics;

import java.util.Random;
import org.gan4j.data.Dataset;

/**
 * {@code size} items of a dataset in a seeded random order, so a prefix is a fair sample. A longer
 * choice with the same seed begins with the shorter one, so the items after that prefix are a
 * fair sample of those it left out.
 */
public record ShuffledSubset(Dataset data, int[] order) implements Dataset {
    public ShuffledSubset(Dataset data, int size, long seed) {
        this(data, firstOfShuffle(data.size(), size, new Random(seed)));
    }

    /** The first {@code m} of a random permutation of 0..n-1: partial Fisher-Yates, a uniform sample without replacement. */
    static int[] firstOfShuffle(int n, int m, Random rng) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return java.util.Arrays.copyOf(idx, m);
    }

    /** Items {@code from} to {@code to} (exclusive) of this order. */
    public ShuffledSubset slice(int from, int to) {
        return new ShuffledSubset(data, java.util.Arrays.copyOfRange(order, from, to));
    }

    public int size() {
        return order.length;
    }

    public int[] itemShape() {
        return data.itemShape();
    }

    public int classes() {
        return data.classes();
    }

    public void copyItem(int i, float[] dst, int offset) {
        data.copyItem(order[i], dst, offset);
    }

    public int label(int i) {
        return data.label(order[i]);
    }

    public String describe() {
        return order.length + " random items of " + data.describe();
    }

    public String checksum() {
        return data.checksum();
    }
}
