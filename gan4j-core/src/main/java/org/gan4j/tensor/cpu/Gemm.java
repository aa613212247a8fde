package org.gan4j.tensor.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batched single-precision GEMM, {@code C = alpha·op(A)·op(B) + beta·C}, row-major.
 *
 * <p>The classic blocked scheme: C is cut into MC×NC blocks, handed out to threads; for each
 * KC-deep slice of k, a block packs its rows of op(A) (scaled by alpha) into MR-row slivers and
 * its columns of op(B) into NR-column slivers, so the micro-kernel reads both contiguously and
 * keeps an MR×NR tile of C in registers. A sliver of B (KC·NR floats) stays in L1 while the
 * slivers of A stream past it from L2. Padding the slivers with zeros lets edge tiles run the
 * same kernel; only their store is partial.
 */
final class Gemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    private static final int MR = 6, NR = 2 * VL;
    /** Block sizes: a KC×NR sliver of B fits in L1 and an MC×KC block of A in L2; NC is a multiple of NR. */
    private static final int KC = 256, MC = 16 * MR, NC = 512 / NR * NR;

    /** Per-thread packing buffers, reused across calls so a GEMM allocates nothing. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final float[] a = new float[MC * KC];
        final float[] b = new float[KC * NC];
        final float[] tile = new float[MR * NR];
    }

    private Gemm() {
    }

    private record Job(boolean transA, boolean transB, int m, int n, int k, float alpha,
                       float[] a, int lda, int strideA, float[] b, int ldb, int strideB,
                       float[] c, int ldc, int strideC) {

        /** C_bi ← beta·C_bi + alpha·op(A_bi)·op(B_bi) on the block of rows i0.., columns j0... */
        void block(int bi, int i0, int j0, float beta) {
            int mc = Math.min(MC, m - i0), nc = Math.min(NC, n - j0);
            int aOff = bi * strideA, bOff = bi * strideB, cOff = bi * strideC + i0 * ldc + j0;
            scale(cOff, mc, nc, beta);
            if (k == 0 || alpha == 0) return;
            Scratch s = SCRATCH.get();
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kc = Math.min(KC, k - p0);
                packA(s.a, aOff, i0, mc, p0, kc);
                packB(s.b, bOff, p0, kc, j0, nc);
                for (int jr = 0; jr < nc; jr += NR) {
                    for (int ir = 0; ir < mc; ir += MR) {
                        kernel(s.a, ir * kc, s.b, jr * kc, kc, c, cOff + ir * ldc + jr, ldc,
                               Math.min(MR, mc - ir), Math.min(NR, nc - jr), s.tile);
                    }
                }
            }
        }

        /** C ← beta·C on the block; beta = 0 overwrites, so NaN or garbage in C is ignored. */
        private void scale(int cOff, int mc, int nc, float beta) {
            if (beta == 1) return;
            for (int i = 0; i < mc; i++) {
                int row = cOff + i * ldc;
                if (beta == 0) {
                    Arrays.fill(c, row, row + nc, 0f);
                } else {
                    for (int j = 0; j < nc; j++) c[row + j] *= beta;
                }
            }
        }

        /** Packs alpha·op(A)[i0 .. i0+mc, p0 .. p0+kc] as slivers: element (r, p) of sliver s at s·MR·kc + p·MR + r. */
        private void packA(float[] dst, int aOff, int i0, int mc, int p0, int kc) {
            for (int ir = 0; ir < mc; ir += MR) {
                int rows = Math.min(MR, mc - ir), base = ir * kc;
                if (rows < MR) Arrays.fill(dst, base, base + MR * kc, 0f);
                if (transA) {
                    for (int p = 0; p < kc; p++) {
                        int src = aOff + (p0 + p) * lda + i0 + ir;
                        for (int r = 0; r < rows; r++) dst[base + p * MR + r] = alpha * a[src + r];
                    }
                } else {
                    for (int r = 0; r < rows; r++) {
                        int src = aOff + (i0 + ir + r) * lda + p0;
                        for (int p = 0; p < kc; p++) dst[base + p * MR + r] = alpha * a[src + p];
                    }
                }
            }
        }

        /** Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] as slivers: element (p, c) of sliver s at s·NR·kc + p·NR + c. */
        private void packB(float[] dst, int bOff, int p0, int kc, int j0, int nc) {
            for (int jr = 0; jr < nc; jr += NR) {
                int cols = Math.min(NR, nc - jr), base = jr * kc;
                if (cols < NR) Arrays.fill(dst, base, base + NR * kc, 0f);
                if (transB) {
                    for (int col = 0; col < cols; col++) {
                        int src = bOff + (j0 + jr + col) * ldb + p0;
                        for (int p = 0; p < kc; p++) dst[base + p * NR + col] = b[src + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        System.arraycopy(b, bOff + (p0 + p) * ldb + j0 + jr, dst, base + p * NR, cols);
                    }
                }
            }
        }
    }

    /**
     * C_b = alpha·op(A_b)·op(B_b) + beta·C_b for every b &lt; batch; see
     * {@link org.gan4j.tensor.Backend#gemm} for the argument conventions.
     */
    static void gemm(Parallel parallel, boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int lda, int strideA, float[] b, int ldb, int strideB,
                     float beta, float[] c, int ldc, int strideC, int batch) {
        if (m <= 0 || n <= 0 || batch <= 0) return;
        var job = new Job(transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, c, ldc, strideC);
        int nBlocks = (n + NC - 1) / NC, blocks = (m + MC - 1) / MC * nBlocks;
        // Entries that share one C add their products into it: beta once, then accumulate.
        boolean shared = strideC == 0 && batch > 1;
        parallel.parallelFor((shared ? 1 : batch) * blocks, 1, (from, to) -> {
            for (int t = from; t < to; t++) {
                int i0 = t % blocks / nBlocks * MC, j0 = t % blocks % nBlocks * NC;
                if (shared) {
                    for (int bi = 0; bi < batch; bi++) job.block(bi, i0, j0, bi == 0 ? beta : 1);
                } else {
                    job.block(t / blocks, i0, j0, beta);
                }
            }
        });
    }

    /** Adds the product of one packed sliver of A (MR×kc) and one of B (kc×NR) into C's tile. */
    private static void kernel(float[] pa, int ao, float[] pb, int bo, int kc, float[] c, int co, int ldc,
                               int rows, int cols, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++) {
            int ai = ao + p * MR, bi = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, pb, bi);
            FloatVector b1 = FloatVector.fromArray(S, pb, bi + VL);
            FloatVector x = FloatVector.broadcast(S, pa[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, pa[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, pa[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, pa[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, pa[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, pa[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        if (rows == MR && cols == NR) {
            add(c, co, c00, c01);
            add(c, co + ldc, c10, c11);
            add(c, co + 2 * ldc, c20, c21);
            add(c, co + 3 * ldc, c30, c31);
            add(c, co + 4 * ldc, c40, c41);
            add(c, co + 5 * ldc, c50, c51);
            return;
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, VL);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + VL);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + VL);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + VL);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + VL);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + VL);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) c[co + r * ldc + j] += tile[r * NR + j];
        }
    }

    private static void add(float[] c, int at, FloatVector lo, FloatVector hi) {
        FloatVector.fromArray(S, c, at).add(lo).intoArray(c, at);
        FloatVector.fromArray(S, c, at + VL).add(hi).intoArray(c, at + VL);
    }
}
