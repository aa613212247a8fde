package org.gan4j.tensor.cpu;

import java.util.Arrays;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.gan4j.tensor.Backend;
import org.gan4j.tensor.BinaryOp;
import org.gan4j.tensor.ConvGeometry;
import org.gan4j.tensor.Distribution;
import org.gan4j.tensor.Philox;
import org.gan4j.tensor.ReduceOp;
import org.gan4j.tensor.Storage;
import org.gan4j.tensor.UnaryOp;

/**
 * The pure-Java backend: kernels on {@code float[]}, vectorized with the Vector API where it
 * pays and spread over a fixed pool of threads. Released arrays are pooled by exact length, so
 * a training step that allocates the same shapes every time stops allocating after the first.
 */
public final class CpuBackend implements Backend {
    /** Elements below which a loop is not worth handing to other threads. */
    private static final int GRAIN = 1 << 15;
    /** The same for random numbers: a normal (Philox plus Box–Muller) costs as much as some 30 additions. */
    private static final int RANDOM_GRAIN = GRAIN / 32;

    private final Parallel parallel;
    private final Map<Integer, Queue<float[]>> pool = new ConcurrentHashMap<>();
    /** im2col's and col2im's plans, one per image plane's geometry ({@link #plane}): a model has a few. */
    private final Map<ConvGeometry, Conv.Unfold> unfolds = new ConcurrentHashMap<>();
    private final Map<ConvGeometry, Conv.Gather> gathers = new ConcurrentHashMap<>();

    /** Uses {@code GAN4J_THREADS} threads if set, otherwise one per available processor. */
    public CpuBackend() {
        this(defaultThreads());
    }

    public CpuBackend(int threads) {
        this.parallel = new Parallel(threads);
    }

