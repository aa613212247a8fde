package org.gan4j.tensor.cpu;

import java.util.Arrays;
import org.gan4j.tensor.ConvGeometry;

/**
 * Unfolding for convolution as GEMM: one image channel at a time, so channels can be processed
 * in parallel (each touches only its own rows of cols and its own plane of x).
 */
final class Conv {
    private Conv() {
    }

    /** Writes the kh·kw rows of channel ci in image img's cols: row (ci·kh + ki)·kw + kj, column oy·ow + ox. */
    static void im2col(float[] x, float[] cols, ConvGeometry g, int img, int ci) {
        int pixels = g.outputPixels(), plane = g.h() * g.w();
        int xBase = (img * g.c() + ci) * plane;
        for (int ki = 0; ki < g.kh(); ki++) {
            for (int kj = 0; kj < g.kw(); kj++) {
                int row = (img * g.patchSize() + (ci * g.kh() + ki) * g.kw() + kj) * pixels;
                int lo = firstInside(kj, g.padW(), g.strideW(), g.ow());
                int hi = endInside(kj, g.padW(), g.strideW(), g.w(), g.ow());
                for (int oy = 0; oy < g.oh(); oy++) {
                    int at = row + oy * g.ow(), iy = oy * g.strideH() - g.padH() + ki;
                    if (iy < 0 || iy >= g.h() || lo >= hi) {
                        Arrays.fill(cols, at, at + g.ow(), 0f);
                        continue;
                    }
                    Arrays.fill(cols, at, at + lo, 0f);
                    Arrays.fill(cols, at + hi, at + g.ow(), 0f);
                    int src = xBase + iy * g.w() + lo * g.strideW() - g.padW() + kj;
                    if (g.strideW() == 1) {
                        System.arraycopy(x, src, cols, at + lo, hi - lo);
                    } else {
                        for (int ox = lo; ox < hi; ox++, src += g.strideW()) cols[at + ox] = x[src];
                    }
                }
            }
        }
    }

    /** Adds channel ci's rows of cols back into its plane of image img; the plane is zeroed first. */
    static void col2im(float[] cols, float[] x, ConvGeometry g, int img, int ci) {
        int pixels = g.outputPixels(), plane = g.h() * g.w();
        int xBase = (img * g.c() + ci) * plane;
        Arrays.fill(x, xBase, xBase + plane, 0f);
        for (int ki = 0; ki < g.kh(); ki++) {
            for (int kj = 0; kj < g.kw(); kj++) {
                int row = (img * g.patchSize() + (ci * g.kh() + ki) * g.kw() + kj) * pixels;
                int lo = firstInside(kj, g.padW(), g.strideW(), g.ow());
                int hi = endInside(kj, g.padW(), g.strideW(), g.w(), g.ow());
                for (int oy = 0; oy < g.oh(); oy++) {
                    int at = row + oy * g.ow(), iy = oy * g.strideH() - g.padH() + ki;
                    if (iy < 0 || iy >= g.h()) continue;
                    int dst = xBase + iy * g.w() + lo * g.strideW() - g.padW() + kj;
                    for (int ox = lo; ox < hi; ox++, dst += g.strideW()) x[dst] += cols[at + ox];
                }
            }
        }
    }

    /** The first ox whose input column ox·stride − pad + kj is ≥ 0 (clamped to ow). */
    private static int firstInside(int kj, int pad, int stride, int ow) {
        int need = pad - kj;
        return need <= 0 ? 0 : Math.min(ow, (need + stride - 1) / stride);
    }

    /** One past the last ox whose input column is &lt; w (clamped to [0, ow]). */
    private static int endInside(int kj, int pad, int stride, int w, int ow) {
        int limit = w + pad - kj;   // need ox·stride < limit
        return limit <= 0 ? 0 : Math.min(ow, (limit + stride - 1) / stride);
    }
}
