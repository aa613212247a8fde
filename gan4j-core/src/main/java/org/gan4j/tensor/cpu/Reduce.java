package org.gan4j.tensor.cpu;

import org.gan4j.tensor.ReduceOp;

/** Reductions of one strided run of values. */
final class Reduce {
    private Reduce() {
    }

    /**
     * Reduces {@code x[start + l·stride]} for l &lt; len. SUM accumulates in double; MAX and MIN
     * propagate NaN; ARGMAX gives the first index of the maximum, a NaN counting as the maximum.
     */
    static float run(ReduceOp op, float[] x, int start, int len, int stride) {
        if (op == ReduceOp.SUM) {
            double sum = 0;
            for (int l = 0; l < len; l++) sum += x[start + l * stride];
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
}
