package org.gan4j.cuda;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.function.BiConsumer;
import org.gan4j.nn.Functional;
import org.gan4j.optim.Adam;
import org.gan4j.tensor.Backend;
import org.gan4j.tensor.BackendUnavailableException;
import org.gan4j.tensor.Backends;
import org.gan4j.tensor.BinaryOp;
import org.gan4j.tensor.ConvGeometry;
import org.gan4j.tensor.Distribution;
import org.gan4j.tensor.ReduceOp;
import org.gan4j.tensor.Storage;
import org.gan4j.tensor.Tensor;
import org.gan4j.tensor.UnaryOp;
import org.gan4j.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every Backend op on the GPU against the CPU backend on random inputs: relative error within
 * 1e-5 elementwise (|gpu − cpu| ≤ 1e-5·max(|cpu|, 1)), 1e-4 for GEMM and convolution with TF32
 * off, and Philox bit for bit. Skips, saying why, where no CUDA device can be started.
 */
@Tag("gpu")
class CudaParityTest {
    private static Backend gpu;
    private static String unavailable;
    private static final CpuBackend CPU = new CpuBackend(2);
    private final Random random = new Random(11);

    @BeforeAll
    static void startGpu() {
        try {
            gpu = Backends.get("cuda");
            System.out.println("parity on " + ((CudaBackend) gpu).deviceName());
        } catch (BackendUnavailableException e) {
            unavailable = e.getMessage();
        }
    }

    /** Per test, so the report lists every skipped check with the reason. */
    @BeforeEach
    void needGpu() {
        assumeTrue(gpu != null, () -> "no CUDA device: " + unavailable);
    }

    /** Inputs as the same values on both devices. */
    private record Pair(Storage cpu, Storage gpu, int n) {
    }

    private Pair randoms(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextGaussian() * scale;
        return new Pair(CPU.fromArray(v), gpu.fromArray(v), n);
    }

    private static Pair zeros(int n) {
        return new Pair(CPU.allocate(n), gpu.allocate(n), n);
    }

    private static void assertClose(Pair p, double tol, String what) {
        float[] want = new float[p.n()], got = new float[p.n()];
        CPU.read(p.cpu(), want);
        gpu.read(p.gpu(), got);
        for (int i = 0; i < p.n(); i++) {
            if (Float.isNaN(want[i]) && Float.isNaN(got[i])) continue;
            if (!(Math.abs(got[i] - want[i]) <= tol * Math.max(Math.abs(want[i]), 1))) {
                fail(what + " at " + i + ": cpu " + want[i] + ", gpu " + got[i]);
            }
        }
    }

    /** Runs {@code op} on both devices: (backend, true for the GPU). */
    private static void both(BiConsumer<Backend, Boolean> op) {
        op.accept(CPU, false);
        op.accept(gpu, true);
    }

    private static Storage on(Pair p, boolean gpuSide) {
        return gpuSide ? p.gpu() : p.cpu();
    }

    @Test
    void unaryOps() {
        int n = 10_001;
        Pair x = randoms(n, 3f);
        for (UnaryOp op : UnaryOp.values()) {
            Pair out = zeros(n);
            Pair in = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.POW_SCALAR ? abs(x) : x;
            both((b, g) -> b.unary(op, 0.3f, on(in, g), on(out, g), n));
            assertClose(out, 1e-5, op.name());
        }
    }

    private static Pair abs(Pair x) {
        Pair out = zeros(x.n());
        both((b, g) -> b.unary(UnaryOp.ABS, 0f, on(x, g), on(out, g), x.n()));
        return out;
    }

    @Test
    void binaryOpsWithBroadcastAndWhere() {
        int[] shape = {4, 5, 6};
        Pair a = randoms(4 * 5 * 6, 2f), b = randoms(5, 2f), cond = randoms(4 * 6, 1f);
        int[] aStrides = {30, 6, 1}, bStrides = {0, 1, 0}, condStrides = {6, 0, 1};
        for (BinaryOp op : BinaryOp.values()) {
            Pair out = zeros(120);
            Pair left = op == BinaryOp.POW ? abs(a) : a;
            both((be, g) -> be.binary(op, on(left, g), aStrides, on(b, g), bStrides, on(out, g), shape));
            assertClose(out, 1e-5, op.name());
        }
        Pair out = zeros(120);
        both((be, g) -> be.where(on(cond, g), condStrides, on(a, g), aStrides, on(b, g), bStrides, on(out, g), shape));
        assertClose(out, 0, "where");
    }

