package org.gan4j.tensor.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.gan4j.tensor.ConvGeometry;

/**
 * Unfolding for convolution as GEMM: one image channel at a time, so channels can be processed
 * in parallel (each touches only its own rows of cols and its own plane of x).
 */
final class Conv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();

    private Conv() {
    }

    /**
     * Where {@link #im2col} reads from. One channel's kh·kw rows of cols are one run of
     * {@code span} = kh·kw·oh·ow values (row ki·kw + kj, column oy·ow + ox): value t is the plane's
     * value at {@code index[t]}, or a zero of the padding where {@code inside[t]} is false. Both are
     * padded to whole vectors, so the run is read in VL-wide gathers whatever the stride.
     */
    record Unfold(int span, int[] index, boolean[] inside) {
        static Unfold of(ConvGeometry g) {
            int span = g.kh() * g.kw() * g.outputPixels(), t = 0;
            int[] index = new int[Math.ceilDiv(span, VL) * VL];
            boolean[] inside = new boolean[index.length];
            for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++) {
                    for (int oy = 0; oy < g.oh(); oy++) {
                        for (int ox = 0; ox < g.ow(); ox++, t++) {
                            int iy = oy * g.strideH() - g.padH() + ki, ix = ox * g.strideW() - g.padW() + kj;
                            inside[t] = iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w();
                            if (inside[t]) index[t] = iy * g.w() + ix;
                        }
                    }
                }
            }
            return new Unfold(span, index, inside);
        }
    }

    /** Writes the kh·kw rows of channel ci in image img's cols: row (ci·kh + ki)·kw + kj, column oy·ow + ox. */
    static void im2col(float[] x, float[] cols, ConvGeometry g, Unfold plan, int img, int ci) {
        int xBase = (img * g.c() + ci) * g.h() * g.w(), at = (img * g.patchSize() + ci * g.kh() * g.kw()) * g.outputPixels();
        int span = plan.span();
        for (int t = 0; t < span; t += VL) {
            var inside = VectorMask.fromArray(S, plan.inside(), t);
            FloatVector v = FloatVector.fromArray(S, x, xBase, plan.index(), t, inside);
            if (t + VL <= span) {
                v.intoArray(cols, at + t);
            } else {
                v.intoArray(cols, at + t, S.indexInRange(t, span));
            }
        }
    }

    /**
     * Where {@link #col2im} gathers from. Image row iy is written in VL-wide chunks; chunk
     * {@code iy·chunks + c} (image columns c·VL + L) is the sum over its sources q, from
     * {@code first[chunk]} to {@code first[chunk + 1]}, of the VL values of cols at
     * {@code from[q]} (relative to the channel's first row) permuted by the index vector at
     * {@code index[lane[q]]}: a source is the row (ki, kj, oy) of cols that reaches image row iy,
     * and lane L takes the ox with ox·stride − pad + kj = c·VL + L, or lane VL (a zero) when there
     * is none. One chunk needs at most VL consecutive ox, since stride ≥ 1.
     */
    record Gather(int chunks, float[] index, int[] first, int[] from, int[] lane) {
        static Gather of(ConvGeometry g) {
            int chunks = Math.ceilDiv(g.w(), VL), taps = g.kw() * chunks;
            float[] index = new float[taps * VL];
            int[] start = new int[taps];   // the first ox a tap (kj, c) reads; -1: none
            for (int kj = 0; kj < g.kw(); kj++) {
                for (int c = 0; c < chunks; c++) {
                    int tap = kj * chunks + c;
                    start[tap] = -1;
                    for (int lane = 0; lane < VL; lane++) {
                        int t = c * VL + lane + g.padW() - kj, ox = t / g.strideW();
                        boolean hit = c * VL + lane < g.w() && t >= 0 && t % g.strideW() == 0 && ox < g.ow();
                        if (hit && start[tap] < 0) start[tap] = ox;
                        index[tap * VL + lane] = hit ? ox - start[tap] : VL;
                    }
                }
            }
            int[] first = new int[g.h() * chunks + 1], from = new int[g.h() * taps * g.kh()], lane = new int[from.length];
            int q = 0;
            for (int iy = 0; iy < g.h(); iy++) {
                for (int c = 0; c < chunks; c++) {
                    first[iy * chunks + c] = q;
                    for (int ki = 0; ki < g.kh(); ki++) {
                        int t = iy + g.padH() - ki, oy = t / g.strideH();
                        if (t < 0 || t % g.strideH() != 0 || oy >= g.oh()) continue;
                        for (int kj = 0, tap = c; kj < g.kw(); kj++, tap += chunks) {
                            if (start[tap] < 0) continue;
                            from[q] = (ki * g.kw() + kj) * g.outputPixels() + oy * g.ow() + start[tap];
                            lane[q++] = tap * VL;
                        }
                    }
                }
            }
            first[g.h() * chunks] = q;
            return new Gather(chunks, index, first, from, lane);
        }
    }

    /**
     * Sums channel ci's rows of cols back into its plane of image img, overwriting it: each chunk
     * of an image row gathers its contributions in one register and is written once.
     */
    static void col2im(float[] cols, float[] x, ConvGeometry g, Gather plan, int img, int ci) {
        int span = g.kh() * g.kw() * g.outputPixels(), channel = (img * g.patchSize() + ci * g.kh() * g.kw()) * g.outputPixels();
        if (channel + span + VL > cols.length) {
            // the last channel: its loads would reach past the array's end, so it is read from a padded copy
            cols = Arrays.copyOfRange(cols, channel, channel + span + VL);
            channel = 0;
        }
        int xBase = (img * g.c() + ci) * g.h() * g.w(), chunks = plan.chunks();
        for (int iy = 0; iy < g.h(); iy++) {
            for (int c = 0; c < chunks; c++) {
                sumChunk(cols, channel, plan, iy * chunks + c, x, xBase + iy * g.w() + c * VL, Math.min(VL, g.w() - c * VL));
            }
        }
    }

    /** One chunk of {@link #col2im}: its first {@code lanes} lanes into x at {@code at}. */
    private static void sumChunk(float[] cols, int channel, Gather plan, int chunk, float[] x, int at, int lanes) {
        FloatVector sum = FloatVector.zero(S);
        for (int q = plan.first()[chunk]; q < plan.first()[chunk + 1]; q++) {
            // the permute's operands are made in the loop body: see Gemm.packTransposed16 on why
            FloatVector v = FloatVector.fromArray(S, cols, channel + plan.from()[q]);
            sum = sum.add(FloatVector.fromArray(S, plan.index(), plan.lane()[q]).selectFrom(v, FloatVector.zero(S)));
        }
        if (lanes == VL) {
            sum.intoArray(x, at);
        } else {
            sum.intoArray(x, at, S.indexInRange(0, lanes));
        }
    }
}
