package org.gan4j.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.gan4j.tensor.BinaryOp;
import org.gan4j.tensor.UnaryOp;

/**
 * Elementwise kernels over one run of elements. Cheap arithmetic on dense runs goes through the
 * Vector API; everything else is a plain loop, with transcendental functions computed in double
 * so that results round like PyTorch's float kernels to within an ulp.
 */
final class Elementwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final FloatVector ZERO = FloatVector.zero(S);

    /** PyTorch's softplus returns x unchanged above this (beta 1, threshold 20). */
    private static final float SOFTPLUS_THRESHOLD = 20f;

    private Elementwise() {
    }

    /** {@code out[i] = op(x[i], p)} for i in [from, to); out may be x. */
    static void unary(UnaryOp op, float p, float[] x, float[] out, int from, int to) {
        int i = from, bound = from + S.loopBound(to - from);
        switch (op) {
            case NEG -> {
                for (; i < bound; i += S.length()) FloatVector.fromArray(S, x, i).neg().intoArray(out, i);
            }
            case ABS -> {
                for (; i < bound; i += S.length()) FloatVector.fromArray(S, x, i).abs().intoArray(out, i);
            }
            case RELU -> {
                for (; i < bound; i += S.length()) FloatVector.fromArray(S, x, i).max(0f).intoArray(out, i);
            }
            case ADD_SCALAR -> {
                for (; i < bound; i += S.length()) FloatVector.fromArray(S, x, i).add(p).intoArray(out, i);
            }
            case MUL_SCALAR -> {
                for (; i < bound; i += S.length()) FloatVector.fromArray(S, x, i).mul(p).intoArray(out, i);
            }
            case MAX_SCALAR -> {
                for (; i < bound; i += S.length()) FloatVector.fromArray(S, x, i).max(p).intoArray(out, i);
            }
            case MIN_SCALAR -> {
                for (; i < bound; i += S.length()) FloatVector.fromArray(S, x, i).min(p).intoArray(out, i);
            }
            case LEAKY_RELU -> {
                for (; i < bound; i += S.length()) {
                    FloatVector v = FloatVector.fromArray(S, x, i);
                    v.mul(p).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(out, i);
                }
            }
            // the steps and flags of backward passes and checks: NaN compares false, as in apply
            case LEAKY_STEP -> {
                FloatVector slope = FloatVector.broadcast(S, p);
                for (; i < bound; i += S.length()) {
                    slope.blend(1f, FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f)).intoArray(out, i);
                }
            }
            case GT_SCALAR -> {
                for (; i < bound; i += S.length()) {
                    ZERO.blend(1f, FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, p)).intoArray(out, i);
                }
            }
            case LT_SCALAR -> {
                for (; i < bound; i += S.length()) {
                    ZERO.blend(1f, FloatVector.fromArray(S, x, i).compare(VectorOperators.LT, p)).intoArray(out, i);
                }
            }
            case NON_FINITE -> {
                for (; i < bound; i += S.length()) {
                    ZERO.blend(1f, FloatVector.fromArray(S, x, i).test(VectorOperators.IS_FINITE).not()).intoArray(out, i);
                }
            }
            default -> {
            }
        }
        for (; i < to; i++) out[i] = apply(op, p, x[i]);
    }

    static float apply(UnaryOp op, float p, float x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case ABS -> Math.abs(x);
            // (0 < x) - (x < 0), as PyTorch computes it: 0 for ±0 and for NaN
            case SIGN -> x > 0 ? 1f : x < 0 ? -1f : 0f;
            case TANH -> (float) Math.tanh(x);
            case SIGMOID -> sigmoid(x);
            case SOFTPLUS -> x > SOFTPLUS_THRESHOLD ? x : (float) Math.log1p(Math.exp(x));
            case RELU -> Math.max(x, 0f);
            case LEAKY_RELU -> x > 0 ? x : p * x;
            case LEAKY_STEP -> x > 0 ? 1f : p;
            case POW_SCALAR -> (float) Math.pow(x, p);
            case ADD_SCALAR -> x + p;
            case MUL_SCALAR -> x * p;
            case RDIV_SCALAR -> p / x;
            case MAX_SCALAR -> Math.max(x, p);
            case MIN_SCALAR -> Math.min(x, p);
            case GT_SCALAR -> x > p ? 1f : 0f;
            case LT_SCALAR -> x < p ? 1f : 0f;
            case NON_FINITE -> Float.isFinite(x) ? 0f : 1f;
        };
    }

    /** exp is only ever taken of -|x|, so it cannot overflow. */
    private static float sigmoid(float x) {
        double e = Math.exp(-Math.abs((double) x));
        return (float) (x >= 0 ? 1 / (1 + e) : e / (1 + e));
    }

    /**
     * {@code out[o + i·os] = op(a[ai + i·as], b[bi + i·bs])} for i &lt; len. MAX and MIN propagate
     * NaN (Java's Math.max/min semantics, as PyTorch's maximum/minimum).
     */
    static void binary(BinaryOp op, float[] a, int ai, int as, float[] b, int bi, int bs,
                       float[] out, int o, int os, int len) {
        int i = 0;
        if (as == 1 && bs == 1 && os == 1) {
            i = denseRun(op, a, ai, b, bi, out, o, len);
        } else if (os == 1 && ((as == 1 && bs == 0) || (as == 0 && bs == 1))) {
            i = broadcastRun(op, a, ai, as, b, bi, out, o, len);
        }
        switch (op) {
            case ADD -> {
                for (; i < len; i++) out[o + i * os] = a[ai + i * as] + b[bi + i * bs];
            }
            case SUB -> {
                for (; i < len; i++) out[o + i * os] = a[ai + i * as] - b[bi + i * bs];
            }
            case MUL -> {
                for (; i < len; i++) out[o + i * os] = a[ai + i * as] * b[bi + i * bs];
            }
            case DIV -> {
                for (; i < len; i++) out[o + i * os] = a[ai + i * as] / b[bi + i * bs];
            }
            case POW -> {
                for (; i < len; i++) out[o + i * os] = (float) Math.pow(a[ai + i * as], b[bi + i * bs]);
            }
            case MAX -> {
                for (; i < len; i++) out[o + i * os] = Math.max(a[ai + i * as], b[bi + i * bs]);
            }
            case MIN -> {
                for (; i < len; i++) out[o + i * os] = Math.min(a[ai + i * as], b[bi + i * bs]);
            }
            case GT -> {
                for (; i < len; i++) out[o + i * os] = a[ai + i * as] > b[bi + i * bs] ? 1f : 0f;
            }
            case GE -> {
                for (; i < len; i++) out[o + i * os] = a[ai + i * as] >= b[bi + i * bs] ? 1f : 0f;
            }
            case LT -> {
                for (; i < len; i++) out[o + i * os] = a[ai + i * as] < b[bi + i * bs] ? 1f : 0f;
            }
            case LE -> {
                for (; i < len; i++) out[o + i * os] = a[ai + i * as] <= b[bi + i * bs] ? 1f : 0f;
            }
            case EQ -> {
                for (; i < len; i++) out[o + i * os] = a[ai + i * as] == b[bi + i * bs] ? 1f : 0f;
            }
        }
    }

    /**
     * The vectorizable prefix of a dense run; returns how many elements it wrote. Kept apart from
     * the scalar loops so that the compiler's budget covers every vector operation (one it gives up
     * on allocates a box per vector).
     */
    private static int denseRun(BinaryOp op, float[] a, int ai, float[] b, int bi, float[] out, int o, int len) {
        int i = 0, bound = S.loopBound(len);
        switch (op) {
            case ADD -> {
                for (; i < bound; i += S.length()) va(a, ai + i).add(va(b, bi + i)).intoArray(out, o + i);
            }
            case SUB -> {
                for (; i < bound; i += S.length()) va(a, ai + i).sub(va(b, bi + i)).intoArray(out, o + i);
            }
            case MUL -> {
                for (; i < bound; i += S.length()) va(a, ai + i).mul(va(b, bi + i)).intoArray(out, o + i);
            }
            case DIV -> {
                for (; i < bound; i += S.length()) va(a, ai + i).div(va(b, bi + i)).intoArray(out, o + i);
            }
            case MAX -> {
                for (; i < bound; i += S.length()) va(a, ai + i).max(va(b, bi + i)).intoArray(out, o + i);
            }
            case MIN -> {
                for (; i < bound; i += S.length()) va(a, ai + i).min(va(b, bi + i)).intoArray(out, o + i);
            }
            default -> {
            }
        }
        return i;
    }

    /**
     * The vectorizable prefix of a run where one operand is dense and the other one value (a
     * per-channel bias or scale over a plane); returns how many elements it wrote.
     */
    private static int broadcastRun(BinaryOp op, float[] a, int ai, int as, float[] b, int bi, float[] out, int o, int len) {
        if (len < S.length()) return 0;   // also keeps an empty run from reading the single value
        int i = 0, bound = S.loopBound(len);
        // one loop per case: a vector chosen by a condition would be boxed
        if (as == 0) {
            FloatVector s = FloatVector.broadcast(S, a[ai]);
            switch (op) {
                case ADD -> {
                    for (; i < bound; i += S.length()) s.add(va(b, bi + i)).intoArray(out, o + i);
                }
                case SUB -> {
                    for (; i < bound; i += S.length()) s.sub(va(b, bi + i)).intoArray(out, o + i);
                }
                case MUL -> {
                    for (; i < bound; i += S.length()) s.mul(va(b, bi + i)).intoArray(out, o + i);
                }
                case DIV -> {
                    for (; i < bound; i += S.length()) s.div(va(b, bi + i)).intoArray(out, o + i);
                }
                default -> {
                }
            }
        } else {
            FloatVector s = FloatVector.broadcast(S, b[bi]);
            switch (op) {
                case ADD -> {
                    for (; i < bound; i += S.length()) va(a, ai + i).add(s).intoArray(out, o + i);
                }
                case SUB -> {
                    for (; i < bound; i += S.length()) va(a, ai + i).sub(s).intoArray(out, o + i);
                }
                case MUL -> {
                    for (; i < bound; i += S.length()) va(a, ai + i).mul(s).intoArray(out, o + i);
                }
                case DIV -> {
                    for (; i < bound; i += S.length()) va(a, ai + i).div(s).intoArray(out, o + i);
                }
                default -> {
                }
            }
        }
        return i;
    }

    private static FloatVector va(float[] x, int at) {
        return FloatVector.fromArray(S, x, at);
    }

    /** {@code out[o + i·os] = cond[ci + i·cs] != 0 ? a[ai + i·as] : b[bi + i·bs]} for i &lt; len. */
    static void where(float[] cond, int ci, int cs, float[] a, int ai, int as, float[] b, int bi, int bs,
                      float[] out, int o, int os, int len) {
        for (int i = 0; i < len; i++) out[o + i * os] = cond[ci + i * cs] != 0 ? a[ai + i * as] : b[bi + i * bs];
    }
}
