package org.gan4j.tensor;

/**
 * Philox-4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011): a
 * counter-based generator, so value i of a fill depends only on (seed, stream, counter + i/4)
 * and any device computes the same noise in any order.
 *
 * <p>Element i of a fill uses the block at counter {@code counter + i/4}, lane {@code i % 4};
 * the 128-bit counter words are (low, high) of that block index and (low, high) of the stream;
 * the key is (low, high) of the seed. Uniforms are {@code ((bits >>> 9) + 0.5) · 2^-23} in (0, 1),
 * exact in float (24 significant bits) so every device computes the same value; normals pair
 * lanes (0, 1) and (2, 3) through Box–Muller.
 */
public final class Philox {
    private static final int M0 = 0xD2511F53, M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    private Philox() {
    }

    /** The raw 4×32-bit block for one counter and key, written to {@code out}. */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        for (int round = 0; round < 10; round++) {
            if (round > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            c1 = (int) p1;
            c3 = (int) p0;
            c0 = n0;
            c2 = n2;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    /**
     * Maps 32 random bits to a float uniform in the open interval (0, 1). Only 23 bits are used:
     * with 24, k + 0.5 needs 25 significant bits and the top values round to exactly 1.
     */
    public static float uniform(int bits) {
        return ((bits >>> 9) + 0.5f) * 0x1p-23f;
    }

    /**
     * Fills {@code out[from, to)} with values {@code from..to-1} of the fill defined above; used by
     * the CPU backend, in parallel chunks, and as the reference for other devices.
     */
    public static void fill(Distribution dist, float[] out, int from, int to, long seed, long stream, long counter) {
        int[] r = new int[4];
        float[] v = new float[4];
        int k0 = (int) seed, k1 = (int) (seed >>> 32);
        int s0 = (int) stream, s1 = (int) (stream >>> 32);
        for (int blockStart = from & ~3; blockStart < to; blockStart += 4) {
            long c = counter + (blockStart >>> 2);
            block((int) c, (int) (c >>> 32), s0, s1, k0, k1, r);
            if (dist == Distribution.UNIFORM) {
                for (int lane = 0; lane < 4; lane++) v[lane] = uniform(r[lane]);
            } else {
                boxMuller(uniform(r[0]), uniform(r[1]), v, 0);
                boxMuller(uniform(r[2]), uniform(r[3]), v, 2);
            }
            for (int lane = 0; lane < 4; lane++) {
                int i = blockStart + lane;
                if (i >= from && i < to) out[i] = v[lane];
            }
        }
    }

    private static void boxMuller(float u0, float u1, float[] v, int at) {
        double radius = Math.sqrt(-2.0 * Math.log(u0));
        double angle = 2.0 * Math.PI * u1;
        v[at] = (float) (radius * Math.cos(angle));
        v[at + 1] = (float) (radius * Math.sin(angle));
    }
}
