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

    /**
     * An independent sequence derived from this one and {@code streamId} (the same ids forked
     * from different streams give different sequences), e.g. one per data loader or epoch.
     */
    public Rng fork(long streamId) {
        return new Rng(seed, mix(stream * 0x9E3779B97F4A7C15L + streamId + 1), 0);
    }

    /** SplitMix64's finalizer: spreads nearby inputs over all 64 bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
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