    @Test
    void copyStridedTransposes() {
        Pair x = randoms(6 * 7, 1f), out = zeros(6 * 7 + 3);
        both((b, g) -> b.copyStrided(on(x, g), 0, new int[] {1, 7}, on(out, g), 3, new int[] {6, 1}, new int[] {7, 6}));
        assertClose(out, 0, "transpose");
        Pair filled = zeros(1000);
        both((b, g) -> b.fill(on(filled, g), 999, -2.5f));
        assertClose(filled, 0, "fill");
    }

    @Test
    void reductionsOverEveryAxisLength() {
        for (int[] dims : new int[][] {{3, 1000, 7}, {1, 100_000, 1}, {500, 17, 9}, {2, 300, 1}}) {
            int outer = dims[0], len = dims[1], inner = dims[2];
            Pair x = randoms(outer * len * inner, 1f);
            for (ReduceOp op : ReduceOp.values()) {
                Pair out = zeros(outer * inner);
                both((b, g) -> b.reduce(op, on(x, g), on(out, g), outer, len, inner));
                assertClose(out, 1e-5, op + " " + Arrays.toString(dims));
            }
        }
    }

    @Test
    void indexSelectAndAddWithRepeats() {
        int outer = 3, len = 10, inner = 5;
        int[] index = {2, 7, 2, 0, 9, 9, 9};
        Pair x = randoms(outer * len * inner, 1f), picked = zeros(outer * index.length * inner);
        both((b, g) -> b.indexSelect(on(x, g), on(picked, g), outer, len, inner, index));
        assertClose(picked, 0, "indexSelect");
        Pair target = randoms(outer * len * inner, 1f);
        both((b, g) -> b.indexAdd(on(picked, g), on(target, g), outer, len, inner, index));
        assertClose(target, 1e-6, "indexAdd");
    }