    private static int defaultThreads() {
        String env = System.getenv("GAN4J_THREADS");
        if (env == null || env.isBlank()) return Runtime.getRuntime().availableProcessors();
        try {
            int threads = Integer.parseInt(env.trim());
            if (threads >= 1) return threads;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("GAN4J_THREADS must be a positive integer, got '" + env + "'");
    }

    public int threads() {
        return parallel.threads();
    }

    @Override
    public String name() {
        return "cpu";
    }

    // ---- memory ------------------------------------------------------------------------

    @Override
    public Storage allocate(int n) {
        float[] a = recycled(n);
        if (a == null) return new CpuStorage(new float[n]);
        Arrays.fill(a, 0f);
        return new CpuStorage(a);
    }

    @Override
    public Storage allocateUninitialized(int n) {
        return new CpuStorage(uninitialized(n));
    }

    @Override
    public Storage fromArray(float[] values) {
        float[] a = uninitialized(values.length);
        System.arraycopy(values, 0, a, 0, values.length);
        return new CpuStorage(a);
    }

    /** A recycled array of n floats (old contents), or a new one. */
    private float[] uninitialized(int n) {
        float[] a = recycled(n);
        return a == null ? new float[n] : a;
    }

    private float[] recycled(int n) {
        if (n < 0) throw new IllegalArgumentException("negative size " + n);
        Queue<float[]> free = pool.get(n);
        return free == null ? null : free.poll();
    }

    @Override
    public void read(Storage src, float[] dst) {
        System.arraycopy(array(src), 0, dst, 0, dst.length);
    }

    @Override
    public void release(Storage s) {
        if (!(s instanceof CpuStorage cpu)) throw notCpu(s);
        float[] a = cpu.release();
        if (a != null && a.length > 0) pool.computeIfAbsent(a.length, n -> new ConcurrentLinkedQueue<>()).add(a);
    }

    @Override
    public void fill(Storage s, int n, float value) {
        Arrays.fill(array(s), 0, n, value);
    }

    @Override
    public void copyStrided(Storage src, int srcOffset, int[] srcStrides,
                            Storage dst, int dstOffset, int[] dstStrides, int[] shape) {
        float[] from = array(src), to = array(dst);
        var it = Strided.of(shape, srcStrides, dstStrides);
        int ss = it.step(0), ds = it.step(1);
        parallel.parallelFor(it.size(), GRAIN, (start, end) -> it.forEach(start, end, (off, len) -> {
            int s = srcOffset + off[0], d = dstOffset + off[1];
            if (ss == 1 && ds == 1) {
                System.arraycopy(from, s, to, d, len);
            } else {
                for (int i = 0; i < len; i++) to[d + i * ds] = from[s + i * ss];
            }
        }));
    }

    // ---- elementwise -------------------------------------------------------------------

    @Override
    public void unary(UnaryOp op, float p, Storage x, Storage out, int n) {
        float[] in = array(x), o = array(out);
        parallel.parallelFor(n, GRAIN, (from, to) -> Elementwise.unary(op, p, in, o, from, to));
    }

    @Override
    public void leakyReluGrad(float slope, Storage g, Storage x, Storage out, int n) {
        float[] gradient = array(g), in = array(x), o = array(out);
        parallel.parallelFor(n, GRAIN, (from, to) -> Elementwise.leakyReluGrad(slope, gradient, in, o, from, to));
    }

    @Override
    public void binary(BinaryOp op, Storage a, int[] aStrides, Storage b, int[] bStrides, Storage out, int[] shape) {
        float[] x = array(a), y = array(b), o = array(out);
        var it = Strided.of(shape, aStrides, bStrides, Strided.contiguous(shape));
        int as = it.step(0), bs = it.step(1), os = it.step(2);
        parallel.parallelFor(it.size(), GRAIN, (from, to) -> it.forEach(from, to, (off, len) ->
                Elementwise.binary(op, x, off[0], as, y, off[1], bs, o, off[2], os, len)));
    }

    @Override
    public void where(Storage cond, int[] condStrides, Storage a, int[] aStrides, Storage b, int[] bStrides,
                      Storage out, int[] shape) {
        float[] c = array(cond), x = array(a), y = array(b), o = array(out);
        var it = Strided.of(shape, condStrides, aStrides, bStrides, Strided.contiguous(shape));
        int cs = it.step(0), as = it.step(1), bs = it.step(2), os = it.step(3);
        parallel.parallelFor(it.size(), GRAIN, (from, to) -> it.forEach(from, to, (off, len) ->
                Elementwise.where(c, off[0], cs, x, off[1], as, y, off[2], bs, o, off[3], os, len)));
    }

    @Override
    public void reduce(ReduceOp op, Storage x, Storage out, int outer, int len, int inner) {
        float[] in = array(x), o = array(out);
        if (op == ReduceOp.SUM && inner > 1) {
            // column sums: walk the rows in memory order, a block of columns at a time
            int width = Reduce.Columns.WIDTH, blocks = Math.ceilDiv(inner, width);
            parallel.parallelFor(outer * blocks, Math.max(1, GRAIN / Math.max(len * Math.min(inner, width), 1)), (from, to) -> {
                for (int t = from; t < to; t++) {
                    int row = t / blocks, j0 = t % blocks * width;
                    Reduce.Columns.sum(in, o, row, len, inner, j0, Math.min(inner, j0 + width));
                }
            });
            return;
        }
        parallel.parallelFor(outer * inner, Math.max(1, GRAIN / Math.max(len, 1)), (from, to) -> {
            for (int t = from; t < to; t++) {
                int row = t / inner, col = t % inner;
                o[t] = Reduce.run(op, in, row * len * inner + col, len, inner);
            }
        });
    }

    // ---- indexing ----------------------------------------------------------------------

    @Override
    public void indexSelect(Storage x, Storage out, int outer, int len, int inner, int[] index) {
        float[] in = array(x), o = array(out);
        checkIndex(index, len);
        int k = index.length;
        parallel.parallelFor(outer * k, Math.max(1, GRAIN / Math.max(inner, 1)), (from, to) -> {
            for (int t = from; t < to; t++) {
                System.arraycopy(in, ((t / k) * len + index[t % k]) * inner, o, t * inner, inner);
            }
        });
    }

    @Override
    public void indexAdd(Storage src, Storage out, int outer, int len, int inner, int[] index) {
        float[] s = array(src), o = array(out);
        checkIndex(index, len);
        // Repeated indices add into the same row, so threads split the columns, never the index list.
        int k = index.length, width = 1024, blocks = (inner + width - 1) / width;
        parallel.parallelFor(outer * blocks, Math.max(1, GRAIN / Math.max(k * Math.min(inner, width), 1)), (from, to) -> {
            for (int t = from; t < to; t++) {
                int row = t / blocks, j0 = t % blocks * width, j1 = Math.min(inner, j0 + width);
                for (int i = 0; i < k; i++) {
                    int d = (row * len + index[i]) * inner, r = (row * k + i) * inner;
                    for (int j = j0; j < j1; j++) o[d + j] += s[r + j];
                }
            }
        });
    }

    private static void checkIndex(int[] index, int len) {
        for (int i : index) {
            if (i < 0 || i >= len) throw new IndexOutOfBoundsException("index " + i + " out of range for length " + len);
        }
    }

    // ---- batch normalization -----------------------------------------------------------

    @Override
    public void channelMoments(Storage x, int outer, int channels, int inner, Storage mean, Storage var) {
        float[] in = array(x), m = array(mean), v = array(var);
        parallel.parallelFor(channels, channelGrain(outer, inner), (from, to) ->
                Norm.moments(in, outer, channels, inner, from, to, m, v));
    }

    @Override
    public void channelGradSums(Storage g, Storage x, Storage center, int outer, int channels, int inner,
                                Storage sumG, Storage sumGX) {
        float[] gs = array(g), xs = array(x), cs = array(center), sg = array(sumG), sgx = array(sumGX);
        parallel.parallelFor(channels, channelGrain(outer, inner), (from, to) ->
                Norm.gradSums(gs, xs, cs, outer, channels, inner, from, to, sg, sgx));
    }

    @Override
    public void channelAffine(Storage x, Storage center, Storage scale, Storage shift, Storage y, Storage yScale,
                              int outer, int channels, int inner, Storage out) {
        float[] xs = array(x), cs = array(center), a = array(scale), b = array(shift), o = array(out);
        float[] ys = y == null ? null : array(y), ya = y == null ? null : array(yScale);
        // rows of one channel's inner values, or with inner = 1 rows of every channel
        int rows = inner == 1 ? outer : outer * channels, width = inner == 1 ? channels : inner;
        int grain = Math.max(1, GRAIN / Math.max(width, 1));
        if (y == null) {
            parallel.parallelFor(rows, grain, (from, to) -> Norm.affine(xs, cs, a, b, channels, inner, from, to, o));
        } else {
            parallel.parallelFor(rows, grain, (from, to) -> Norm.affine(xs, cs, a, b, ys, ya, channels, inner, from, to, o));
        }
    }

    /** Channels per chunk: about GRAIN values. */
    private static int channelGrain(int outer, int inner) {
        return Math.max(1, GRAIN / Math.max(outer * inner, 1));
    }

    // ---- matrix multiplication -----------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     Storage a, int lda, int strideA, Storage b, int ldb, int strideB,
                     float beta, Storage c, int ldc, int strideC, int batch) {
        Gemm.gemm(parallel, transA, transB, m, n, k, alpha, array(a), lda, strideA, array(b), ldb, strideB,
                  beta, array(c), ldc, strideC, batch, null);
    }

