package org.gan4j.tensor.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.gan4j.tensor.UnaryOp;

/**
 * Batched single-precision GEMM, {@code C = alpha·op(A)·op(B) + beta·C}, row-major.
 *
 * <p>The blocked scheme of BLIS: for each NC-wide panel of columns and KC-deep slice of k, op(B)
 * is packed once into NR-column slivers; for each MC-high block of rows, op(A) (scaled by alpha)
 * is packed into MR-row slivers; the micro-kernel keeps an MR×NR tile of C in registers while it
 * reads both contiguously. Zero padding lets edge tiles run the same kernel; only their store is
 * partial.
 *
 * <p>A batch whose entries share one matrix is folded into a single larger product, so thin
 * per-image products (a convolution's) become one well-shaped GEMM and the shared matrix is packed
 * once: with one A, the images' columns are laid side by side (N grows); with one B, their rows
 * (M grows); with one C, their depths (K grows: the products add up). Threads take disjoint
 * blocks of C.
 */
final class Gemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** Register tile: MR rows × two vectors, 16 accumulators (larger tiles measured no faster and waste rows when m is 64 or 128). */
    private static final int MR = 8, NR = 2 * VL;
    /** Block sizes, tuned by measurement: an MC×KC block of A and a KC×NC panel of B fit in L2; NC is a multiple of NR. */
    private static final int KC = 384, MC = 128 / MR * MR, NC = 512 / NR * NR;
    /** Elements of a row read at once when packing a transposed operand (one cache line). */
    private static final int TRANSPOSE_RUN = 16;
    /** Index vectors of {@link #packTransposed16}: for h = 8, 4, 2, 1 the lanes of the new rows i and i + h. */
    private static final float[] SWAP = swapIndexes();
    /**
     * Index vectors of {@link #packRows8}'s zips, low half then high: lane l takes lane l / 2
     * (+ VL / 2 for the high half) of the first vector where l is even, of the second where odd.
     */
    private static final float[] ZIP = zipIndexes();
    /** 0, 1, …, NR − 1: a sliver's lanes, for masks by column. */
    private static final float[] LANES = lanes();

    /** Per-thread packing buffers, reused across calls so a GEMM allocates nothing. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final float[] a = new float[MC * KC];
        final float[] b = new float[KC * NC];
        final float[] tile = new float[MR * NR];
        final int[] rowOff = new int[MC];
    }

    /**
     * What becomes of the finished C, in the pass that stores it: C ← act(C + bias), bias (or null)
     * one value per row of each product (perRow) or per column; activation null, RELU or
     * LEAKY_RELU. Each value is computed as the separate kernels would, so the bits are theirs.
     */
    record Epilogue(float[] bias, boolean perRow, UnaryOp activation, float slope) {
        float apply(float v, int row, int column) {
            if (bias != null) v += bias[perRow ? row : column];
            return activation == null ? v : Elementwise.apply(activation, slope, v);
        }
    }

    /** Which dimension the batch is folded into. */
    private enum Fold { NONE, ROWS, COLUMNS, DEPTH }

    private Gemm() {
    }

    /**
     * One GEMM call over virtual indices: when the batch is folded, a virtual index v of the folded
     * dimension is (image v / size, index v % size); depth is the folded k.
     */
    private record Job(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                       float[] a, int lda, int strideA, float[] b, int ldb, int strideB,
                       float[] c, int ldc, int strideC, Fold fold, int depth, Epilogue epilogue) {

        /**
         * C_bi[i0 .. i1, j0 .. j1] over virtual rows and columns: for each KC slice, pack B's panel,
         * then A's blocks, and run the kernel over every tile.
         */
        void block(int bi, int i0, int i1, int j0, int j1) {
            Scratch s = SCRATCH.get();
            if (depth == 0 || alpha == 0) {
                scale(bi, i0, i1, j0, j1);
                return;
            }
            if (beta != 0 && beta != 1) scale(bi, i0, i1, j0, j1);
            int nc = j1 - j0;
            for (int p0 = 0; p0 < depth; p0 += KC) {
                int kc = Math.min(KC, depth - p0);
                boolean overwrite = p0 == 0 && beta == 0;
                Epilogue finish = p0 + kc == depth ? epilogue : null;   // C is finished by this slice
                packB(s.b, bi, p0, kc, j0, nc);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packA(s.a, bi, ic, mc, p0, kc);
                    for (int r = 0; r < mc; r++) s.rowOff[r] = rowOffset(bi, ic + r);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int width = Math.min(NR, nc - jr), j = j0 + jr;
                        // a tile's columns are contiguous in C unless they run past the edge or into the next image
                        int colBase = columnOffset(j);
                        boolean contiguous = width == NR && (fold != Fold.COLUMNS || j % n + NR <= n);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int height = Math.min(MR, mc - ir);
                            boolean direct = contiguous && height == MR;
                            kernel(s.a, ir * kc, s.b, jr * kc, kc, s.tile);
                            if (finish != null) {
                                // C's values join the tile and the epilogue runs there; the tile then overwrites C
                                if (!overwrite) storeTile(s.tile, s.rowOff, ir, height, j, width, false, true);
                                finishTile(s.tile, height, ic + ir, j, width, direct, finish);
                            }
                            boolean write = overwrite || finish != null;
                            if (direct) {
                                storeRows(s.tile, s.rowOff, ir, colBase, write);
                            } else {
                                storeTile(s.tile, s.rowOff, ir, height, j, width, write, false);
                            }
                        }
                    }
                }
            }
        }

        /** Offset in c of virtual row i of entry bi (column 0). */
        private int rowOffset(int bi, int i) {
            return fold == Fold.ROWS ? i / m * strideC + i % m * ldc : bi * strideC + i * ldc;
        }

        /** The row of its own product that virtual row i is. */
        private int realRow(int i) {
            return fold == Fold.ROWS ? i % m : i;
        }

        /** The column of its own product that virtual column j is. */
        private int realColumn(int j) {
            return fold == Fold.COLUMNS ? j % n : j;
        }

        /** Offset in c of virtual column j, relative to its row. */
        private int columnOffset(int j) {
            return fold == Fold.COLUMNS ? j / n * strideC + j % n : j;
        }

        /** A full tile into C, rows at rowOff[ir + r] + colBase. */
        private void storeRows(float[] tile, int[] rowOff, int ir, int colBase, boolean overwrite) {
            for (int r = 0; r < MR; r++) {
                int at = rowOff[ir + r] + colBase;
                for (int v = 0; v < NR; v += VL) {
                    FloatVector t = FloatVector.fromArray(S, tile, r * NR + v);
                    if (!overwrite) t = t.add(FloatVector.fromArray(S, c, at + v));
                    t.intoArray(c, at + v);
                }
            }
        }

        /**
         * The epilogue on a tile's first height rows and width columns (C's values already added):
         * its first row is virtual row i, its first column virtual column j. Vectors where the
         * columns share one bias or none, or are C's contiguous columns (direct); values otherwise.
         * A vector passed to a method the compiler does not inline is boxed, so the vector work
         * stays here: in storeRows it was once left uncompiled, 25 MB of garbage per mlp step.
         */
        private void finishTile(float[] tile, int height, int i, int j, int width, boolean direct, Epilogue finish) {
            float[] bias = finish.bias();
            boolean perColumn = bias != null && !finish.perRow();
            for (int r = 0; r < height; r++) {
                int row = realRow(i + r), at = r * NR;
                if (perColumn && !direct) {
                    for (int q = 0; q < width; q++) tile[at + q] = finish.apply(tile[at + q], row, realColumn(j + q));
                    continue;
                }
                for (int v = 0; v < NR; v += VL) {
                    FloatVector t = FloatVector.fromArray(S, tile, at + v);
                    if (bias != null) t = t.add(perColumn ? FloatVector.fromArray(S, bias, realColumn(j) + v) : FloatVector.broadcast(S, bias[row]));
                    if (finish.activation() == UnaryOp.RELU) {
                        t = t.max(0f);
                    } else if (finish.activation() == UnaryOp.LEAKY_RELU) {
                        t = t.mul(finish.slope()).blend(t, t.compare(VectorOperators.GT, 0f));   // as Elementwise's leaky ReLU
                    }
                    t.intoArray(tile, at + v);
                }
            }
        }

        /**
         * The valid part of a tile into C, in runs of columns that are contiguous there (one image
         * each); with toTile, the other way: C's values added into the tile.
         */
        private void storeTile(float[] tile, int[] rowOff, int ir, int height, int j, int width, boolean overwrite, boolean toTile) {
            for (int q0 = 0; q0 < width; ) {
                int span = fold == Fold.COLUMNS ? Math.min(width - q0, n - (j + q0) % n) : width - q0;
                int col = columnOffset(j + q0);
                for (int r = 0; r < height; r++) {
                    int at = rowOff[ir + r] + col, t = r * NR + q0;
                    if (toTile) {
                        for (int q = 0; q < span; q++) tile[t + q] = c[at + q] + tile[t + q];
                    } else if (overwrite) {
                        System.arraycopy(tile, t, c, at, span);
                    } else {
                        for (int q = 0; q < span; q++) c[at + q] += tile[t + q];
                    }
                }
                q0 += span;
            }
        }

        /** C ← beta·C on the block; beta = 0 overwrites, so NaN or garbage in C is ignored. */
        private void scale(int bi, int i0, int i1, int j0, int j1) {
            if (beta == 1) return;
            for (int i = i0; i < i1; i++) {
                int row = rowOffset(bi, i);
                for (int j = j0; j < j1; ) {
                    // runs of columns contiguous in C
                    int len = fold == Fold.COLUMNS ? Math.min(j1 - j, n - j % n) : j1 - j, at = row + columnOffset(j);
                    if (beta == 0) {
                        Arrays.fill(c, at, at + len, 0f);
                    } else {
                        for (int q = 0; q < len; q++) c[at + q] *= beta;
                    }
                    j += len;
                }
            }
        }

        /**
         * Packs alpha·op(A)[i0 .. i0+mc, p0 .. p0+kc] (virtual indices) as slivers: element (r, p)
         * of sliver s at s·MR·kc + p·MR + r; rows past the end are zero.
         */
        private void packA(float[] dst, int bi, int i0, int mc, int p0, int kc) {
            for (int ir = 0; ir < mc; ir += MR) {
                int height = Math.min(MR, mc - ir), base = ir * kc;
                if (height < MR) Arrays.fill(dst, base, base + MR * kc, 0f);
                for (int r0 = 0; r0 < height; ) {
                    // a run of rows from one image
                    int vi = i0 + ir + r0;
                    int img = bi + (fold == Fold.ROWS ? vi / m : 0), i = fold == Fold.ROWS ? vi % m : vi;
                    int span = fold == Fold.ROWS ? Math.min(height - r0, m - i) : height - r0;
                    for (int p = p0, end = p0 + kc; p < end; ) {
                        int e = img + (fold == Fold.DEPTH ? p / k : 0), pl = fold == Fold.DEPTH ? p % k : p;
                        int len = fold == Fold.DEPTH ? Math.min(end - p, k - pl) : end - p;
                        int d = base + (p - p0) * MR + r0;
                        if (transA) {
                            // op(A)'s rows are contiguous in memory: read along them
                            for (int q = 0; q < len; q++) {
                                int src = e * strideA + (pl + q) * lda + i, to = d + q * MR;
                                for (int r = 0; r < span; r++) dst[to + r] = alpha * a[src + r];
                            }
                        } else if (span == MR) {
                            packRows8(a, e * strideA + i * lda + pl, lda, len, alpha, dst, d);
                        } else {
                            for (int r = 0; r < span; r++) {
                                int src = e * strideA + (i + r) * lda + pl, to = d + r;
                                for (int q = 0; q < len; q++) dst[to + q * MR] = alpha * a[src + q];
                            }
                        }
                        p += len;
                    }
                    r0 += span;
                }
            }
        }

        /**
         * Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] (virtual indices) as slivers: element (p, q) of
         * sliver s at s·NR·kc + p·NR + q; columns past the end are zero.
         */
        private void packB(float[] dst, int bi, int p0, int kc, int j0, int nc) {
            for (int jr = 0; jr < nc; jr += NR) {
                int width = Math.min(NR, nc - jr), base = jr * kc;
                int column = (j0 + jr) % n, first = n - column;   // the sliver's columns in its first image
                if (!transB && fold == Fold.COLUMNS && width == NR && first < NR && NR - first <= n) {
                    int from = (bi + (j0 + jr) / n) * strideB + p0 * ldb + column, next = from + strideB - column - first;
                    if (next >= 0 && Math.max(from, next) + (kc - 1) * ldb + NR <= b.length) {   // every load in B
                        packAcrossImages(dst, base, from, next, first, kc);
                        continue;
                    }
                }
                if (width < NR) Arrays.fill(dst, base, base + NR * kc, 0f);
                for (int q0 = 0; q0 < width; ) {
                    int vj = j0 + jr + q0;
                    int img = bi + (fold == Fold.COLUMNS ? vj / n : 0), j = fold == Fold.COLUMNS ? vj % n : vj;
                    int span = fold == Fold.COLUMNS ? Math.min(width - q0, n - j) : width - q0;
                    for (int p = p0, end = p0 + kc; p < end; ) {
                        int e = img + (fold == Fold.DEPTH ? p / k : 0), pl = fold == Fold.DEPTH ? p % k : p;
                        int len = fold == Fold.DEPTH ? Math.min(end - p, k - pl) : end - p;
                        int d = base + (p - p0) * NR + q0;
                        if (transB) {
                            // op(B)'s columns are rows in memory: whole groups of VL transposed in registers
                            // (a run of 16 columns, as a weight gradient's 4×4 patches, too), the rest a few
                            // of their elements at a time, so the lines written stay in cache while every column is visited
                            int grouped = VL == 16 ? span / VL * VL : 0;
                            for (int g = 0; g < grouped; g += VL) {
                                packTransposed16(b, e * strideB + (j + g) * ldb + pl, ldb, len, dst, d + g);
                            }
                            for (int t0 = 0; t0 < len && grouped < span; t0 += TRANSPOSE_RUN) {
                                int t1 = Math.min(len, t0 + TRANSPOSE_RUN);
                                for (int q = grouped; q < span; q++) {
                                    int src = e * strideB + (j + q) * ldb + pl;
                                    for (int t = t0; t < t1; t++) dst[d + t * NR + q] = b[src + t];
                                }
                            }
                        } else {
                            int src = e * strideB + pl * ldb + j;
                            if (span == NR) {
                                for (int t = 0; t < len; t++) {
                                    int from = src + t * ldb, to = d + t * NR;
                                    FloatVector.fromArray(S, b, from).intoArray(dst, to);
                                    FloatVector.fromArray(S, b, from + VL).intoArray(dst, to + VL);
                                }
                            } else {
                                for (int t = 0; t < len; t++) System.arraycopy(b, src + t * ldb, dst, d + t * NR, span);
                            }
                        }
                        p += len;
                    }
                    q0 += span;
                }
            }
        }

        /**
         * Packs a sliver whose first columns are an image's last {@code first} columns, from
         * {@code from}, and the rest the next image's first columns, from {@code next + first}
         * (fold COLUMNS, B not transposed; a 7×7 map's 49 columns give many): each k-step's row is
         * blended from two loads of each image, the next image's loaded {@code first} columns early.
         * Copying each image's part alone cost a quarter of such a product's time.
         */
        private void packAcrossImages(float[] dst, int d, int from, int next, int first, int kc) {
            for (int t = 0; t < kc; t++) {
                int at = from + t * ldb, atNext = next + t * ldb, to = d + t * NR;
                // the masks are made in the loop body: see packTransposed16 on why
                var low = FloatVector.fromArray(S, LANES, 0).compare(VectorOperators.GE, first);
                var high = FloatVector.fromArray(S, LANES, VL).compare(VectorOperators.GE, first);
                FloatVector.fromArray(S, b, at).blend(FloatVector.fromArray(S, b, atNext), low).intoArray(dst, to);
                FloatVector.fromArray(S, b, at + VL).blend(FloatVector.fromArray(S, b, atNext + VL), high).intoArray(dst, to + VL);
            }
        }
    }

    /**
     * Packs VL columns of op(B) that are rows of B in memory (transB): each VL×VL block is loaded
     * row by row and transposed in registers. The transpose swaps the off-diagonal h×h blocks of
     * rows i and i + h for h = 8, 4, 2, 1 with two-vector permutes ({@code selectFrom}).
     *
     * <p>The permutes' index vectors are loaded in the loop body, not before the loop: when C2
     * compiles a running loop on stack replacement, vectors live at its head arrive boxed, and the
     * permutes on them compiled for seconds (once 17 s of the only C2 thread, and failed, while
     * every other vector method ran boxed, five times slower).
     */
    private static void packTransposed16(float[] b, int src, int ldb, int len, float[] dst, int d) {
        int t = 0;
        for (; t + VL <= len; t += VL) {
            FloatVector lo8 = FloatVector.fromArray(S, SWAP, 0), hi8 = FloatVector.fromArray(S, SWAP, VL);
            FloatVector lo4 = FloatVector.fromArray(S, SWAP, 2 * VL), hi4 = FloatVector.fromArray(S, SWAP, 3 * VL);
            FloatVector lo2 = FloatVector.fromArray(S, SWAP, 4 * VL), hi2 = FloatVector.fromArray(S, SWAP, 5 * VL);
            FloatVector lo1 = FloatVector.fromArray(S, SWAP, 6 * VL), hi1 = FloatVector.fromArray(S, SWAP, 7 * VL);
            FloatVector r0 = FloatVector.fromArray(S, b, src + t);
            FloatVector r1 = FloatVector.fromArray(S, b, src + ldb + t);
            FloatVector r2 = FloatVector.fromArray(S, b, src + 2 * ldb + t);
            FloatVector r3 = FloatVector.fromArray(S, b, src + 3 * ldb + t);
            FloatVector r4 = FloatVector.fromArray(S, b, src + 4 * ldb + t);
            FloatVector r5 = FloatVector.fromArray(S, b, src + 5 * ldb + t);
            FloatVector r6 = FloatVector.fromArray(S, b, src + 6 * ldb + t);
            FloatVector r7 = FloatVector.fromArray(S, b, src + 7 * ldb + t);
            FloatVector r8 = FloatVector.fromArray(S, b, src + 8 * ldb + t);
            FloatVector r9 = FloatVector.fromArray(S, b, src + 9 * ldb + t);
            FloatVector r10 = FloatVector.fromArray(S, b, src + 10 * ldb + t);
            FloatVector r11 = FloatVector.fromArray(S, b, src + 11 * ldb + t);
            FloatVector r12 = FloatVector.fromArray(S, b, src + 12 * ldb + t);
            FloatVector r13 = FloatVector.fromArray(S, b, src + 13 * ldb + t);
            FloatVector r14 = FloatVector.fromArray(S, b, src + 14 * ldb + t);
            FloatVector r15 = FloatVector.fromArray(S, b, src + 15 * ldb + t);
            FloatVector x;
            x = lo8.selectFrom(r0, r8); r8 = hi8.selectFrom(r0, r8); r0 = x;
            x = lo8.selectFrom(r1, r9); r9 = hi8.selectFrom(r1, r9); r1 = x;
            x = lo8.selectFrom(r2, r10); r10 = hi8.selectFrom(r2, r10); r2 = x;
            x = lo8.selectFrom(r3, r11); r11 = hi8.selectFrom(r3, r11); r3 = x;
            x = lo8.selectFrom(r4, r12); r12 = hi8.selectFrom(r4, r12); r4 = x;
            x = lo8.selectFrom(r5, r13); r13 = hi8.selectFrom(r5, r13); r5 = x;
            x = lo8.selectFrom(r6, r14); r14 = hi8.selectFrom(r6, r14); r6 = x;
            x = lo8.selectFrom(r7, r15); r15 = hi8.selectFrom(r7, r15); r7 = x;
            x = lo4.selectFrom(r0, r4); r4 = hi4.selectFrom(r0, r4); r0 = x;
            x = lo4.selectFrom(r1, r5); r5 = hi4.selectFrom(r1, r5); r1 = x;
            x = lo4.selectFrom(r2, r6); r6 = hi4.selectFrom(r2, r6); r2 = x;
            x = lo4.selectFrom(r3, r7); r7 = hi4.selectFrom(r3, r7); r3 = x;
            x = lo4.selectFrom(r8, r12); r12 = hi4.selectFrom(r8, r12); r8 = x;
            x = lo4.selectFrom(r9, r13); r13 = hi4.selectFrom(r9, r13); r9 = x;
            x = lo4.selectFrom(r10, r14); r14 = hi4.selectFrom(r10, r14); r10 = x;
            x = lo4.selectFrom(r11, r15); r15 = hi4.selectFrom(r11, r15); r11 = x;
            x = lo2.selectFrom(r0, r2); r2 = hi2.selectFrom(r0, r2); r0 = x;
            x = lo2.selectFrom(r1, r3); r3 = hi2.selectFrom(r1, r3); r1 = x;
            x = lo2.selectFrom(r4, r6); r6 = hi2.selectFrom(r4, r6); r4 = x;
            x = lo2.selectFrom(r5, r7); r7 = hi2.selectFrom(r5, r7); r5 = x;
            x = lo2.selectFrom(r8, r10); r10 = hi2.selectFrom(r8, r10); r8 = x;
            x = lo2.selectFrom(r9, r11); r11 = hi2.selectFrom(r9, r11); r9 = x;
            x = lo2.selectFrom(r12, r14); r14 = hi2.selectFrom(r12, r14); r12 = x;
            x = lo2.selectFrom(r13, r15); r15 = hi2.selectFrom(r13, r15); r13 = x;
            x = lo1.selectFrom(r0, r1); r1 = hi1.selectFrom(r0, r1); r0 = x;
            x = lo1.selectFrom(r2, r3); r3 = hi1.selectFrom(r2, r3); r2 = x;
            x = lo1.selectFrom(r4, r5); r5 = hi1.selectFrom(r4, r5); r4 = x;
            x = lo1.selectFrom(r6, r7); r7 = hi1.selectFrom(r6, r7); r6 = x;
            x = lo1.selectFrom(r8, r9); r9 = hi1.selectFrom(r8, r9); r8 = x;
            x = lo1.selectFrom(r10, r11); r11 = hi1.selectFrom(r10, r11); r10 = x;
            x = lo1.selectFrom(r12, r13); r13 = hi1.selectFrom(r12, r13); r12 = x;
            x = lo1.selectFrom(r14, r15); r15 = hi1.selectFrom(r14, r15); r14 = x;
            r0.intoArray(dst, d + (t + 0) * NR);
            r1.intoArray(dst, d + (t + 1) * NR);
            r2.intoArray(dst, d + (t + 2) * NR);
            r3.intoArray(dst, d + (t + 3) * NR);
            r4.intoArray(dst, d + (t + 4) * NR);
            r5.intoArray(dst, d + (t + 5) * NR);
            r6.intoArray(dst, d + (t + 6) * NR);
            r7.intoArray(dst, d + (t + 7) * NR);
            r8.intoArray(dst, d + (t + 8) * NR);
            r9.intoArray(dst, d + (t + 9) * NR);
            r10.intoArray(dst, d + (t + 10) * NR);
            r11.intoArray(dst, d + (t + 11) * NR);
            r12.intoArray(dst, d + (t + 12) * NR);
            r13.intoArray(dst, d + (t + 13) * NR);
            r14.intoArray(dst, d + (t + 14) * NR);
            r15.intoArray(dst, d + (t + 15) * NR);
        }
        for (; t < len; t++) {
            for (int q = 0; q < VL; q++) dst[d + t * NR + q] = b[src + q * ldb + t];
        }
    }

    /**
     * Packs MR rows of A (not transposed) as one sliver: the 8×16 block of rows and VL k-steps is
     * transposed in registers by three rounds of zips (two-vector permutes that interleave lanes):
     * zipping rows 0 and 4, 2 and 6, 1 and 5, 3 and 7, then those pairs, then the two halves lays
     * each k-step's eight values side by side in row order. It uses the preferred species only: a
     * second one (8 lanes) shares the Vector API's code with it, and a step whose compiled code met
     * both could not fix a vector's length and boxed every vector there.
     */
    private static void packRows8(float[] a, int src, int lda, int len, float alpha, float[] dst, int d) {
        int t = 0;
        for (; VL == 2 * MR && t + VL <= len; t += VL) {
            FloatVector lo = FloatVector.fromArray(S, ZIP, 0), hi = FloatVector.fromArray(S, ZIP, VL);
            FloatVector r0 = FloatVector.fromArray(S, a, src + t).mul(alpha);
            FloatVector r1 = FloatVector.fromArray(S, a, src + lda + t).mul(alpha);
            FloatVector r2 = FloatVector.fromArray(S, a, src + 2 * lda + t).mul(alpha);
            FloatVector r3 = FloatVector.fromArray(S, a, src + 3 * lda + t).mul(alpha);
            FloatVector r4 = FloatVector.fromArray(S, a, src + 4 * lda + t).mul(alpha);
            FloatVector r5 = FloatVector.fromArray(S, a, src + 5 * lda + t).mul(alpha);
            FloatVector r6 = FloatVector.fromArray(S, a, src + 6 * lda + t).mul(alpha);
            FloatVector r7 = FloatVector.fromArray(S, a, src + 7 * lda + t).mul(alpha);
            FloatVector a0 = lo.selectFrom(r0, r4), a1 = hi.selectFrom(r0, r4), b0 = lo.selectFrom(r2, r6), b1 = hi.selectFrom(r2, r6);
            FloatVector c0 = lo.selectFrom(r1, r5), c1 = hi.selectFrom(r1, r5), e0 = lo.selectFrom(r3, r7), e1 = hi.selectFrom(r3, r7);
            FloatVector p0 = lo.selectFrom(a0, b0), p1 = hi.selectFrom(a0, b0), p2 = lo.selectFrom(a1, b1), p3 = hi.selectFrom(a1, b1);
            FloatVector q0 = lo.selectFrom(c0, e0), q1 = hi.selectFrom(c0, e0), q2 = lo.selectFrom(c1, e1), q3 = hi.selectFrom(c1, e1);
            int to = d + t * MR;
            lo.selectFrom(p0, q0).intoArray(dst, to);
            hi.selectFrom(p0, q0).intoArray(dst, to + VL);
            lo.selectFrom(p1, q1).intoArray(dst, to + 2 * VL);
            hi.selectFrom(p1, q1).intoArray(dst, to + 3 * VL);
            lo.selectFrom(p2, q2).intoArray(dst, to + 4 * VL);
            hi.selectFrom(p2, q2).intoArray(dst, to + 5 * VL);
            lo.selectFrom(p3, q3).intoArray(dst, to + 6 * VL);
            hi.selectFrom(p3, q3).intoArray(dst, to + 7 * VL);
        }
        for (; t < len; t++) {
            for (int r = 0; r < MR; r++) dst[d + t * MR + r] = alpha * a[src + r * lda + t];
        }
    }

    /**
     * C_b = alpha·op(A_b)·op(B_b) + beta·C_b for every b &lt; batch, then the epilogue (or null) on
     * each finished C_b; see {@link org.gan4j.tensor.Backend#gemm} for the argument conventions.
     * An epilogue needs k &gt; 0 and C_b not summed over the batch.
     */
    static void gemm(Parallel parallel, boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int lda, int strideA, float[] b, int ldb, int strideB,
                     float beta, float[] c, int ldc, int strideC, int batch, Epilogue epilogue) {
        if (m <= 0 || n <= 0 || batch <= 0) return;
        if (epilogue != null && (k <= 0 || alpha == 0 || (strideC == 0 && batch > 1))) {
            throw new IllegalArgumentException("gemm: an epilogue needs a product of depth > 0 per output, got k " + k
                    + ", alpha " + alpha + ", strideC " + strideC);
        }
        Fold fold = batch == 1 ? Fold.NONE
                : strideC == 0 ? Fold.DEPTH
                : strideA == 0 ? Fold.COLUMNS
                : strideB == 0 ? Fold.ROWS
                : Fold.NONE;
        int batches = fold == Fold.NONE ? batch : 1;
        int rows = fold == Fold.ROWS ? batch * m : m, cols = fold == Fold.COLUMNS ? batch * n : n;
        int depth = fold == Fold.DEPTH ? batch * k : k;
        var job = new Job(transA, transB, m, n, k, alpha, beta, a, lda, strideA, b, ldb, strideB, c, ldc, strideC,
                          fold, depth, epilogue);
        int[] parts = partition(parallel.threads(), batches, rows, cols);
        int colStep = roundUp(Math.ceilDiv(cols, parts[1]), NR), rowStep = roundUp(Math.ceilDiv(rows, parts[0]), MR);
        int nCol = Math.ceilDiv(cols, colStep), nRow = Math.ceilDiv(rows, rowStep), perEntry = nCol * nRow;
        parallel.parallelFor(batches * perEntry, 1, (from, to) -> {
            for (int t = from; t < to; t++) {
                int bi = t / perEntry, i0 = t % perEntry / nCol * rowStep, j0 = t % nCol * colStep;
                job.block(bi, i0, Math.min(rows, i0 + rowStep), j0, Math.min(cols, j0 + colStep));
            }
        });
    }

    /**
     * How many parts to split C's rows and columns into, {rowParts, colParts}: enough blocks for
     * two per thread, at the least packing. Every row part packs all of B's columns and every
     * column part all of A's rows, so the split costs rowParts·cols + colParts·rows packed
     * elements per unit of depth: thin products (m = 64 against n = 512) split their columns.
     */
    static int[] partition(int threads, int batches, int rows, int cols) {
        int want = threads == 1 ? 1 : 2 * threads;
        int minCols = Math.ceilDiv(cols, NC), maxCols = Math.max(minCols, Math.ceilDiv(cols, NR));
        int maxRows = Math.max(1, rows / (2 * MR));
        int[] best = null;
        long bestShortfall = 0, bestCost = 0;
        for (int r = 1; r <= Math.min(maxRows, want); r++) {
            int c = Math.min(maxCols, Math.max(minCols, Math.ceilDiv(want, batches * r)));
            long shortfall = Math.max(0, want - (long) batches * r * c), cost = (long) r * cols + (long) c * rows;
            if (best == null || shortfall < bestShortfall || shortfall == bestShortfall && cost < bestCost) {
                best = new int[] {r, c};
                bestShortfall = shortfall;
                bestCost = cost;
            }
        }
        return best;
    }

    /**
     * The index vectors of a VL×VL transpose in registers, for h = VL/2, ..., 1: lane L of new
     * row i (lo) takes lane L of row i, or lane L − h of row i + h when L has bit h; of new row
     * i + h (hi) the reverse.
     */
    private static float[] swapIndexes() {
        float[] index = new float[2 * Integer.numberOfTrailingZeros(VL) * VL];
        int round = 0;
        for (int h = VL / 2; h >= 1; h /= 2, round++) {
            for (int lane = 0; lane < VL; lane++) {
                boolean high = (lane & h) != 0;
                index[2 * round * VL + lane] = high ? VL + lane - h : lane;
                index[(2 * round + 1) * VL + lane] = high ? VL + lane : lane + h;
            }
        }
        return index;
    }

    private static float[] zipIndexes() {
        float[] index = new float[2 * VL];
        for (int lane = 0; lane < 2 * VL; lane++) index[lane] = (lane % 2 == 0 ? 0 : VL) + lane / 2;
        return index;
    }

    private static float[] lanes() {
        float[] lane = new float[NR];
        for (int q = 0; q < NR; q++) lane[q] = q;
        return lane;
    }

    private static int roundUp(int x, int step) {
        return Math.ceilDiv(x, step) * step;
    }

    /** The MR×NR product of one packed sliver of A (MR×kc) and one of B (kc×NR), into {@code tile} (row-major). */
    private static void kernel(float[] pa, int ao, float[] pb, int bo, int kc, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z;
        FloatVector c10 = z, c11 = z;
        FloatVector c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z;
        FloatVector c50 = z, c51 = z;
        FloatVector c60 = z, c61 = z;
        FloatVector c70 = z, c71 = z;
        for (int p = 0; p < kc; p++) {
            int ai = ao + p * MR, bi = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, pb, bi), b1 = FloatVector.fromArray(S, pb, bi + VL);
            FloatVector a0 = FloatVector.broadcast(S, pa[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, pa[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, pa[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, pa[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, pa[ai + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, pa[ai + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, pa[ai + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, pa[ai + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        c00.intoArray(tile, 0 * NR);
        c01.intoArray(tile, 0 * NR + VL);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + VL);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + VL);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + VL);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + VL);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + VL);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + VL);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + VL);
    }
}