    @Test
    void gemmEveryLayoutWithTf32Off() {
        int m = 67, n = 45, k = 129, batch = 4;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                int lda = ta ? m : k, ldb = tb ? k : n, sizeA = m * k, sizeB = k * n, sizeC = m * n;
                for (int[] s : new int[][] {{sizeA, sizeB, sizeC}, {0, sizeB, sizeC}, {sizeA, sizeB, 0}}) {
                    Pair a = randoms(batch * sizeA, 1f), b = randoms(batch * sizeB, 1f), c = randoms(batch * sizeC, 1f);
                    both((be, g) -> be.gemm(ta, tb, m, n, k, 0.75f, on(a, g), lda, s[0], on(b, g), ldb, s[1], 0.5f,
                            on(c, g), n, s[2], batch));
                    assertClose(c, 1e-4, "gemm ta " + ta + " tb " + tb + " strides " + Arrays.toString(s));
                }
            }
        }
    }

    @Test
    void im2colAndCol2im() {
        for (ConvGeometry geo : new ConvGeometry[] {ConvGeometry.of(2, 3, 9, 11, 4, 4, 2, 1),
                ConvGeometry.of(1, 2, 7, 7, 3, 3, 1, 1), ConvGeometry.of(3, 1, 8, 8, 4, 4, 1, 0)}) {
            Pair x = randoms(geo.n() * geo.c() * geo.h() * geo.w(), 1f);
            Pair cols = zeros(geo.n() * geo.patchSize() * geo.outputPixels());
            both((b, g) -> b.im2col(on(x, g), on(cols, g), geo));
            assertClose(cols, 0, "im2col " + geo);
            Pair back = randoms(x.n(), 1f);
            both((b, g) -> b.col2im(on(cols, g), on(back, g), geo));
            assertClose(back, 1e-5, "col2im " + geo);
        }
    }

    @Test
    void philoxIsBitIdentical() {
        for (Distribution dist : Distribution.values()) {
            Pair out = zeros(1_000_003);
            both((b, g) -> b.random(dist, on(out, g), out.n(), 0x9E3779B97F4A7C15L, 5, 0xFFFFFFF0L));
            assertClose(out, 0, dist.name());
        }
    }

    @Test
    void optimizersMatchStepByStep() {
        int n = 5000;
        Pair p = randoms(n, 1f), grad = randoms(n, 0.1f), m = zeros(n), v = zeros(n);
        for (int step = 1; step <= 5; step++) {
            int s = step;
            both((b, g) -> Adam.fusedStep(b, on(p, g), on(grad, g), on(m, g), on(v, g), n, 2e-4f, 0.5f, 0.999f, 1e-8f, 0.01f, s % 2 == 0, s));
        }
        assertClose(p, 1e-6, "adam param");
        assertClose(v, 1e-6, "adam v");
        Pair buf = zeros(n);
        for (int step = 0; step < 3; step++) {
            boolean first = step == 0;
            both((b, g) -> b.sgd(on(p, g), on(grad, g), on(buf, g), n, 0.1f, 0.9f, 0.1f, 1e-3f, true, first));
        }
        assertClose(p, 1e-6, "sgd param");
        Pair sq = zeros(n), rbuf = zeros(n);
        for (int step = 0; step < 3; step++) {
            both((b, g) -> b.rmsprop(on(p, g), on(grad, g), on(sq, g), on(rbuf, g), n, 1e-3f, 0.99f, 1e-8f, 0f, 0.5f));
        }
        assertClose(p, 1e-6, "rmsprop param");
    }

    /** Grouped and depthwise conv2d are composed of ops checked above; this checks the composition end to end. */
    @Test
    void groupedConvolutionAndItsGradients() {
        int[][] cases = {{2, 4, 7, 6, 6, 2, 3, 2, 1}, {2, 4, 5, 5, 4, 4, 3, 1, 1}};   // n, cin, h, w, cout, groups, k, stride, padding
        for (int[] c : cases) {
            Tensor[] cpu = {tensor(c[0], c[1], c[2], c[3]), tensor(c[4], c[1] / c[5], c[6], c[6]), tensor(c[4])};
            Tensor[] dev = Arrays.stream(cpu).map(t -> t.to(gpu).requiresGrad(true)).toArray(Tensor[]::new);
            Arrays.stream(cpu).forEach(t -> t.requiresGrad(true));
            Tensor want = Functional.conv2d(cpu[0], cpu[1], cpu[2], c[7], c[8], c[5]);
            Tensor got = Functional.conv2d(dev[0], dev[1], dev[2], c[7], c[8], c[5]);
            Tensor gout = tensor(want.shape());
            want.backward(gout);
            got.backward(gout.to(gpu));
            String what = "conv2d groups " + c[5];
            assertClose(want, got, what);
            for (int i = 0; i < 3; i++) assertClose(cpu[i].grad(), dev[i].grad(), what + " gradient " + i);
        }
    }

    /** The filtered 2× resampling is a strided and a transposed convolution with a fixed kernel; checked end to end. */
    @Test
    void filteredResamplingAndItsGradients() {
        for (boolean up : new boolean[] {false, true}) {
            Tensor x = tensor(2, 3, 7, 6).requiresGrad(true);
            Tensor onGpu = x.to(gpu).requiresGrad(true);
            Tensor want = up ? Functional.filteredUpsample(x, Functional.binomialFilter())
                    : Functional.filteredDownsample(x, Functional.binomialFilter());
            Tensor filter = Functional.binomialFilter().to(gpu);
            Tensor got = up ? Functional.filteredUpsample(onGpu, filter) : Functional.filteredDownsample(onGpu, filter);
            Tensor gout = tensor(want.shape());
            want.backward(gout);
            got.backward(gout.to(gpu));
            String what = up ? "filtered upsample" : "filtered downsample";
            assertClose(want, got, what);
            assertClose(x.grad(), onGpu.grad(), what + " gradient");
        }
    }

    private Tensor tensor(int... shape) {
        float[] v = new float[Tensor.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian();
        return Tensor.of(v, shape);
    }

    private static void assertClose(Tensor want, Tensor got, String what) {
        float[] w = want.toArray(), g = got.toArray();
        for (int i = 0; i < w.length; i++) {
            if (!(Math.abs(g[i] - w[i]) <= 1e-4 * Math.max(Math.abs(w[i]), 1))) fail(what + " at " + i + ": cpu " + w[i] + ", gpu " + g[i]);
        }
    }
}
