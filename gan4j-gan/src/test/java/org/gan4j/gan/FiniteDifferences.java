package org.gan4j.gan;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.DoubleSupplier;

/** Central differences in float32 inputs with the tolerances of gan4j's gradient checks. */
final class FiniteDifferences {
    static final double EPS = 1e-2, RTOL = 1e-2, ATOL = 2e-3;

    private FiniteDifferences() {
    }

    /** (f(v + ε) − f(v − ε)) / 2ε with v = values[j], f reading values after each change; values[j] is put back. */
    static double at(float[] values, int j, DoubleSupplier f) {
        float saved = values[j];
        values[j] = (float) (saved + EPS);
        double plus = f.getAsDouble();
        values[j] = (float) (saved - EPS);
        double minus = f.getAsDouble();
        values[j] = saved;
        return (plus - minus) / (2 * EPS);
    }

    static void assertClose(String what, double analytic, double numeric) {
        if (!(Math.abs(analytic - numeric) <= RTOL * Math.max(Math.abs(analytic), Math.abs(numeric)) + ATOL)) {
            fail(what + " is " + analytic + " by autograd, " + numeric + " by finite differences");
        }
    }
}
