package org.gan4j.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * tanh from IEEE arithmetic alone (add, multiply, fused multiply-add, divide, exact conversions),
 * so every JIT tier gives the same bits: the Vector API's TANH does not (its intrinsic and its
 * Java fallback round differently). Vector lanes and single values take the same steps, so a
 * value's result does not depend on where it lies in an array. Within 2 ulp of the correctly
 * rounded tanh (TanhTest measures it).
 *
 * <p>For |x| &lt; 0.625: x + x·z·P(z), z = x². Beyond: 1 − 2/(e^{2|x|} + 1), with
 * e^y = 2^n·e^r, n = ⌊y·log₂e + ½⌋, r = y − n·ln 2 (ln 2 in two parts) and e^r by a
 * polynomial; |x| is capped at 10, where tanh rounds to 1. The coefficients are those of the
 * Cephes library's tanhf and expf (S. L. Moshier).
 */
final class Tanh {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private static final float SMALL = 0.625f, CAP = 10f;
    private static final float T0 = -5.70498872745e-3f, T1 = 2.06390887954e-2f, T2 = -5.37397155531e-2f,
            T3 = 1.33314422036e-1f, T4 = -3.33332819422e-1f;
    private static final float LOG2E = 1.44269504088896341f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float E0 = 1.9875691500e-4f, E1 = 1.3981999507e-3f, E2 = 8.3334519073e-3f, E3 = 4.1665795894e-2f,
            E4 = 1.6666665459e-1f, E5 = 5.0000001201e-1f;

    private Tanh() {
    }

    static float of(float x) {
        float a = Math.min(Math.abs(x), CAP);
        float z = x * x;
        float p = Math.fma(Math.fma(Math.fma(Math.fma(T0, z, T1), z, T2), z, T3), z, T4);
        float small = Math.fma(p * z, x, x);
        float y = a + a;
        int n = (int) Math.fma(y, LOG2E, 0.5f);
        float r = Math.fma(n, -LN2_LO, Math.fma(n, -LN2_HI, y));
        float q = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(E0, r, E1), r, E2), r, E3), r, E4), r, E5);
        float e = (Math.fma(q, r * r, r) + 1f) * Float.intBitsToFloat((n + 127) << 23);
        float large = 1f - 2f / (e + 1f);
        if (x == 0) return x;   // keeps the sign of -0, which x + x·z·P(z) loses
        return Math.abs(x) < SMALL || x != x ? small : x < 0 ? -large : large;
    }

    /** {@code out[j] = tanh(x[j])} for j in [i, bound), bound − i a multiple of the vector length; returns bound. */
    static int run(float[] x, float[] out, int i, int bound) {
        for (; i < bound; i += S.length()) {
            // constants made in the loop body: a vector made before the loop can reach compiled code boxed
            FloatVector t2 = FloatVector.broadcast(S, T2), t3 = FloatVector.broadcast(S, T3), t4 = FloatVector.broadcast(S, T4);
            FloatVector e2 = FloatVector.broadcast(S, E2), e3 = FloatVector.broadcast(S, E3), e4 = FloatVector.broadcast(S, E4),
                    e5 = FloatVector.broadcast(S, E5);
            FloatVector ln2Hi = FloatVector.broadcast(S, -LN2_HI), ln2Lo = FloatVector.broadcast(S, -LN2_LO);
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector abs = v.abs(), a = abs.min(CAP);
            FloatVector z = v.mul(v);
            FloatVector p = z.fma(T0, T1).fma(z, t2).fma(z, t3).fma(z, t4);
            FloatVector small = p.mul(z).fma(v, v);
            FloatVector y = a.add(a);
            IntVector n = (IntVector) y.fma(LOG2E, 0.5f).convert(VectorOperators.F2I, 0);
            FloatVector nf = (FloatVector) n.convert(VectorOperators.I2F, 0);
            FloatVector r = nf.fma(ln2Lo, nf.fma(ln2Hi, y));
            FloatVector q = r.fma(E0, E1).fma(r, e2).fma(r, e3).fma(r, e4).fma(r, e5);
            FloatVector scale = n.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e = q.fma(r.mul(r), r).add(1f).mul(scale);
            FloatVector large = FloatVector.broadcast(S, 2f).div(e.add(1f)).neg().add(1f);
            VectorMask<Float> useSmall = abs.compare(VectorOperators.LT, SMALL).or(v.test(VectorOperators.IS_NAN));
            large = large.blend(large.neg(), v.compare(VectorOperators.LT, 0f));
            large.blend(small, useSmall).blend(v, v.compare(VectorOperators.EQ, 0f)).intoArray(out, i);
        }
        return i;
    }
}
