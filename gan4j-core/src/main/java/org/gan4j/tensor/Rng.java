package org.gan4j.tensor;

/**
 * A seeded source of noise: (seed, stream) names the sequence and the counter says how far it
 * has been consumed, so the state is three longs that a checkpoint can store and restore.
 */
public final class Rng {
    private final long seed;
    private final long stream;
    private long counter;

    private Rng(long seed, long stream, long counter) {
        this.seed = seed;
        this.stream = stream;
        this.counter = counter;
    }

    public static Rng seeded(long seed) {
        return new Rng(seed, 0, 0);
    }

    /** Restores a generator from the three values of {@link #state()}. */
    public static Rng fromState(long[] state) {
        return new Rng(state[0], state[1], state[2]);
    }

    /** An independent sequence with the same seed, e.g. one per data loader or per module. */
    public Rng fork(long streamId) {
        return new Rng(seed, streamId, 0);
    }

    public long[] state() {
        return new long[] {seed, stream, counter};
    }

    public long seed() {
        return seed;
    }

    /** Reserves the counters for n values and returns the first; each block of 4 values takes one. */
    long advance(int n) {
        long start = counter;
        counter += (n + 3) / 4;
        return start;
    }

    long stream() {
        return stream;
    }

    /** A uniform int in [0, bound), for shuffles and index draws on the host. */
    public int nextInt(int bound) {
        int[] r = new int[4];
        long c = advance(4);
        Philox.block((int) c, (int) (c >>> 32), (int) stream, (int) (stream >>> 32), (int) seed, (int) (seed >>> 32), r);
        long bits = ((r[0] & 0xFFFFFFFFL) << 32) | (r[1] & 0xFFFFFFFFL);
        return (int) Long.remainderUnsigned(bits, bound);
    }

    /** Fisher–Yates permutation of 0..n-1. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