    @Override
    public void gemmBiasActivation(boolean transA, boolean transB, int m, int n, int k,
                                   Storage a, int lda, int strideA, Storage b, int ldb, int strideB, Storage c, int batch,
                                   Storage bias, boolean perRow, UnaryOp activation, float slope) {
        if (k == 0) {   // C is the bias alone: no product to finish
            Backend.super.gemmBiasActivation(transA, transB, m, n, k, a, lda, strideA, b, ldb, strideB, c, batch,
                                             bias, perRow, activation, slope);
            return;
        }
        var epilogue = new Gemm.Epilogue(bias == null ? null : array(bias), perRow, activation, slope);
        Gemm.gemm(parallel, transA, transB, m, n, k, 1f, array(a), lda, strideA, array(b), ldb, strideB,
                  0f, array(c), n, m * n, batch, epilogue);
    }

    // ---- convolution helpers -------------------------------------------------------------

    @Override
    public void im2col(Storage x, Storage cols, ConvGeometry g) {
        float[] in = array(x), o = array(cols);
        var plan = unfolds.computeIfAbsent(plane(g), Conv.Unfold::of);
        int work = g.kh() * g.kw() * g.outputPixels();
        parallel.parallelFor(g.n() * g.c(), Math.max(1, GRAIN / Math.max(work, 1)), (from, to) -> {
            for (int t = from; t < to; t++) Conv.im2col(in, o, g, plan, t / g.c(), t % g.c());
        });
    }

