package org.gan4j.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.gan4j.tensor.BinaryOp;
import org.gan4j.tensor.UnaryOp;

/**
 * Elementwise kernels over one run of elements. Cheap arithmetic and tanh ({@link Tanh}) on dense
 * runs go through the Vector API; everything else is a plain loop, with transcendental functions computed in
 * double so that results round like PyTorch's float kernels to within an ulp.
 *
 * <p>Each vector loop sits in a small method of its own: in larger methods the compiler was seen
 * to leave some vector operations un-intrinsified, boxing every vector (over 100 MB of garbage per
 * dcgan28 training step, and a tenth of its time).
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
        i = switch (op) {
            case NEG -> neg(x, out, i, bound);
            case ABS -> abs(x, out, i, bound);
            case TANH -> Tanh.run(x, out, i, bound);
            case RELU -> maxScalar(x, 0f, out, i, bound);
            case ADD_SCALAR -> i + plusScalar(x, i, p, out, i, to - i);
            case MUL_SCALAR -> i + timesScalar(x, i, p, out, i, to - i);
            case MAX_SCALAR -> maxScalar(x, p, out, i, bound);
            case MIN_SCALAR -> minScalar(x, p, out, i, bound);
            case LEAKY_RELU -> leakyRelu(x, p, out, i, bound);
            // the steps and flags of backward passes and checks: NaN compares false, as in apply
            case LEAKY_STEP -> leakyStep(x, p, out, i, bound);
            case GT_SCALAR -> greater(x, p, out, i, bound);
            case LT_SCALAR -> less(x, p, out, i, bound);
            case NON_FINITE -> nonFinite(x, out, i, bound);
            default -> i;
        };
        for (; i < to; i++) out[i] = apply(op, p, x[i]);
    }

    private static int neg(float[] x, float[] out, int i, int bound) {
        for (; i < bound; i += S.length()) FloatVector.fromArray(S, x, i).neg().intoArray(out, i);
        return i;
    }

    private static int abs(float[] x, float[] out, int i, int bound) {
        for (; i < bound; i += S.length()) FloatVector.fromArray(S, x, i).abs().intoArray(out, i);
        return i;
    }

    private static int maxScalar(float[] x, float p, float[] out, int i, int bound) {
        for (; i < bound; i += S.length()) FloatVector.fromArray(S, x, i).max(p).intoArray(out, i);
        return i;
    }

    private static int minScalar(float[] x, float p, float[] out, int i, int bound) {
        for (; i < bound; i += S.length()) FloatVector.fromArray(S, x, i).min(p).intoArray(out, i);
        return i;
    }

    private static int leakyRelu(float[] x, float slope, float[] out, int i, int bound) {
        for (; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.mul(slope).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(out, i);
        }
        return i;
    }

    private static int leakyStep(float[] x, float slope, float[] out, int i, int bound) {
        FloatVector s = FloatVector.broadcast(S, slope);
        for (; i < bound; i += S.length()) {
            s.blend(1f, FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f)).intoArray(out, i);
        }
        return i;
    }

    /** {@code out[i] = g[i] · (x[i] > 0 ? 1 : slope)} for i in [from, to): g·1 is g, so the product is taken where the step is the slope only. */
    static void leakyReluGrad(float slope, float[] g, float[] x, float[] out, int from, int to) {
        int i = from, bound = from + S.loopBound(to - from);
        for (; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, g, i);
            v.mul(slope).blend(v, FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f)).intoArray(out, i);
        }
        for (; i < to; i++) out[i] = x[i] > 0 ? g[i] : g[i] * slope;
    }

    private static int greater(float[] x, float p, float[] out, int i, int bound) {
        for (; i < bound; i += S.length()) {
            ZERO.blend(1f, FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, p)).intoArray(out, i);
        }
        return i;
    }

    private static int less(float[] x, float p, float[] out, int i, int bound) {
        for (; i < bound; i += S.length()) {
            ZERO.blend(1f, FloatVector.fromArray(S, x, i).compare(VectorOperators.LT, p)).intoArray(out, i);
        }
        return i;
    }

    private static int nonFinite(float[] x, float[] out, int i, int bound) {
        for (; i < bound; i += S.length()) {
            ZERO.blend(1f, FloatVector.fromArray(S, x, i).test(VectorOperators.IS_FINITE).not()).intoArray(out, i);
        }
        return i;
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
            case TANH -> Tanh.of(x);
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

    /** The vectorizable prefix of a dense run; returns how many elements it wrote. */
    private static int denseRun(BinaryOp op, float[] a, int ai, float[] b, int bi, float[] out, int o, int len) {
        int bound = S.loopBound(len);
        return switch (op) {
            case ADD -> plus(a, ai, b, bi, out, o, bound);
            case SUB -> minus(a, ai, b, bi, out, o, bound);
            case MUL -> times(a, ai, b, bi, out, o, bound);
            case DIV -> over(a, ai, b, bi, out, o, bound);
            case MAX -> max(a, ai, b, bi, out, o, bound);
            case MIN -> min(a, ai, b, bi, out, o, bound);
            default -> 0;
        };
    }

    private static int plus(float[] a, int ai, float[] b, int bi, float[] out, int o, int bound) {
        int i = 0;
        for (; i < bound; i += S.length()) {
            FloatVector.fromArray(S, a, ai + i).add(FloatVector.fromArray(S, b, bi + i)).intoArray(out, o + i);
        }
        return i;
    }

    private static int minus(float[] a, int ai, float[] b, int bi, float[] out, int o, int bound) {
        int i = 0;
        for (; i < bound; i += S.length()) {
            FloatVector.fromArray(S, a, ai + i).sub(FloatVector.fromArray(S, b, bi + i)).intoArray(out, o + i);
        }
        return i;
    }

    private static int times(float[] a, int ai, float[] b, int bi, float[] out, int o, int bound) {
        int i = 0;
        for (; i < bound; i += S.length()) {
            FloatVector.fromArray(S, a, ai + i).mul(FloatVector.fromArray(S, b, bi + i)).intoArray(out, o + i);
        }
        return i;
    }

    private static int over(float[] a, int ai, float[] b, int bi, float[] out, int o, int bound) {
        int i = 0;
        for (; i < bound; i += S.length()) {
            FloatVector.fromArray(S, a, ai + i).div(FloatVector.fromArray(S, b, bi + i)).intoArray(out, o + i);
        }
        return i;
    }

    private static int max(float[] a, int ai, float[] b, int bi, float[] out, int o, int bound) {
        int i = 0;
        for (; i < bound; i += S.length()) {
            FloatVector.fromArray(S, a, ai + i).max(FloatVector.fromArray(S, b, bi + i)).intoArray(out, o + i);
        }
        return i;
    }

    private static int min(float[] a, int ai, float[] b, int bi, float[] out, int o, int bound) {
        int i = 0;
        for (; i < bound; i += S.length()) {
            FloatVector.fromArray(S, a, ai + i).min(FloatVector.fromArray(S, b, bi + i)).intoArray(out, o + i);
        }
        return i;
    }

    /**
     * The vectorizable prefix of a run where one operand is dense and the other one value (a
     * per-channel bias or scale over a plane); returns how many elements it wrote.
     */
    private static int broadcastRun(BinaryOp op, float[] a, int ai, int as, float[] b, int bi, float[] out, int o, int len) {
        if (len < S.length()) return 0;   // also keeps an empty run from reading the single value
        boolean scalarFirst = as == 0;
        float s = scalarFirst ? a[ai] : b[bi];
        float[] v = scalarFirst ? b : a;
        int vi = scalarFirst ? bi : ai;
        return switch (op) {
            case ADD -> plusScalar(v, vi, s, out, o, len);
            case MUL -> timesScalar(v, vi, s, out, o, len);
            case SUB -> scalarFirst ? scalarMinus(s, v, vi, out, o, len) : plusScalar(v, vi, -s, out, o, len);
            case DIV -> scalarFirst ? scalarOver(s, v, vi, out, o, len) : overScalar(v, vi, s, out, o, len);
            default -> 0;
        };
    }

    private static int plusScalar(float[] x, int xi, float s, float[] out, int o, int len) {
        int i = 0, bound = S.loopBound(len);
        for (; i < bound; i += S.length()) FloatVector.fromArray(S, x, xi + i).add(s).intoArray(out, o + i);
        return i;
    }

    private static int timesScalar(float[] x, int xi, float s, float[] out, int o, int len) {
        int i = 0, bound = S.loopBound(len);
        for (; i < bound; i += S.length()) FloatVector.fromArray(S, x, xi + i).mul(s).intoArray(out, o + i);
        return i;
    }

    private static int overScalar(float[] x, int xi, float s, float[] out, int o, int len) {
        int i = 0, bound = S.loopBound(len);
        for (; i < bound; i += S.length()) FloatVector.fromArray(S, x, xi + i).div(s).intoArray(out, o + i);
        return i;
    }

    private static int scalarMinus(float s, float[] x, int xi, float[] out, int o, int len) {
        FloatVector sv = FloatVector.broadcast(S, s);
        int i = 0, bound = S.loopBound(len);
        for (; i < bound; i += S.length()) sv.sub(FloatVector.fromArray(S, x, xi + i)).intoArray(out, o + i);
        return i;
    }

    private static int scalarOver(float s, float[] x, int xi, float[] out, int o, int len) {
        FloatVector sv = FloatVector.broadcast(S, s);
        int i = 0, bound = S.loopBound(len);
        for (; i < bound; i += S.length()) sv.div(FloatVector.fromArray(S, x, xi + i)).intoArray(out, o + i);
        return i;
    }

    /** {@code out[o + i·os] = cond[ci + i·cs] != 0 ? a[ai + i·as] : b[bi + i·bs]} for i &lt; len. */
    static void where(float[] cond, int ci, int cs, float[] a, int ai, int as, float[] b, int bi, int bs,
                      float[] out, int o, int os, int len) {
        for (int i = 0; i < len; i++) out[o + i * os] = cond[ci + i * cs] != 0 ? a[ai + i * as] : b[bi + i * bs];
    }
}
