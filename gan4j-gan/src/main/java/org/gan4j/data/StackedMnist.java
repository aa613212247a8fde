package org.gan4j.data;

import org.gan4j.tensor.Rng;

/**
 * Three MNIST digits drawn at random as the red, green and blue planes of one image: 1000
 * modes (label 100·d1 + 10·d2 + d3), the standard count of how many a generator covers.
 * Only the three indices per item are stored; pixels come from the digits when copied.
 */
public final class StackedMnist implements Dataset {
    private final Dataset digits;
    private final int[] picks;
    private final long seed;

    private StackedMnist(Dataset digits, int[] picks, long seed) {
        this.digits = digits;
        this.picks = picks;
        this.seed = seed;
    }

    /** {@code size} stacked images from single-channel labelled {@code digits}, chosen with {@code seed}. */
    public static StackedMnist of(Dataset digits, int size, long seed) {
        int[] shape = digits.itemShape();
        if (shape.length != 3 || shape[0] != 1 || digits.classes() == 0 || digits.classes() > 10) {
            throw new IllegalArgumentException("StackedMnist needs labelled single-channel digits, got " + digits.describe());
        }
        if (size <= 0) throw new IllegalArgumentException("size must be positive, was " + size);
        Rng rng = Rng.seeded(seed);
        int[] picks = new int[3 * size];
        for (int i = 0; i < picks.length; i++) picks[i] = rng.nextInt(digits.size());
        return new StackedMnist(digits, picks, seed);
    }

    @Override
    public int size() {
        return picks.length / 3;
    }

    @Override
    public int[] itemShape() {
        int[] s = digits.itemShape();
        return new int[] {3, s[1], s[2]};
    }

    @Override
    public int classes() {
        return 1000;
    }

    @Override
    public void copyItem(int i, float[] dst, int offset) {
        int plane = digits.itemLength();
        for (int c = 0; c < 3; c++) digits.copyItem(picks[3 * i + c], dst, offset + c * plane);
    }

    @Override
    public int label(int i) {
        return 100 * digits.label(picks[3 * i]) + 10 * digits.label(picks[3 * i + 1]) + digits.label(picks[3 * i + 2]);
    }

    /** The index into the digits of channel {@code c} (0 red, 1 green, 2 blue) of item {@code i}. */
    public int digitIndex(int i, int c) {
        return picks[3 * i + c];
    }

    @Override
    public String describe() {
        int[] s = itemShape();
        return "stacked-mnist: " + size() + " images of 3x" + s[1] + "x" + s[2] + ", 1000 classes, seed " + seed + ", digits from " + digits.describe();
    }

    /** The digits' checksum: the seed, recorded beside it, fixes the rest. */
    @Override
    public String checksum() {
        return digits.checksum();
    }
}
