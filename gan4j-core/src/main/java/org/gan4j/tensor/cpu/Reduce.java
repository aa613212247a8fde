package org.gan4j.tensor.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.gan4j.tensor.ReduceOp;

/** Reductions of strided runs of values. Sums accumulate in double, vectorized where the run is dense. */
final class Reduce {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** Double vectors per float vector (two where the double species has half the lanes). */
    private static final int PARTS = VL / D.length();

    /** Per-thread double accumulators for column sums. */
    private static final ThreadLocal<double[]> COLUMNS = ThreadLocal.withInitial(() -> new double[Columns.WIDTH]);

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
            if (stride == 1 && PARTS <= 2 && len >= VL) {
                DoubleVector lo = DoubleVector.zero(D), hi = lo;
                for (int bound = S.loopBound(len); l < bound; l += VL) {
                    FloatVector v = FloatVector.fromArray(S, x, start + l);
                    lo = lo.add(v.convertShape(VectorOperators.F2D, D, 0));
                    if (PARTS == 2) hi = hi.add(v.convertShape(VectorOperators.F2D, D, 1));
                }
                sum = lo.add(hi).reduceLanes(VectorOperators.ADD);
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

        private Columns() {
        }

        /** out[row·inner + j] = Σ_l x[(row·len + l)·inner + j] for j in [j0, j1), j1 − j0 ≤ WIDTH. */
        static void sum(float[] x, float[] out, int row, int len, int inner, int j0, int j1) {
            double[] acc = COLUMNS.get();
            int width = j1 - j0;
            java.util.Arrays.fill(acc, 0, width, 0);
            for (int l = 0; l < len; l++) {
                int base = (row * len + l) * inner + j0, j = 0;
                if (PARTS == 2) {
                    for (int bound = S.loopBound(width); j < bound; j += VL) {
                        FloatVector v = FloatVector.fromArray(S, x, base + j);
                        DoubleVector.fromArray(D, acc, j).add(v.convertShape(VectorOperators.F2D, D, 0)).intoArray(acc, j);
                        DoubleVector.fromArray(D, acc, j + D.length())
                                .add(v.convertShape(VectorOperators.F2D, D, 1)).intoArray(acc, j + D.length());
                    }
                }
                for (; j < width; j++) acc[j] += x[base + j];
            }
            for (int j = 0; j < width; j++) out[row * inner + j0 + j] = (float) acc[j];
        }
    }
}
