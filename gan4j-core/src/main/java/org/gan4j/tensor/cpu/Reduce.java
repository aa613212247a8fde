package org.gan4j.tensor.cpu;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.gan4j.tensor.ReduceOp;

/** Reductions of strided runs of values. Sums accumulate in double, vectorized where the run is dense. */
final class Reduce {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats with as many lanes as D: widening them to doubles is one instruction. */
    private static final VectorSpecies<Float> S = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final int VL = S.length();

    private Reduce() {
    }

    /**
     * Reduces {@code x[start + l·stride]} for l &lt; len. SUM accumulates in double; MAX and MIN
     * propagate NaN; ARGMAX gives the first index of the maximum, a NaN counting as the maximum.
     */
    static float run(ReduceOp op, float[] x, int start, int len, int stride) {
        if (op == ReduceOp.SUM) {
            double sum = 0;
            int l = 0;
            if (stride == 1 && len >= VL) {
                DoubleVector acc = DoubleVector.zero(D);
                for (int bound = S.loopBound(len); l < bound; l += VL) {
                    acc = acc.add(FloatVector.fromArray(S, x, start + l).convertShape(VectorOperators.F2D, D, 0));
                }
                sum = Lanes.sum(acc);
            }
            for (; l < len; l++) sum += x[start + l * stride];
            return (float) sum;
        }
        if (len == 0) throw new IllegalArgumentException(op + " of an empty axis");
        float best = x[start];
        int at = 0;
        for (int l = 1; l < len && best == best; l++) {
            float v = x[start + l * stride];
            boolean better = switch (op) {
                case MIN -> v < best || v != v;
                default -> v > best || v != v;
            };
            if (better) {
                best = v;
                at = l;
            }
        }
        return op == ReduceOp.ARGMAX ? at : best;
    }

    /** Column sums of x viewed as [outer, len, inner], a block of columns at a time, reading rows in order. */
    static final class Columns {
        /** Columns per block: the accumulators of one block stay in L1. */
        static final int WIDTH = 512;
        /** Per-thread double accumulators, one block's worth. */
        private static final ThreadLocal<double[]> ACC = ThreadLocal.withInitial(() -> new double[WIDTH]);

        private Columns() {
        }

        /** out[row·inner + j] = Σ_l x[(row·len + l)·inner + j] for j in [j0, j1), j1 − j0 ≤ WIDTH. */
        static void sum(float[] x, float[] out, int row, int len, int inner, int j0, int j1) {
            double[] acc = ACC.get();
            int width = j1 - j0;
            Arrays.fill(acc, 0, width, 0);
            for (int l = 0; l < len; l++) {
                int base = (row * len + l) * inner + j0, j = 0;
                for (int bound = S.loopBound(width); j < bound; j += VL) {
                    DoubleVector.fromArray(D, acc, j)
                            .add(FloatVector.fromArray(S, x, base + j).convertShape(VectorOperators.F2D, D, 0)).intoArray(acc, j);
                }
                for (; j < width; j++) acc[j] += x[base + j];
            }
            for (int j = 0; j < width; j++) out[row * inner + j0 + j] = (float) acc[j];
        }
    }
}
