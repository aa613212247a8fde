package org.gan4j.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** gan4j's tanh: within 2 ulp of the correctly rounded value, the same in vector lanes and alone, and exact at its edges. */
class TanhTest {
    private static final int VL = FloatVector.SPECIES_PREFERRED.length();

    @Test
    void withinTwoUlpOverTheWholeRangeAndTheSameInLanesAndAlone() {
        int n = 2_000_000 / VL * VL;
        float[] x = new float[n], out = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) Math.sinh((i - n / 2) * (12.0 / n)) * 2;   // dense near 0, out to ±12 sinh(6)
        Tanh.run(x, out, 0, n);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            float exact = (float) Math.tanh(x[i]);
            double ulps = Math.abs(out[i] - exact) / Math.ulp(exact);
            worst = Math.max(worst, ulps);
            assertEquals(Float.floatToIntBits(Tanh.of(x[i])), Float.floatToIntBits(out[i]), "lane and alone differ at " + x[i]);
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
    }

    @Test
    void edges() {
        float[] x = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 10f, -30f, 1e-30f, Float.MIN_VALUE};
        float[] in = new float[VL * ((x.length + VL - 1) / VL)], out = new float[in.length];
        System.arraycopy(x, 0, in, 0, x.length);
        Tanh.run(in, out, 0, in.length);
        for (int i = 0; i < x.length; i++) {
            float expected = (float) Math.tanh(x[i]);
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(out[i]), "tanh(" + x[i] + ")");
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(Tanh.of(x[i])), "tanh(" + x[i] + ") alone");
        }
    }
}