    @Override
    public void col2im(Storage cols, Storage x, ConvGeometry g) {
        float[] in = array(cols), o = array(x);
        var plan = gathers.computeIfAbsent(plane(g), Conv.Gather::of);
        int work = g.kh() * g.kw() * g.outputPixels();
        parallel.parallelFor(g.n() * g.c(), Math.max(1, GRAIN / Math.max(work, 1)), (from, to) -> {
            for (int t = from; t < to; t++) Conv.col2im(in, o, g, plan, t / g.c(), t % g.c());
        });
    }

    /** g with batch and channels set to 1: a plan does not depend on them. */
    private static ConvGeometry plane(ConvGeometry g) {
        return new ConvGeometry(1, 1, g.h(), g.w(), g.kh(), g.kw(), g.strideH(), g.strideW(), g.padH(), g.padW(), g.oh(), g.ow());
    }

    // ---- randomness and optimizers --------------------------------------------------------

    @Override
    public void random(Distribution dist, Storage out, int n, long seed, long stream, long counter) {
        float[] o = array(out);
        parallel.parallelFor(n, RANDOM_GRAIN, (from, to) -> Philox.fill(dist, o, from, to, seed, stream, counter));
    }

    @Override
    public void adam(Storage param, Storage grad, Storage m, Storage v, int n, float decay, float gradDecay, float w1,
                     float beta2, float w2, float stepSize, float bias2Sqrt, float eps) {
        float[] p = array(param), g = array(grad), m1 = array(m), m2 = array(v);
        parallel.parallelFor(n, GRAIN, (from, to) ->
                Optimizers.adam(p, g, m1, m2, from, to, decay, gradDecay, w1, beta2, w2, stepSize, bias2Sqrt, eps));
    }

    @Override
    public void sgd(Storage param, Storage grad, Storage momentumBuffer, int n, float lr, float momentum,
                    float dampening, float weightDecay, boolean nesterov, boolean firstStep) {
        float[] p = array(param), g = array(grad), buf = momentum != 0 ? array(momentumBuffer) : null;
        parallel.parallelFor(n, GRAIN, (from, to) ->
                Optimizers.sgd(p, g, buf, from, to, lr, momentum, dampening, weightDecay, nesterov, firstStep));
    }

    @Override
    public void rmsprop(Storage param, Storage grad, Storage squareAvg, Storage momentumBuffer, int n, float lr,
                        float alpha, float eps, float weightDecay, float momentum) {
        float[] p = array(param), g = array(grad), sq = array(squareAvg);
        float[] buf = momentum > 0 ? array(momentumBuffer) : null;
        parallel.parallelFor(n, GRAIN, (from, to) ->
                Optimizers.rmsprop(p, g, sq, buf, from, to, lr, alpha, eps, weightDecay, momentum));
    }

    private static float[] array(Storage s) {
        if (s instanceof CpuStorage cpu) return cpu.array();
        throw notCpu(s);
    }

    private static IllegalArgumentException notCpu(Storage s) {
        return new IllegalArgumentException("the cpu backend cannot use a " + (s == null ? "null" : s.getClass().getName()) + " storage");
    }
}
