package org.gan4j.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.gan4j.optim.Adam;
import org.gan4j.tensor.Backend;
import org.gan4j.tensor.BinaryOp;
import org.gan4j.tensor.ConvGeometry;
import org.gan4j.tensor.Distribution;
import org.gan4j.tensor.Philox;
import org.gan4j.tensor.ReduceOp;
import org.gan4j.tensor.Storage;
import org.gan4j.tensor.UnaryOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every kernel against a plain scalar reference computed in double. */
class CpuBackendTest {
    private static final CpuBackend CPU = new CpuBackend(2);
    private static final int[] SIZES = {0, 1, 3, 7, 17, 33, 65, 100, 129};

    // ---- helpers -----------------------------------------------------------------------

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = r.nextFloat() * 2 - 1;
        return a;
    }

    private static Storage store(float[] values) {
        return CPU.fromArray(values);
    }

    private static float[] load(Storage s) {
        float[] out = new float[s.size()];
        CPU.read(s, out);
        return out;
    }

    private static int volume(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Floats a storage needs so that every index of shape, read through strides from offset, is inside. */
    private static int extent(int[] shape, int[] strides, int offset) {
        if (volume(shape) == 0) return offset + 1;
        int last = offset;
        for (int d = 0; d < shape.length; d++) last += (shape[d] - 1) * strides[d];
        return last + 1;
    }

    /** Calls body with the offset of each operand for every index of shape, in row-major order. */
    private static void forEachIndex(int[] shape, int[][] strides, java.util.function.Consumer<int[]> body) {
        int n = volume(shape);
        int[] index = new int[shape.length];
        for (int flat = 0; flat < n; flat++) {
            for (int d = shape.length - 1, rest = flat; d >= 0; d--) {
                index[d] = rest % shape[d];
                rest /= shape[d];
            }
            int[] offsets = new int[strides.length];
            for (int j = 0; j < strides.length; j++) {
                for (int d = 0; d < shape.length; d++) offsets[j] += index[d] * strides[j][d];
            }
            body.accept(offsets);
        }
    }

    /**
     * Equal when both are NaN, or both the same infinity, or within rel·|expected| + abs. The
     * message is joined from its parts only on failure, which keeps element-by-element checks fast.
     */
    private static void assertClose(double expected, float actual, double rel, double abs, Object... what) {
        if (Double.isNaN(expected) && Float.isNaN(actual)) return;
        if (Double.isInfinite(expected) && expected == actual) return;
        if (!(Math.abs(actual - expected) <= rel * Math.abs(expected) + abs)) {
            var message = new StringBuilder();
            for (Object part : what) message.append(part);
            fail(message + ": expected " + expected + " but got " + actual);
        }
    }

    private static int[] contiguous(int[] shape) {
        return Strided.contiguous(shape);
    }

    // ---- GEMM --------------------------------------------------------------------------

    private static void refGemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                  float[] a, int lda, int strideA, float[] b, int ldb, int strideB,
                                  float beta, float[] c, int ldc, int strideC, int batch, double[] scale) {
        for (int bt = 0; bt < batch; bt++) {
            // entries that share one C add up: beta applies once
            float b0 = strideC == 0 && bt > 0 ? 1 : beta;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0, magnitude = 0;
                    for (int p = 0; p < k; p++) {
                        double x = transA ? a[bt * strideA + p * lda + i] : a[bt * strideA + i * lda + p];
                        double y = transB ? b[bt * strideB + j * ldb + p] : b[bt * strideB + p * ldb + j];
                        sum += x * y;
                        magnitude += Math.abs(x * y);
                    }
                    int at = bt * strideC + i * ldc + j;
                    double old = b0 == 0 ? 0 : b0 * (double) c[at];
                    c[at] = (float) (alpha * sum + old);
                    scale[at] = Math.abs(alpha) * magnitude + Math.abs(old) + scale[at] * Math.abs(b0);
                }
            }
        }
    }

    private static void checkGemm(Random r, boolean transA, boolean transB, int m, int n, int k, float alpha,
                                  float beta, int batch, boolean shareA, boolean shareB, boolean shareC,
                                  CpuBackend backend) {
        int lda = (transA ? m : k) + r.nextInt(3), ldb = (transB ? k : n) + r.nextInt(3), ldc = Math.max(1, n + r.nextInt(3));
        int sizeA = Math.max(1, (transA ? k : m) * lda), sizeB = Math.max(1, (transB ? n : k) * ldb), sizeC = Math.max(1, m * ldc);
        int strideA = shareA ? 0 : sizeA, strideB = shareB ? 0 : sizeB, strideC = shareC ? 0 : sizeC;
        float[] a = random(r, sizeA * (shareA ? 1 : batch)), b = random(r, sizeB * (shareB ? 1 : batch));
        float[] c = random(r, sizeC * (shareC ? 1 : batch));
        if (beta == 0) Arrays.fill(c, Float.NaN);
        float[] expected = c.clone();
        double[] scale = new double[c.length];
        refGemm(transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, expected, ldc, strideC, batch, scale);
        Storage sc = backend.fromArray(c);
        backend.gemm(transA, transB, m, n, k, alpha, backend.fromArray(a), lda, strideA, backend.fromArray(b), ldb, strideB,
                     beta, sc, ldc, strideC, batch);
        float[] got = new float[c.length];
        backend.read(sc, got);
        String what = "gemm " + (transA ? "T" : "N") + (transB ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k
                      + " alpha=" + alpha + " beta=" + beta + " batch=" + batch;
        for (int i = 0; i < c.length; i++) {
            // padding between rows (ldc > n) must be left alone; NaN stays NaN there
            boolean inside = i % sizeC / ldc < m && i % sizeC % ldc < n;
            if (!inside) {
                if (Float.floatToIntBits(c[i]) != Float.floatToIntBits(got[i])) fail(what + ": padding changed at " + i);
            } else {
                assertClose(expected[i], got[i], 0, 1e-5 * scale[i] + 1e-30, what, " at ", i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"NN", "NT", "TN", "TT"})
    void gemmMatchesReferenceForOddSizes(String transposes) {
        boolean transA = transposes.charAt(0) == 'T', transB = transposes.charAt(1) == 'T';
        Random r = new Random(transposes.hashCode());
        float[][] alphaBeta = {{1, 0}, {0.5f, 1}, {-2, 0.25f}, {0, 0.5f}, {1.5f, 0}};
        for (int trial = 0; trial < 60; trial++) {
            int m = SIZES[r.nextInt(SIZES.length)], n = SIZES[r.nextInt(SIZES.length)], k = SIZES[r.nextInt(SIZES.length)];
            float[] ab = alphaBeta[trial % alphaBeta.length];
            checkGemm(r, transA, transB, m, n, k, ab[0], ab[1], 1, false, false, false, CPU);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"NN", "NT", "TN", "TT"})
    void gemmCrossesEveryBlockBoundary(String transposes) {
        // larger than one block of rows, of columns and of depth
        checkGemm(new Random(7), transposes.charAt(0) == 'T', transposes.charAt(1) == 'T', 203, 611, 300, 0.75f, -0.5f,
                  1, false, false, false, CPU);
        // several depth slices, each packed in whole 16-deep blocks of a transposed B and a remainder
        checkGemm(new Random(8), transposes.charAt(0) == 'T', transposes.charAt(1) == 'T', 70, 99, 801, 1, 0,
                  1, false, false, false, CPU);
    }

    @Test
    void gemmIsCorrectWithOneOrThreeThreads() {
        for (int threads : new int[] {1, 3}) {
            checkGemm(new Random(threads), false, true, 150, 130, 300, 1, 0, 2, false, false, false, new CpuBackend(threads));
        }
    }

    @Test
    void gemmSplitsThinProductsByColumnsAndTallOnesByRows() {
        // {row parts, column parts} at two threads: four blocks, packing as little as possible
        assertArrayEquals(new int[] {1, 4}, Gemm.partition(2, 1, 64, 512), "m = 64: B is packed once");
        assertArrayEquals(new int[] {4, 1}, Gemm.partition(2, 1, 512, 64), "n = 64: A is packed once");
        assertArrayEquals(new int[] {2, 2}, Gemm.partition(2, 1, 1024, 784));
        assertArrayEquals(new int[] {1, 7}, Gemm.partition(2, 1, 128, 64 * 49), "panels of B are enough blocks");
        assertArrayEquals(new int[] {1, 1}, Gemm.partition(2, 8, 64, 64), "unfolded batch entries are enough blocks");
        assertArrayEquals(new int[] {1, 1}, Gemm.partition(1, 1, 64, 512), "one thread: one block");
        assertArrayEquals(new int[] {1, 1}, Gemm.partition(2, 1, 8, 8), "too small to split, whatever the vector length");
    }

    @Test
    void gemmBatchedWithStrides() {
        Random r = new Random(11);
        checkGemm(r, false, false, 17, 33, 7, 1, 0, 4, false, false, false, CPU);
        checkGemm(r, true, false, 5, 65, 33, 1, 0.5f, 3, true, false, false, CPU);    // one A for every batch entry
        checkGemm(r, false, true, 65, 3, 17, 2, 0, 3, false, true, false, CPU);      // one B for every batch entry
        checkGemm(r, true, true, 7, 7, 100, 1, 0.5f, 5, false, false, true, CPU);    // one C: the products add up
        checkGemm(r, false, true, 130, 600, 20, -1, 0, 3, true, false, true, CPU);   // ... over several blocks
        checkGemm(r, false, false, 3, 3, 3, 1, 0, 0, false, false, false, CPU);      // empty batch
    }

    @Test
    void gemmFoldsBatchesThatShareAMatrix() {
        // One shared A lays the images' columns side by side, one B their rows, one C their depths:
        // tiles then straddle image boundaries, which odd sizes (not multiples of the vector length) exercise.
        Random r = new Random(23);
        int[] sizes = {1, 5, 17, 49, 70};
        CpuBackend[] backends = {new CpuBackend(1), CPU, new CpuBackend(3)};
        float[][] alphaBeta = {{1, 0}, {0.5f, 1}, {-2, 0.25f}};
        for (int trial = 0; trial < 48; trial++) {
            int m = sizes[r.nextInt(sizes.length)], n = sizes[r.nextInt(sizes.length)], k = sizes[r.nextInt(sizes.length)];
            int share = 1 + trial % 3, batch = 1 + r.nextInt(6);
            float[] ab = alphaBeta[r.nextInt(alphaBeta.length)];
            checkGemm(r, r.nextBoolean(), r.nextBoolean(), m, n, k, ab[0], ab[1], batch, share == 1, share == 2, share == 3,
                      backends[trial % backends.length]);
        }
        // a depth that crosses several KC slices, and columns that cross several panels, across images
        checkGemm(r, true, false, 64, 196, 300, 1, 0, 5, false, false, true, CPU);
        checkGemm(r, false, false, 33, 301, 75, 1, 0, 7, true, false, false, CPU);
        checkGemm(r, false, true, 130, 20, 40, 1, 0.5f, 9, false, true, false, CPU);
        // one A, B not transposed: slivers blended from two images (7×7 maps' 49 columns; 16, 20 and 31), over depth slices
        for (int n : new int[] {49, 16, 20, 31}) checkGemm(r, false, false, 24, n, 500, 1, 0, 5, true, false, false, CPU);
        // ... with B shared too: loads that would start before B (first depth slice) or end past it (last) take the general path
        checkGemm(r, false, false, 24, 49, 500, 1, 0, 5, true, true, false, CPU);
        // a transposed B packed in whole register blocks, with depth runs that end inside one (a weight gradient)
        checkGemm(r, false, true, 64, 200, 49, 1, 0, 6, false, false, true, CPU);
        // ... and slivers narrower than a register tile: 16 columns (4×4 patches of one channel), 48, and 16 + 1
        for (int n : new int[] {16, 48, 17}) checkGemm(r, false, true, 64, n, 196, 1, 0, 5, false, false, true, CPU);
    }

    @Test
    void gemmBiasActivationHasTheBitsOfTheSeparateKernels() {
        Random r = new Random(29);
        Backend separate = composedDefaults("gemmBiasActivation");   // the product, then the bias, then the activation
        int[] sizes = {1, 5, 17, 49, 70};
        UnaryOp[] activations = {null, UnaryOp.RELU, UnaryOp.LEAKY_RELU};
        for (int trial = 0; trial < 40; trial++) {
            int m = sizes[r.nextInt(sizes.length)], n = sizes[r.nextInt(sizes.length)];
            int k = trial < 30 ? sizes[r.nextInt(sizes.length)] : trial < 39 ? 400 + r.nextInt(500) : 0;   // several KC slices; none
            int batch = 1 + r.nextInt(4);
            boolean shareA = trial % 3 == 1, shareB = trial % 3 == 2, transA = r.nextBoolean(), transB = r.nextBoolean();
            boolean perRow = r.nextBoolean(), withBias = trial % 4 != 0;
            UnaryOp activation = activations[trial % 3];
            float[] a = random(r, (shareA ? 1 : batch) * m * k), b = random(r, (shareB ? 1 : batch) * k * n), bias = random(r, perRow ? m : n);
            Storage fused = CPU.allocate(batch * m * n), expected = CPU.allocate(batch * m * n);
            for (Backend be : new Backend[] {CPU, separate}) {
                be.gemmBiasActivation(transA, transB, m, n, k, store(a), transA ? m : k, shareA ? 0 : m * k,
                        store(b), transB ? k : n, shareB ? 0 : k * n, be == CPU ? fused : expected, batch,
                        withBias ? store(bias) : null, perRow, activation, 0.2f);
            }
            assertArrayEquals(load(expected), load(fused), "m " + m + ", n " + n + ", k " + k + ", batch " + batch + ", A shared " + shareA
                    + ", B shared " + shareB + ", bias " + (withBias ? perRow ? "per row" : "per column" : "none") + ", " + activation);
        }
    }

    @Test
    void gemmRefusesAnEpilogueWithoutAFinishedProduct() {
        var relu = new Gemm.Epilogue(null, false, UnaryOp.RELU, 0f);
        float[] a = new float[8], b = new float[8], c = new float[8];
        var one = new Parallel(1);
        assertThrows(IllegalArgumentException.class, () -> Gemm.gemm(one, false, false, 2, 2, 0, 1f, a, 1, 0, b, 2, 0, 0f, c, 2, 4, 1, relu), "k = 0");
        assertThrows(IllegalArgumentException.class, () -> Gemm.gemm(one, false, false, 2, 2, 2, 0f, a, 2, 0, b, 2, 0, 0f, c, 2, 4, 1, relu), "alpha = 0");
        assertThrows(IllegalArgumentException.class, () -> Gemm.gemm(one, false, false, 2, 2, 2, 1f, a, 2, 4, b, 2, 4, 0f, c, 2, 0, 2, relu),
                "the products summed into one C");
    }

    @Test
    void gemmWithZeroBetaOverwritesNaN() {
        float[] c = {Float.NaN, Float.POSITIVE_INFINITY, Float.NaN, Float.NaN};
        Storage sc = store(c);
        CPU.gemm(false, false, 2, 2, 1, 1, store(new float[] {1, 2}), 1, 0, store(new float[] {3, 4}), 2, 0, 0, sc, 2, 0, 1);
        assertArrayEquals(new float[] {3, 4, 6, 8}, load(sc));
        Storage empty = store(c.clone());
        CPU.gemm(false, false, 2, 2, 0, 1, store(new float[1]), 1, 0, store(new float[1]), 2, 0, 0, empty, 2, 0, 1);
        assertArrayEquals(new float[4], load(empty), "k = 0 and beta = 0 gives zeros");
    }

    // ---- elementwise -------------------------------------------------------------------

    private static double refUnary(UnaryOp op, float p, float xf) {
        double x = xf;
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SIGN -> x > 0 ? 1 : x < 0 ? -1 : 0;
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case SOFTPLUS -> x > 20 ? x : Math.log1p(Math.exp(x));
            case RELU -> Double.isNaN(x) ? x : Math.max(x, 0);
            case LEAKY_RELU -> x > 0 ? x : p * x;
            case LEAKY_STEP -> x > 0 ? 1 : p;
            case POW_SCALAR -> Math.pow(x, p);
            case ADD_SCALAR -> x + p;
            case MUL_SCALAR -> x * p;
            case RDIV_SCALAR -> p / x;
            case MAX_SCALAR -> Double.isNaN(x) ? x : Math.max(x, p);
            case MIN_SCALAR -> Double.isNaN(x) ? x : Math.min(x, p);
            case GT_SCALAR -> x > p ? 1 : 0;
            case LT_SCALAR -> x < p ? 1 : 0;
            case NON_FINITE -> Double.isNaN(x) || Double.isInfinite(x) ? 1 : 0;
        };
    }

    private static final float[] SPECIAL = {0f, -0f, 1f, -1f, 0.5f, 20f, 20.5f, -20f, 25f, -25f, 89f, 100f, -100f, 200f,
        Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -3e38f, 3e38f};

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryMatchesReference(UnaryOp op) {
        Random r = new Random(op.ordinal());
        float[] params = op == UnaryOp.POW_SCALAR ? new float[] {2, 2.5f, -1, 0.5f} : new float[] {0.2f, -1.5f};
        for (int n : new int[] {0, 1, 7, 17, 33, 129, 100_003}) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = i < SPECIAL.length && n < 1000 ? SPECIAL[i] : (r.nextFloat() * 2 - 1) * (i % 2 == 0 ? 3 : 30);
            }
            for (float p : params) {
                Storage in = store(x), out = CPU.allocate(n);
                CPU.unary(op, p, in, out, n);
                float[] got = load(out);
                CPU.unary(op, p, in, in, n);
                assertArrayEquals(got, load(in), op + " in place");
                for (int i = 0; i < n; i++) {
                    assertClose((float) refUnary(op, p, x[i]), got[i], 1e-6, 1e-38, op, "(", x[i], ", ", p, ")");
                }
            }
        }
    }

    @Test
    void softplusIsStableAndSignOfZeroIsZero() {
        Storage x = store(new float[] {1000, -1000, 0, -0f, Float.NaN});
        Storage out = CPU.allocate(5);
        CPU.unary(UnaryOp.SOFTPLUS, 0, x, out, 2);
        assertArrayEquals(new float[] {1000, 0, 0, 0, 0}, load(out));
        CPU.unary(UnaryOp.SIGN, 0, x, out, 5);
        assertArrayEquals(new float[] {1, -1, 0, 0, 0}, load(out));
        CPU.unary(UnaryOp.SIGMOID, 0, x, out, 2);
        assertArrayEquals(new float[] {1, 0, 0, 0, 0}, load(out));
    }

    private static double refBinary(BinaryOp op, float af, float bf) {
        double a = af, b = bf;
        boolean nan = Double.isNaN(a) || Double.isNaN(b);
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAX -> nan ? Double.NaN : Math.max(a, b);
            case MIN -> nan ? Double.NaN : Math.min(a, b);
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case EQ -> a == b ? 1 : 0;
        };
    }

    /** {shape, a strides, b strides}: dense, broadcast, transposed, scalar, empty and zero-dimensional cases. */
    private static final int[][][] LAYOUTS = {
        {{3, 5, 7}, {35, 7, 1}, {35, 7, 1}},
        {{4, 5, 6}, {6, 0, 1}, {0, 6, 1}},
        {{2, 3, 4, 5}, {60, 20, 5, 1}, {0, 1, 0, 0}},
        {{5, 7}, {1, 5}, {0, 0}},
        {{5, 7}, {0, 0}, {1, 5}},
        {{1, 17, 1}, {17, 1, 1}, {0, 1, 0}},
        {{3, 0, 2}, {0, 2, 1}, {0, 2, 1}},
        {{}, {}, {}},
        {{100_003}, {1}, {1}},
        {{333, 301}, {301, 1}, {0, 1}},
        {{301, 333}, {1, 301}, {333, 1}},
        {{3, 37}, {1, 0}, {37, 1}},         // one value of a per run of b (vector path plus an odd tail)
        {{4, 2, 33}, {66, 33, 1}, {0, 1, 0}},  // a per-channel value of b over each plane
    };

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryBroadcastsThroughStrides(BinaryOp op) {
        Random r = new Random(op.ordinal());
        for (int[][] layout : LAYOUTS) {
            int[] shape = layout[0], as = layout[1], bs = layout[2];
            float[] a = random(r, extent(shape, as, 0)), b = random(r, extent(shape, bs, 0));
            // ties for the comparisons, NaN for MAX/MIN, positive bases for POW
            for (int i = 0; i < a.length; i += 5) a[i] = i < b.length ? b[i] : 0.25f;
            if (a.length > 3) a[3] = Float.NaN;
            if (op == BinaryOp.POW) for (int i = 0; i < a.length; i++) a[i] = Math.abs(a[i]) * 3;
            Storage out = CPU.allocate(volume(shape));
            CPU.binary(op, store(a), as, store(b), bs, out, shape);
            float[] got = load(out);
            int[] at = {0};
            forEachIndex(shape, new int[][] {as, bs}, off -> {
                int i = at[0]++;
                assertClose((float) refBinary(op, a[off[0]], b[off[1]]), got[i], 1e-6, 1e-38,
                            op, " ", shape.length, "-d at ", i);
            });
            assertEquals(volume(shape), at[0]);
        }
    }

    @Test
    void binaryMayAccumulateIntoA() {
        Random r = new Random(4);
        int[] shape = {3, 70_000};
        float[] a = random(r, 210_000), b = random(r, 70_000);
        Storage sa = store(a);
        CPU.binary(BinaryOp.ADD, sa, contiguous(shape), store(b), new int[] {0, 1}, sa, shape);
        float[] got = load(sa);
        for (int i = 0; i < a.length; i++) assertEquals(a[i] + b[i % 70_000], got[i]);
    }

    @Test
    void leakyReluGradIsTheStepTimesTheGradientInOnePass() {
        Random r = new Random(5);
        float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE};
        for (int n : new int[] {7, 33, 70_001}) {   // the last is split between threads
            float[] g = random(r, n), x = random(r, n);
            for (int i = 0; i < special.length; i++) {
                x[i] = special[i];
                g[n - 1 - i] = special[i];   // inside the vector loop for the larger sizes, in the tail for 7
            }
            for (float slope : new float[] {0f, 0.2f}) {
                Storage out = CPU.allocate(n), expected = CPU.allocate(n);
                CPU.leakyReluGrad(slope, store(g), store(x), out, n);
                composedDefaults("leakyReluGrad").leakyReluGrad(slope, store(g), store(x), expected, n);   // the step, then the product
                assertArrayEquals(load(expected), load(out), "slope " + slope + ", n " + n);
            }
        }
    }

    @Test
    void whereBroadcastsThroughStrides() {
        Random r = new Random(3);
        int[] shape = {3, 4, 5};
        float[] cond = {0, 1, Float.NaN, -2};             // broadcast over dims 0 and 2
        float[] a = random(r, 60), b = random(r, 5);
        int[] cs = {0, 1, 0}, as = contiguous(shape), bs = {0, 0, 1};
        Storage out = CPU.allocate(60);
        CPU.where(store(cond), cs, store(a), as, store(b), bs, out, shape);
        float[] got = load(out);
        int[] at = {0};
        forEachIndex(shape, new int[][] {cs, as, bs}, off -> {
            float expected = cond[off[0]] != 0 ? a[off[1]] : b[off[2]];
            assertEquals(expected, got[at[0]++]);
        });
        CPU.where(store(cond), new int[] {0}, store(a), new int[] {1}, store(b), new int[] {1}, CPU.allocate(1), new int[] {0});
    }

    // ---- copies and indexing -----------------------------------------------------------

    @Test
    void copyStridedMatchesReference() {
        Random r = new Random(5);
        int[][][] cases = {    // shape, src strides, dst strides, {srcOffset, dstOffset}
            {{4, 6}, {1, 4}, {6, 1}, {0, 0}},          // transpose
            {{3, 5}, {5, 1}, {9, 1}, {3, 2}},          // into a slice of a wider matrix
            {{2, 3, 4}, {0, 4, 1}, {12, 4, 1}, {1, 0}}, // broadcast the source
            {{2, 0, 4}, {0, 4, 1}, {0, 4, 1}, {0, 0}},
            {{300, 200}, {200, 1}, {200, 1}, {5, 7}},
            {{}, {}, {}, {2, 3}},
        };
        for (int[][] c : cases) {
            int[] shape = c[0], ss = c[1], ds = c[2];
            float[] src = random(r, extent(shape, ss, c[3][0]));
            float[] dst = random(r, extent(shape, ds, c[3][1]));
            float[] expected = dst.clone();
            forEachIndex(shape, new int[][] {ss, ds}, off -> expected[c[3][1] + off[1]] = src[c[3][0] + off[0]]);
            Storage d = store(dst);
            CPU.copyStrided(store(src), c[3][0], ss, d, c[3][1], ds, shape);
            assertArrayEquals(expected, load(d), Arrays.toString(shape));
        }
    }

    @Test
    void indexSelectAndIndexAdd() {
        Random r = new Random(9);
        for (int[] dims : new int[][] {{3, 7, 5}, {2, 3, 2500}, {1, 4, 1}, {0, 3, 2}, {2, 3, 0}}) {
            int outer = dims[0], len = dims[1], inner = dims[2];
            int[] index = new int[] {len - 1, 0, 0, len / 2, len - 1};
            float[] x = random(r, outer * len * inner);
            Storage out = CPU.allocate(outer * index.length * inner);
            CPU.indexSelect(store(x), out, outer, len, inner, index);
            float[] selected = load(out);
            float[] src = random(r, outer * index.length * inner), acc = random(r, outer * len * inner);
            float[] expected = acc.clone();
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < index.length; i++) {
                    for (int j = 0; j < inner; j++) {
                        int at = (o * index.length + i) * inner + j, row = (o * len + index[i]) * inner + j;
                        assertEquals(x[row], selected[at]);
                        expected[row] += src[at];
                    }
                }
            }
            Storage sum = store(acc);
            CPU.indexAdd(store(src), sum, outer, len, inner, index);
            float[] got = load(sum);
            for (int i = 0; i < got.length; i++) assertClose(expected[i], got[i], 1e-6, 1e-6, "indexAdd at ", i);
        }
        assertThrows(IndexOutOfBoundsException.class,
                     () -> CPU.indexSelect(store(new float[6]), CPU.allocate(2), 1, 3, 2, new int[] {3}));
        assertThrows(IndexOutOfBoundsException.class,
                     () -> CPU.indexAdd(store(new float[2]), CPU.allocate(6), 1, 3, 2, new int[] {-1}));
    }

    // ---- reductions --------------------------------------------------------------------

    private static double refReduce(ReduceOp op, float[] x, int start, int len, int stride) {
        double best = op == ReduceOp.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY, sum = 0;
        int at = -1;
        for (int l = 0; l < len; l++) {
            double v = x[start + l * stride];
            sum += v;
            if (Double.isNaN(v)) {
                if (!Double.isNaN(best)) at = l;
                best = Double.NaN;
            } else if (!Double.isNaN(best) && (op == ReduceOp.MIN ? v < best : v > best)) {
                best = v;
                at = l;
            }
        }
        if (at < 0) at = 0;    // every value was -inf (or +inf for MIN): the first
        return switch (op) {
            case SUM -> sum;
            case MAX, MIN -> best;
            case ARGMAX -> at;
        };
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void reduceMatchesReference(ReduceOp op) {
        Random r = new Random(op.ordinal());
        for (int trial = 0; trial < 40; trial++) {
            int outer = SIZES[r.nextInt(6)], len = 1 + SIZES[r.nextInt(SIZES.length)], inner = SIZES[r.nextInt(6)];
            if (trial == 0) {
                outer = 3;
                len = 40_000;
                inner = 1;
            } else if (trial == 1) {
                // columns in more than one block
                outer = 2;
                len = 5;
                inner = 1100;
            }
            float[] x = new float[outer * len * inner];
            for (int i = 0; i < x.length; i++) x[i] = r.nextInt(11) - 5;    // many ties
            if (trial % 4 == 1 && x.length > 10) x[x.length / 2] = Float.NaN;
            if (trial % 4 == 2 && x.length > 10) x[x.length / 3] = Float.NEGATIVE_INFINITY;
            Storage out = CPU.allocate(outer * inner);
            CPU.reduce(op, store(x), out, outer, len, inner);
            float[] got = load(out);
            for (int o = 0; o < outer; o++) {
                for (int j = 0; j < inner; j++) {
                    assertClose(refReduce(op, x, o * len * inner + j, len, inner), got[o * inner + j], 1e-6, 0,
                                op, " outer=", outer, " len=", len, " inner=", inner, " at ", o, ",", j);
                }
            }
        }
    }

    @Test
    void sumIsAccurateAndEmptyAxesAreHandled() {
        float[] tenths = new float[1_000_000];
        Arrays.fill(tenths, 0.1f);
        Storage out = CPU.allocate(1);
        CPU.reduce(ReduceOp.SUM, store(tenths), out, 1, tenths.length, 1);
        // a float accumulator drifts to about 100958
        assertClose(1_000_000 * (double) 0.1f, load(out)[0], 1e-7, 0, "sum of a million tenths");
        Storage two = store(new float[] {5, 5});
        CPU.reduce(ReduceOp.SUM, store(new float[0]), two, 2, 0, 1);
        assertArrayEquals(new float[] {0, 0}, load(two));
        assertThrows(IllegalArgumentException.class, () -> CPU.reduce(ReduceOp.MAX, store(new float[0]), two, 2, 0, 1));
    }

    // ---- convolution helpers -------------------------------------------------------------

    private static final ConvGeometry[] GEOMETRIES = {
        ConvGeometry.of(2, 3, 7, 5, 3, 3, 1, 1),
        ConvGeometry.of(1, 2, 8, 8, 4, 4, 2, 1),      // DCGAN's down-sampling layer
        ConvGeometry.of(3, 5, 8, 8, 4, 4, 2, 1),      // the same planes in another batch: col2im reuses the plan
        ConvGeometry.of(3, 1, 5, 6, 2, 3, 2, 0),
        ConvGeometry.of(1, 2, 3, 3, 5, 5, 1, 2),      // kernel larger than the image
        ConvGeometry.of(1, 1, 4, 4, 3, 3, 3, 2),
        new ConvGeometry(2, 2, 6, 7, 3, 2, 2, 1, 1, 0, 3, 6),
        ConvGeometry.of(0, 2, 4, 4, 3, 3, 1, 1),
        ConvGeometry.of(4, 17, 14, 14, 4, 4, 2, 1),
        ConvGeometry.of(2, 3, 40, 36, 4, 4, 2, 1),    // image rows of three vector chunks
        ConvGeometry.of(2, 2, 9, 70, 3, 3, 1, 1),     // rows of more than two vector chunks at stride 1
        new ConvGeometry(1, 2, 9, 33, 1, 5, 1, 2, 0, 3, 9, 18),   // stride 2 across, wide padding
    };

    private static float[] refIm2col(float[] x, ConvGeometry g) {
        float[] cols = new float[g.n() * g.patchSize() * g.outputPixels()];
        for (int img = 0; img < g.n(); img++) {
            for (int ci = 0; ci < g.c(); ci++) {
                for (int ki = 0; ki < g.kh(); ki++) {
                    for (int kj = 0; kj < g.kw(); kj++) {
                        int row = (ci * g.kh() + ki) * g.kw() + kj;
                        for (int oy = 0; oy < g.oh(); oy++) {
                            for (int ox = 0; ox < g.ow(); ox++) {
                                int iy = oy * g.strideH() - g.padH() + ki, ix = ox * g.strideW() - g.padW() + kj;
                                boolean inside = iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w();
                                cols[(img * g.patchSize() + row) * g.outputPixels() + oy * g.ow() + ox] =
                                        inside ? x[((img * g.c() + ci) * g.h() + iy) * g.w() + ix] : 0;
                            }
                        }
                    }
                }
            }
        }
        return cols;
    }

    @Test
    void im2colMatchesReference() {
        Random r = new Random(13);
        for (ConvGeometry g : GEOMETRIES) {
            float[] x = random(r, g.n() * g.c() * g.h() * g.w());
            int size = g.n() * g.patchSize() * g.outputPixels();
            Storage cols = store(random(r, size));    // stale values must be overwritten, zeros included
            CPU.im2col(store(x), cols, g);
            assertArrayEquals(refIm2col(x, g), load(cols), g.toString());
        }
    }

    @Test
    void col2imScattersBackAndIsTheAdjointOfIm2col() {
        Random r = new Random(17);
        for (ConvGeometry g : GEOMETRIES) {
            int xSize = g.n() * g.c() * g.h() * g.w(), colSize = g.n() * g.patchSize() * g.outputPixels();
            float[] cols = random(r, colSize);
            Storage x = store(random(r, xSize));      // col2im zeroes it first
            CPU.col2im(store(cols), x, g);
            float[] got = load(x);
            // each value's contributions added in float in the order of cols' rows: col2im's order, so the bits are fixed
            float[] expected = new float[xSize];
            for (int img = 0; img < g.n(); img++) {
                for (int row = 0; row < g.patchSize(); row++) {
                    int ci = row / (g.kh() * g.kw()), ki = row / g.kw() % g.kh(), kj = row % g.kw();
                    for (int oy = 0; oy < g.oh(); oy++) {
                        for (int ox = 0; ox < g.ow(); ox++) {
                            int iy = oy * g.strideH() - g.padH() + ki, ix = ox * g.strideW() - g.padW() + kj;
                            if (iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w()) continue;
                            expected[((img * g.c() + ci) * g.h() + iy) * g.w() + ix] +=
                                    cols[(img * g.patchSize() + row) * g.outputPixels() + oy * g.ow() + ox];
                        }
                    }
                }
            }
            assertArrayEquals(expected, got, g.toString());
            // <im2col(y), cols> = <y, col2im(cols)>
            float[] y = random(r, xSize), unfolded = refIm2col(y, g);
            double left = 0, right = 0;
            for (int e = 0; e < colSize; e++) left += unfolded[e] * (double) cols[e];
            for (int i = 0; i < xSize; i++) right += y[i] * (double) got[i];
            assertClose(left, (float) right, 1e-5, 1e-5, g + " adjoint");
        }
    }

    // ---- batch normalization -------------------------------------------------------------

    /** The Backend interface's composed defaults for the kernels whose names start so, running on the CPU backend's other kernels. */
    private static Backend composedDefaults(String prefix) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> method.getName().startsWith(prefix)
                        ? InvocationHandler.invokeDefault(proxy, method, args)
                        : method.invoke(CPU, args));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void channelKernelsMatchReference(boolean composed) {
        Backend be = composed ? composedDefaults("channel") : CPU;
        Random r = new Random(composed ? 2 : 1);
        // {outer, channels, inner}: features (inner 1) with whole and partial vectors of channels, images, odd and empty sizes
        int[][] shapes = {{64, 512, 1}, {3, 37, 1}, {2, 5, 49}, {1, 3, 7}, {5, 16, 16}, {4, 9, 3}, {2, 1, 1}, {0, 4, 3}, {3, 4, 0}};
        for (int[] shape : shapes) {
            int outer = shape[0], channels = shape[1], inner = shape[2], n = outer * channels * inner;
            float[] x = random(r, n), g = random(r, n);
            for (int i = 0; i < n; i++) x[i] += 3;   // a mean far from 0, against which the variance is small
            float[] center = random(r, channels), scale = random(r, channels), shift = random(r, channels), yScale = random(r, channels);
            Storage mean = be.allocate(channels), var = be.allocate(channels), sumG = be.allocate(channels),
                    sumGX = be.allocate(channels), affine = be.allocate(n), withY = be.allocate(n);
            be.channelMoments(store(x), outer, channels, inner, mean, var);
            be.channelGradSums(store(g), store(x), store(center), outer, channels, inner, sumG, sumGX);
            be.channelAffine(store(x), store(center), store(scale), store(shift), null, null, outer, channels, inner, affine);
            be.channelAffine(store(x), store(center), store(scale), store(shift), store(g), store(yScale), outer, channels, inner, withY);
            String where = Arrays.toString(shape) + " channel ";
            float[] gotMean = load(mean), gotVar = load(var), gotSumG = load(sumG), gotSumGX = load(sumGX);
            for (int c = 0; c < channels; c++) {
                // gSize, gxSize: Σ |g| and Σ |g·(x − center)|, the scales of the sums' rounding
                double sum = 0, squares = 0, gs = 0, gxs = 0, gSize = 0, gxSize = 0;
                for (int o = 0; o < outer; o++) {
                    for (int i = 0, at = (o * channels + c) * inner; i < inner; i++) sum += x[at + i];
                }
                double m = sum / (outer * inner);
                for (int o = 0; o < outer; o++) {
                    for (int i = 0, at = (o * channels + c) * inner; i < inner; i++) {
                        squares += (x[at + i] - m) * (x[at + i] - m);
                        gs += g[at + i];
                        gSize += Math.abs(g[at + i]);
                        gxs += g[at + i] * ((double) x[at + i] - center[c]);
                        gxSize += Math.abs(g[at + i] * ((double) x[at + i] - center[c]));
                    }
                }
                assertClose(m, gotMean[c], 1e-6, 0, where, c, " mean");
                assertClose(squares / (outer * inner), gotVar[c], 1e-5, 1e-7, where, c, " variance");
                assertClose(gs, gotSumG[c], 0, 1e-6 * gSize + 1e-7, where, c, " Σg");
                assertClose(gxs, gotSumGX[c], 0, 1e-6 * gxSize + 1e-7, where, c, " Σg(x - center)");
            }
            float[] gotAffine = load(affine), gotWithY = load(withY);
            for (int i = 0; i < n; i++) {
                int c = i / inner % channels;
                double expected = ((double) x[i] - center[c]) * scale[c] + shift[c];
                assertClose(expected, gotAffine[i], 1e-6, 1e-6, where, c, " affine at ", i);
                assertClose(expected + (double) g[i] * yScale[c], gotWithY[i], 1e-6, 1e-6, where, c, " affine with y at ", i);
            }
        }
    }

    @Test
    void channelSumsDoNotDependOnHowThreadsSplitTheChannels() {
        Random r = new Random(5);
        // enough features for twelve chunks (of 512 channels at least), whose bounds cut through vectors of channels
        int outer = 64, channels = 20_003, n = outer * channels;
        float[] x = random(r, n), g = random(r, n), center = random(r, channels);
        float[][] results = new float[2][];
        for (int run = 0; run < 2; run++) {
            CpuBackend cpu = new CpuBackend(run == 0 ? 1 : 3);
            Storage[] sums = new Storage[4];
            for (int k = 0; k < 4; k++) sums[k] = cpu.allocate(channels);
            cpu.channelMoments(cpu.fromArray(x), outer, channels, 1, sums[0], sums[1]);
            cpu.channelGradSums(cpu.fromArray(g), cpu.fromArray(x), cpu.fromArray(center), outer, channels, 1, sums[2], sums[3]);
            results[run] = new float[4 * channels];
            float[] part = new float[channels];
            for (int k = 0; k < 4; k++) {
                cpu.read(sums[k], part);
                System.arraycopy(part, 0, results[run], k * channels, channels);
            }
        }
        assertArrayEquals(results[0], results[1]);
    }

    // ---- randomness --------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Distribution.class)
    void randomIsPhiloxFillAndDeterministic(Distribution dist) {
        for (int n : new int[] {1, 3, 5, 17, 100_003}) {
            float[] expected = new float[n];
            Philox.fill(dist, expected, 0, n, 42, 3, 17);
            Storage out = CPU.allocate(n);
            CPU.random(dist, out, n, 42, 3, 17);
            assertArrayEquals(expected, load(out), dist + " n=" + n);
            CPU.random(dist, out, n, 42, 3, 17);
            assertArrayEquals(expected, load(out), "same seed, same values");
            CPU.random(dist, out, n, 43, 3, 17);
            assertTrue(load(out)[0] != expected[0], "another seed, other values");
        }
    }

    // ---- optimizers --------------------------------------------------------------------

    private static final int[] PARAM_COUNTS = {1, 37, 70_001};

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void adamMatchesTorchFormulasForThreeSteps(boolean decoupled) {
        for (int n : PARAM_COUNTS) {
            for (float beta1 : new float[] {0.9f, 0.5f}) {
                Random r = new Random(n);
                float lr = 0.01f, beta2 = 0.999f, eps = 1e-8f, wd = 0.1f;
                float[] p0 = random(r, n);
                double[] p = new double[n], m = new double[n], v = new double[n];
                for (int i = 0; i < n; i++) p[i] = p0[i];
                Storage param = store(p0), sm = CPU.allocate(n), sv = CPU.allocate(n);
                for (int step = 1; step <= 3; step++) {
                    float[] g = random(r, n);
                    Adam.fusedStep(CPU, param, store(g), sm, sv, n, lr, beta1, beta2, eps, wd, decoupled, step);
                    double bias1 = 1 - Math.pow(beta1, step), bias2 = 1 - Math.pow(beta2, step);
                    for (int i = 0; i < n; i++) {
                        double grad = g[i];
                        if (decoupled) p[i] *= 1 - (double) lr * wd;
                        else grad += wd * p[i];
                        m[i] = beta1 * m[i] + (1 - (double) beta1) * grad;
                        v[i] = beta2 * v[i] + (1 - (double) beta2) * grad * grad;
                        p[i] -= lr / bias1 * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bias2) + eps);
                    }
                }
                float[] gp = load(param), gm = load(sm), gv = load(sv);
                for (int i = 0; i < n; i++) {
                    assertClose(p[i], gp[i], 1e-5, 1e-6, "param ", i);
                    assertClose(m[i], gm[i], 1e-5, 1e-7, "m ", i);
                    assertClose(v[i], gv[i], 1e-5, 1e-9, "v ", i);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "momentum", "nesterov"})
    void sgdMatchesTorchFormulasForThreeSteps(String kind) {
        float momentum = kind.equals("plain") ? 0 : 0.9f, dampening = kind.equals("momentum") ? 0.1f : 0;
        float wd = kind.equals("momentum") ? 0 : 0.05f, lr = 0.1f;
        boolean nesterov = kind.equals("nesterov");
        for (int n : PARAM_COUNTS) {
            Random r = new Random(n);
            float[] p0 = random(r, n);
            double[] p = new double[n], buf = new double[n];
            for (int i = 0; i < n; i++) p[i] = p0[i];
            Storage param = store(p0), sb = momentum != 0 ? CPU.allocate(n) : null;
            for (int step = 1; step <= 3; step++) {
                float[] g = random(r, n);
                CPU.sgd(param, store(g), sb, n, lr, momentum, dampening, wd, nesterov, step == 1);
                for (int i = 0; i < n; i++) {
                    double grad = g[i] + wd * p[i];
                    if (momentum != 0) {
                        buf[i] = step == 1 ? grad : momentum * buf[i] + (1 - (double) dampening) * grad;
                        grad = nesterov ? grad + momentum * buf[i] : buf[i];
                    }
                    p[i] -= lr * grad;
                }
            }
            float[] gp = load(param);
            for (int i = 0; i < n; i++) assertClose(p[i], gp[i], 1e-5, 1e-6, kind, " param ", i);
            if (sb != null) {
                float[] gb = load(sb);
                for (int i = 0; i < n; i++) assertClose(buf[i], gb[i], 1e-5, 1e-6, kind, " buffer ", i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(floats = {0f, 0.9f})
    void rmspropMatchesTorchFormulasForThreeSteps(float momentum) {
        float lr = 0.01f, alpha = 0.99f, eps = 1e-8f, wd = momentum == 0 ? 0 : 0.01f;
        for (int n : PARAM_COUNTS) {
            Random r = new Random(n);
            float[] p0 = random(r, n);
            double[] p = new double[n], sq = new double[n], buf = new double[n];
            for (int i = 0; i < n; i++) p[i] = p0[i];
            Storage param = store(p0), ssq = CPU.allocate(n), sb = momentum > 0 ? CPU.allocate(n) : null;
            for (int step = 1; step <= 3; step++) {
                float[] g = random(r, n);
                CPU.rmsprop(param, store(g), ssq, sb, n, lr, alpha, eps, wd, momentum);
                for (int i = 0; i < n; i++) {
                    double grad = g[i] + wd * p[i];
                    sq[i] = alpha * sq[i] + (1 - (double) alpha) * grad * grad;
                    double avg = Math.sqrt(sq[i]) + eps;
                    if (momentum > 0) {
                        buf[i] = momentum * buf[i] + grad / avg;
                        p[i] -= lr * buf[i];
                    } else {
                        p[i] -= lr * grad / avg;
                    }
                }
            }
            float[] gp = load(param), gs = load(ssq);
            for (int i = 0; i < n; i++) {
                assertClose(p[i], gp[i], 1e-5, 1e-6, "param ", i);
                assertClose(sq[i], gs[i], 1e-5, 1e-9, "square average ", i);
            }
        }
    }

    // ---- memory and threads ------------------------------------------------------------

    @Test
    void poolReusesArraysAndZeroesThem() {
        var cpu = new CpuBackend(1);
        Storage s = cpu.fromArray(new float[] {1, 2, 3, 4, 5});
        float[] array = ((CpuStorage) s).array();
        cpu.release(s);
        cpu.release(s);    // a second release must not put the array in the pool twice
        Storage again = cpu.allocate(5);
        assertSame(array, ((CpuStorage) again).array(), "the released array is reused");
        assertArrayEquals(new float[5], ((CpuStorage) again).array(), "and handed out zeroed");
        cpu.fill(again, 5, 9f);
        cpu.release(again);
        assertArrayEquals(new float[] {9, 9, 9, 9, 9}, ((CpuStorage) cpu.allocateUninitialized(5)).array(),
                          "an output that is to be overwritten is handed out as it was");
        assertNotSame(array, ((CpuStorage) cpu.allocate(5)).array());
        float[] values = {7, 8};
        Storage copy = cpu.fromArray(values);
        values[0] = 0;
        assertArrayEquals(new float[] {7, 8}, ((CpuStorage) copy).array(), "fromArray copies");
        assertEquals(0, cpu.allocate(0).size());
        assertEquals("cpu", cpu.name());
    }

    @Test
    void releasedStorageCannotBeUsed() {
        var cpu = new CpuBackend(1);
        Storage s = cpu.allocate(4);
        cpu.release(s);
        assertTrue(s.isReleased());
        assertThrows(IllegalStateException.class, () -> ((CpuStorage) s).array());
        assertThrows(IllegalStateException.class, () -> cpu.unary(UnaryOp.NEG, 0, s, cpu.allocate(4), 4));
        assertThrows(IllegalStateException.class, () -> cpu.read(s, new float[4]));
    }

    @Test
    void parkedHelpersWakeForTheNextLoop() throws InterruptedException {
        var parallel = new Parallel(2);
        for (int round = 0; round < 20; round++) {
            Thread.sleep(5);   // far longer than helpers spin: they park
            var names = java.util.concurrent.ConcurrentHashMap.<String>newKeySet();
            parallel.parallelFor(8, 1, (from, to) -> {
                names.add(Thread.currentThread().getName());
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            if (names.contains("gan4j-cpu")) return;
        }
        fail("no helper took part in 20 loops started after it had parked");
    }

    @Test
    void parallelForCoversTheRangeOnceNestsAndRethrows() {
        var parallel = new Parallel(3);
        int n = 1_000_003;
        var hits = new java.util.concurrent.atomic.AtomicIntegerArray(n);
        var nested = new AtomicInteger();
        parallel.parallelFor(n, 1000, (from, to) -> {
            for (int i = from; i < to; i++) hits.incrementAndGet(i);
            parallel.parallelFor(100, 1, (a, b) -> nested.addAndGet(b - a));
        });
        for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "index " + i);
        assertEquals(0, nested.get() % 100);
        assertTrue(nested.get() >= 100);
        var failure = assertThrows(IllegalStateException.class, () -> parallel.parallelFor(n, 1, (from, to) -> {
            if (from <= n / 2 && n / 2 < to) throw new IllegalStateException("boom");
        }));
        assertEquals("boom", failure.getMessage());
    }
}
