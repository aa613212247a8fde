package org.gan4j.metrics;

import java.util.Random;
import org.gan4j.data.Dataset;

/** {@code size} items of a dataset in a seeded random order, so a prefix is a fair sample. */
public record ShuffledSubset(Dataset data, int[] order) implements Dataset {
    public ShuffledSubset(Dataset data, int size, long seed) {
        this(data, shuffled(data.size(), size, seed));
    }

    private static int[] shuffled(int n, int size, long seed) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Random rng = new Random(seed);
        for (int i = 0; i < size; i++) {
            int j = i + rng.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return java.util.Arrays.copyOf(idx, size);
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
