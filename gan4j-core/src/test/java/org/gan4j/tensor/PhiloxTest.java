package org.gan4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PhiloxTest {
    private static final int DRAWS = 1_000_000;

    private static int[] block(int c0, int c1, int c2, int c3, int k0, int k1) {
        int[] out = new int[4];
        Philox.block(c0, c1, c2, c3, k0, k1, out);
        return out;
    }

    private static float[] uniforms(long seed, long stream, long counter) {
        float[] out = new float[4];
        Philox.fill(Distribution.UNIFORM, out, 0, 4, seed, stream, counter);
        return out;
    }

    /** Known-answer vectors of philox4x32-10 from the Random123 distribution. */
    @Test
    void matchesRandom123KnownAnswers() {
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, block(0, 0, 0, 0, 0, 0));
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}, block(-1, -1, -1, -1, -1, -1));
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
                          block(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0));
    }

    @Test
    void uniformBitsMapIntoTheOpenUnitInterval() {
        assertEquals(0x1p-24f, Philox.uniform(0));
        assertEquals(1f - 0x1p-24f, Philox.uniform(-1));
        Random r = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            int bits = r.nextInt();
            double exact = ((bits >>> 9) + 0.5) * 0x1p-23;
            assertEquals(exact, Philox.uniform(bits), 0, "no rounding for bits " + bits);
        }
    }

    @Test
    void uniformsHaveTheMomentsOfU01() {
        float[] u = new float[DRAWS];
        Philox.fill(Distribution.UNIFORM, u, 0, DRAWS, 1234, 0, 0);
        double sum = 0, squares = 0;
        for (float x : u) {
            assertTrue(x > 0 && x < 1, "uniform " + x);
            sum += x;
            squares += x * (double) x;
        }
        double mean = sum / DRAWS, variance = squares / DRAWS - mean * mean;
        // standard errors: 2.9e-4 for the mean, 7.5e-5 for the variance; these bounds are 7 of them
        assertEquals(0.5, mean, 2e-3);
        assertEquals(1.0 / 12, variance, 5e-4);
    }

    @Test
    void normalsHaveTheMomentsOfN01() {
        float[] z = new float[DRAWS];
        Philox.fill(Distribution.NORMAL, z, 0, DRAWS, 99, 5, 1000);
        double sum = 0, squares = 0, fourth = 0;
        for (float x : z) {
            assertTrue(Float.isFinite(x));
            sum += x;
            squares += x * (double) x;
            fourth += Math.pow(x, 4);
        }
        double mean = sum / DRAWS, variance = squares / DRAWS - mean * mean;
        // standard errors: 1e-3 for the mean, 1.4e-3 for the variance, 1e-2 for the fourth moment
        assertEquals(0, mean, 7e-3);
        assertEquals(1, variance, 1e-2);
        assertEquals(3, fourth / DRAWS, 7e-2);
    }

    @Test
    void chunkedFillEqualsOneFill() {
        for (Distribution dist : Distribution.values()) {
            int n = 10_007;
            float[] whole = new float[n], chunked = new float[n];
            Philox.fill(dist, whole, 0, n, 7, 2, 3);
            Random r = new Random(1);
            for (int from = 0; from < n; ) {
                int to = Math.min(n, from + 1 + r.nextInt(13));
                Philox.fill(dist, chunked, from, to, 7, 2, 3);
                from = to;
            }
            assertArrayEquals(whole, chunked, dist.toString());
        }
    }

    @Test
    void valueIDependsOnlyOnSeedStreamAndCounterPlusIOver4() {
        float[] a = new float[12], b = new float[8];
        Philox.fill(Distribution.NORMAL, a, 0, 12, 5, 1, 10);
        Philox.fill(Distribution.NORMAL, b, 0, 8, 5, 1, 11);
        assertArrayEquals(Arrays.copyOfRange(a, 4, 12), b);
        float[] again = new float[12], otherStream = new float[12], otherSeed = new float[12];
        Philox.fill(Distribution.NORMAL, again, 0, 12, 5, 1, 10);
        Philox.fill(Distribution.NORMAL, otherStream, 0, 12, 5, 2, 10);
        Philox.fill(Distribution.NORMAL, otherSeed, 0, 12, 6, 1, 10);
        assertArrayEquals(a, again);
        assertFalse(Arrays.equals(a, otherStream));
        assertFalse(Arrays.equals(a, otherSeed));
        // the high words of seed, stream and counter take part too
        float[] low = uniforms(5, 1, 10);
        assertFalse(Arrays.equals(low, uniforms(5 | 1L << 40, 1, 10)));
        assertFalse(Arrays.equals(low, uniforms(5, 1 | 1L << 33, 10)));
        assertFalse(Arrays.equals(low, uniforms(5, 1, 10 | 1L << 35)));
    }
}
