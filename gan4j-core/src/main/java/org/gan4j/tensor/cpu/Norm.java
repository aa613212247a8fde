package org.gan4j.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch normalization's passes over x viewed as [outer, channels, inner], for a range of
 * channels or rows. Channel c's values are the runs x[o, c, :]; when inner is 1 (a batch norm
 * over features) the channels lie side by side in each row instead, and a vector's lanes take
 * neighbouring channels. A run's lanes add up in float and runs add up in double; along features,
 * a lane adds its channel's rows in float, in the same order as the scalar tail, so results do not
 * depend on how threads split the channels. The affine map's two forms are separate entries, each compiled with
 * its own two loops: one entry holding all four boxed the vectors in some runs (BENCHMARKS.md,
 * fifth round).
 */
final class Norm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();

    private Norm() {
    }

    /** The mean and the biased variance of channels [c0, c1): a pass for the mean, then one about it. */
    static void moments(float[] x, int outer, int channels, int inner, int c0, int c1, float[] mean, float[] var) {
        int c = c0;
        if (inner == 1) {
            for (; c + VL <= c1; c += VL) featureMoments(x, outer, channels, c, mean, var);
            for (; c < c1; c++) {
                float sum = 0, squares = 0;
                for (int o = 0; o < outer; o++) sum += x[o * channels + c];
                float m = sum / outer;
                for (int o = 0; o < outer; o++) {
                    float d = x[o * channels + c] - m;
                    squares = Math.fma(d, d, squares);
                }
                mean[c] = m;
                var[c] = squares / outer;
            }
            return;
        }
        double count = (double) outer * inner;
        for (; c < c1; c++) {
            double sum = 0, squares = 0;
            for (int o = 0; o < outer; o++) sum += sum(x, (o * channels + c) * inner, inner);
            float m = (float) (sum / count);
            for (int o = 0; o < outer; o++) squares += squares(x, (o * channels + c) * inner, inner, m);
            mean[c] = m;
            var[c] = (float) (squares / count);
        }
    }

    /** Σ g and Σ g·(x − center[c]) over channels [c0, c1). */
    static void gradSums(float[] g, float[] x, float[] center, int outer, int channels, int inner, int c0, int c1,
                         float[] sumG, float[] sumGX) {
        int c = c0;
        if (inner == 1) {
            for (; c + VL <= c1; c += VL) featureGradSums(g, x, center, outer, channels, c, sumG, sumGX);
            for (; c < c1; c++) {
                float sum = 0, dot = 0;
                for (int o = 0; o < outer; o++) {
                    int at = o * channels + c;
                    sum += g[at];
                    dot = Math.fma(g[at], x[at] - center[c], dot);
                }
                sumG[c] = sum;
                sumGX[c] = dot;
            }
            return;
        }
        for (; c < c1; c++) {
            double sum = 0, dot = 0;
            for (int o = 0; o < outer; o++) {
                int at = (o * channels + c) * inner;
                sum += sum(g, at, inner);
                dot += dot(g, x, at, inner, center[c]);
            }
            sumG[c] = (float) sum;
            sumGX[c] = (float) dot;
        }
    }

    /**
     * out = (x − center[c])·scale[c] + shift[c] over rows [r0, r1): rows of inner values, one
     * channel each, or when inner is 1 rows of every channel.
     */
    static void affine(float[] x, float[] center, float[] scale, float[] shift, int channels, int inner,
                       int r0, int r1, float[] out) {
        for (int r = r0; r < r1; r++) {
            int c = r % channels;
            if (inner == 1) {
                featureRow(x, center, scale, shift, r * channels, channels, out);
            } else {
                channelRun(x, center[c], scale[c], shift[c], r * inner, inner, out);
            }
        }
    }

    /** As {@link #affine(float[], float[], float[], float[], int, int, int, int, float[])}, plus y·yScale[c]. */
    static void affine(float[] x, float[] center, float[] scale, float[] shift, float[] y, float[] yScale,
                       int channels, int inner, int r0, int r1, float[] out) {
        for (int r = r0; r < r1; r++) {
            int c = r % channels;
            if (inner == 1) {
                featureRow(x, center, scale, shift, y, yScale, r * channels, channels, out);
            } else {
                channelRun(x, center[c], scale[c], shift[c], y, yScale[c], r * inner, inner, out);
            }
        }
    }

    // ---- one channel: runs of inner values ------------------------------------------------

    private static double sum(float[] x, int at, int len) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += VL) acc = acc.add(FloatVector.fromArray(S, x, at + i));
        double sum = Lanes.sum(acc);
        for (; i < len; i++) sum += x[at + i];
        return sum;
    }

    /** Σ (x − center)². */
    private static double squares(float[] x, int at, int len, float center) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += VL) {
            FloatVector d = FloatVector.fromArray(S, x, at + i).sub(center);
            acc = d.fma(d, acc);
        }
        double sum = Lanes.sum(acc);
        for (; i < len; i++) {
            double d = x[at + i] - center;
            sum += d * d;
        }
        return sum;
    }

    /** Σ g·(x − center). */
    private static double dot(float[] g, float[] x, int at, int len, float center) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += VL) {
            acc = FloatVector.fromArray(S, g, at + i).fma(FloatVector.fromArray(S, x, at + i).sub(center), acc);
        }
        double sum = Lanes.sum(acc);
        for (; i < len; i++) sum += (double) g[at + i] * (x[at + i] - center);
        return sum;
    }

    private static void channelRun(float[] x, float center, float scale, float shift, int at, int len, float[] out) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += VL) {
            FloatVector.fromArray(S, x, at + i).sub(center).mul(scale).add(shift).intoArray(out, at + i);
        }
        for (; i < len; i++) out[at + i] = (x[at + i] - center) * scale + shift;
    }

    private static void channelRun(float[] x, float center, float scale, float shift, float[] y, float yScale,
                                   int at, int len, float[] out) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += VL) {
            FloatVector.fromArray(S, x, at + i).sub(center).mul(scale).add(shift)
                    .add(FloatVector.fromArray(S, y, at + i).mul(yScale)).intoArray(out, at + i);
        }
        for (; i < len; i++) out[at + i] = (x[at + i] - center) * scale + shift + y[at + i] * yScale;
    }

    // ---- features (inner = 1): lanes are channels ------------------------------------------

    private static void featureMoments(float[] x, int outer, int channels, int c, float[] mean, float[] var) {
        FloatVector sum = FloatVector.zero(S);
        for (int o = 0; o < outer; o++) sum = sum.add(FloatVector.fromArray(S, x, o * channels + c));
        FloatVector m = sum.div(outer), squares = FloatVector.zero(S);
        for (int o = 0; o < outer; o++) {
            FloatVector d = FloatVector.fromArray(S, x, o * channels + c).sub(m);
            squares = d.fma(d, squares);
        }
        m.intoArray(mean, c);
        squares.div(outer).intoArray(var, c);
    }

    private static void featureGradSums(float[] g, float[] x, float[] center, int outer, int channels, int c,
                                        float[] sumG, float[] sumGX) {
        FloatVector m = FloatVector.fromArray(S, center, c), sum = FloatVector.zero(S), dot = FloatVector.zero(S);
        for (int o = 0; o < outer; o++) {
            int at = o * channels + c;
            FloatVector gv = FloatVector.fromArray(S, g, at);
            sum = sum.add(gv);
            dot = gv.fma(FloatVector.fromArray(S, x, at).sub(m), dot);
        }
        sum.intoArray(sumG, c);
        dot.intoArray(sumGX, c);
    }

    private static void featureRow(float[] x, float[] center, float[] scale, float[] shift, int at, int len, float[] out) {
        int j = 0;
        for (int bound = S.loopBound(len); j < bound; j += VL) {
            FloatVector.fromArray(S, x, at + j).sub(FloatVector.fromArray(S, center, j))
                    .mul(FloatVector.fromArray(S, scale, j)).add(FloatVector.fromArray(S, shift, j)).intoArray(out, at + j);
        }
        for (; j < len; j++) out[at + j] = (x[at + j] - center[j]) * scale[j] + shift[j];
    }

    private static void featureRow(float[] x, float[] center, float[] scale, float[] shift, float[] y, float[] yScale,
                                   int at, int len, float[] out) {
        int j = 0;
        for (int bound = S.loopBound(len); j < bound; j += VL) {
            FloatVector.fromArray(S, x, at + j).sub(FloatVector.fromArray(S, center, j))
                    .mul(FloatVector.fromArray(S, scale, j)).add(FloatVector.fromArray(S, shift, j))
                    .add(FloatVector.fromArray(S, y, at + j).mul(FloatVector.fromArray(S, yScale, j))).intoArray(out, at + j);
        }
        for (; j < len; j++) out[at + j] = (x[at + j] - center[j]) * scale[j] + shift[j] + y[at + j] * yScale[j];
    }
}
