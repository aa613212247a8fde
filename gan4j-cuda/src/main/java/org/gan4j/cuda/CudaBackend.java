package org.gan4j.cuda;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import org.gan4j.tensor.Backend;
import org.gan4j.tensor.BinaryOp;
import org.gan4j.tensor.ConvGeometry;
import org.gan4j.tensor.Distribution;
import org.gan4j.tensor.ReduceOp;
import org.gan4j.tensor.Storage;
import org.gan4j.tensor.Tensor;
import org.gan4j.tensor.UnaryOp;

/**
 * The Backend on one NVIDIA GPU: GEMM through cuBLAS, everything else through the kernels in
 * the .cu resources, all queued on one stream in call order. Only {@link #read} waits for the
 * GPU, so the host runs ahead and queues work while the device computes.
 */
public final class CudaBackend implements Backend {
    private final Driver driver;
    private final Cublas cublas;
    private final Kernels kernels;
    private final DeviceMemory memory;
    private final MemorySegment context, stream;
    private final String deviceName;
    private static final long CUBLAS_WORKSPACE_BYTES = 32L << 20;
    private long cublasWorkspace;
    private final ThreadLocal<Boolean> contextCurrent = ThreadLocal.withInitial(() -> false);

    CudaBackend(Driver driver, Cublas cublas, Nvrtc nvrtc, MemorySegment context, MemorySegment stream,
                String deviceName, int computeCapability, Path kernelCache) {
        this.driver = driver;
        this.cublas = cublas;
        this.context = context;
        this.stream = stream;
        this.deviceName = deviceName;
        this.memory = new DeviceMemory(driver::malloc, driver::free, () -> driver.synchronize(stream));
        this.kernels = new Kernels(driver, nvrtc, computeCapability, kernelCache, stream);
        contextCurrent.set(true);
    }

    @Override
    public String name() {
        return "cuda";
    }

    /** The GPU's name as the driver reports it, e.g. "NVIDIA H100 80GB HBM3". */
    public String deviceName() {
        return deviceName;
    }

    /** The CUDA context is current per thread; any thread that calls in gets it once. */
    private void enter() {
        if (!contextCurrent.get()) {
            driver.setCurrent(context);
            contextCurrent.set(true);
        }
    }

    // ---- memory ------------------------------------------------------------------------

    @Override
    public Storage allocate(int n) {
        CudaStorage s = newStorage(n);
        driver.fill32(s.address(), 0, n, stream);
        return s;
    }

    private CudaStorage newStorage(int n) {
        if (n < 0) throw new IllegalArgumentException("negative size " + n);
        enter();
        return new CudaStorage(memory, n);
    }

    @Override
    public Storage fromArray(float[] values) {
        CudaStorage s = newStorage(values.length);
        try (Arena arena = Arena.ofConfined()) {
            // a pageable source is staged before the call returns, so the arena may close right after
            driver.copyToDevice(s.address(), arena.allocateFrom(JAVA_FLOAT, values), 4L * values.length, stream);
        }
        return s;
    }

    @Override
    public void read(Storage src, float[] dst) {
        enter();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(JAVA_FLOAT, Math.max(1, dst.length));
            driver.copyToHost(host, address(src), 4L * dst.length, stream);
            driver.synchronize(stream);
            MemorySegment.copy(host, JAVA_FLOAT, 0, dst, 0, dst.length);
        }
    }

    @Override
    public void release(Storage s) {
        cuda(s).release();
    }

    @Override
    public void fill(Storage s, int n, float value) {
        enter();
        driver.fill32(address(s), Float.floatToRawIntBits(value), n, stream);
    }

    @Override
    public void copyStrided(Storage src, int srcOffset, int[] srcStrides,
                            Storage dst, int dstOffset, int[] dstStrides, int[] shape) {
        enter();
        int[] walk = Walk.of(shape, srcStrides, dstStrides);
        int n = Tensor.numel(shape);
        if (Walk.dense(walk, 2)) {
            if (n > 0) driver.copyOnDevice(address(dst) + 4L * dstOffset, address(src) + 4L * srcOffset, 4L * n, stream);
            return;
        }
        kernels.launch("elementwise", "copy_strided", n, walk, address(src), srcOffset, address(dst), dstOffset, n);
    }

    // ---- elementwise -------------------------------------------------------------------

    @Override
    public void unary(UnaryOp op, float p, Storage x, Storage out, int n) {
        enter();
        kernels.launch("elementwise", "unary", n, op.ordinal(), p, address(x), address(out), n);
    }

    @Override
    public void binary(BinaryOp op, Storage a, int[] aStrides, Storage b, int[] bStrides, Storage out, int[] shape) {
        enter();
        int n = Tensor.numel(shape);
        kernels.launch("elementwise", "binary", n, op.ordinal(), Walk.of(shape, aStrides, bStrides),
                address(a), address(b), address(out), n);
    }

    @Override
    public void where(Storage cond, int[] condStrides, Storage a, int[] aStrides, Storage b, int[] bStrides,
                      Storage out, int[] shape) {
        enter();
        int n = Tensor.numel(shape);
        kernels.launch("elementwise", "where_select", n, Walk.of(shape, condStrides, aStrides, bStrides),
                address(cond), address(a), address(b), address(out), n);
    }

    /** Outputs below which one block per output pays; above, one thread per output fills the GPU. */
    private static final int FEW_OUTPUTS = 4096;

    @Override
    public void reduce(ReduceOp op, Storage x, Storage out, int outer, int len, int inner) {
        if (len == 0 && op != ReduceOp.SUM) throw new IllegalArgumentException(op + " of an empty axis");
        int outputs = outer * inner;
        if (outputs == 0) return;
        enter();
        if (outputs < FEW_OUTPUTS && len > 64) {
            kernels.launchBlocks("reduce", "reduce_block", outputs, op.ordinal(), address(x), address(out), outer, len, inner);
        } else {
            kernels.launch("reduce", "reduce_thread", outputs, op.ordinal(), address(x), address(out), outer, len, inner);
        }
    }

    // ---- indexing ----------------------------------------------------------------------

    @Override
    public void indexSelect(Storage x, Storage out, int outer, int len, int inner, int[] index) {
        withIndex(index, len, device -> kernels.launch("index", "index_select", (long) outer * index.length * inner,
                address(x), address(out), outer, len, inner, device, index.length));
    }

    @Override
    public void indexAdd(Storage src, Storage out, int outer, int len, int inner, int[] index) {
        withIndex(index, len, device -> kernels.launch("index", "index_add", (long) outer * inner,
                address(src), address(out), outer, len, inner, device, index.length));
    }

    /** Copies the checked index list to the device for one launch. */
    private void withIndex(int[] index, int len, LongConsumer launch) {
        for (int i : index) {
            if (i < 0 || i >= len) throw new IndexOutOfBoundsException("index " + i + " out of range for length " + len);
        }
        enter();
        long bytes = 4L * Math.max(1, index.length);
        long device = memory.allocate(bytes);
        try (Arena arena = Arena.ofConfined()) {
            driver.copyToDevice(device, arena.allocateFrom(JAVA_INT, index), 4L * index.length, stream);
            launch.accept(device);
        } finally {
            // later users of this block are queued after the launch, on the same stream
            memory.release(device, bytes);
        }
    }

    // ---- matrix multiplication -----------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     Storage a, int lda, int strideA, Storage b, int ldb, int strideB,
                     float beta, Storage c, int ldc, int strideC, int batch) {
        if (m == 0 || n == 0 || batch == 0) return;
        enter();
        long pa = address(a), pb = address(b), pc = address(c);
        if (strideC == 0 && batch > 1) {
            // every product adds into the one C: one GEMM per batch entry, in order
            for (int i = 0; i < batch; i++) {
                cublas.gemm(transA, transB, m, n, k, alpha, pa + 4L * i * strideA, lda, 0, pb + 4L * i * strideB, ldb, 0,
                        i == 0 ? beta : 1f, pc, ldc, 0, 1);
            }
            return;
        }
        cublas.gemm(transA, transB, m, n, k, alpha, pa, lda, strideA, pb, ldb, strideB, beta, pc, ldc, strideC, batch);
    }

    // ---- convolution helpers -------------------------------------------------------------

    @Override
    public void im2col(Storage x, Storage cols, ConvGeometry g) {
        enter();
        long total = (long) g.n() * g.patchSize() * g.outputPixels();
        kernels.launch("conv", "im2col", total, address(x), address(cols), geometry(g), (int) total);
    }

    @Override
    public void col2im(Storage cols, Storage x, ConvGeometry g) {
        enter();
        long total = (long) g.n() * g.c() * g.h() * g.w();
        kernels.launch("conv", "col2im", total, address(cols), address(x), geometry(g), (int) total);
    }

    /** The kernels' {@code struct Geometry}. */
    private static int[] geometry(ConvGeometry g) {
        return new int[] {g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.strideH(), g.strideW(), g.padH(), g.padW(), g.oh(), g.ow()};
    }

    // ---- randomness and optimizers --------------------------------------------------------

    @Override
    public void random(Distribution dist, Storage out, int n, long seed, long stream, long counter) {
        enter();
        kernels.launch("random", "philox_fill", (n + 3L) / 4, dist == Distribution.NORMAL ? 1 : 0, address(out), n,
                seed, stream, counter);
    }

    @Override
    public void adam(Storage param, Storage grad, Storage m, Storage v, int n, float decay, float gradDecay, float w1,
                     float beta2, float w2, float stepSize, float bias2Sqrt, float eps) {
        enter();
        kernels.launch("optim", "adam", n, address(param), address(grad), address(m), address(v), n, decay, gradDecay,
                w1, beta2, w2, stepSize, bias2Sqrt, eps);
    }

    @Override
    public void sgd(Storage param, Storage grad, Storage momentumBuffer, int n, float lr, float momentum,
                    float dampening, float weightDecay, boolean nesterov, boolean firstStep) {
        enter();
        long buffer = momentum != 0 ? address(momentumBuffer) : 0L;
        kernels.launch("optim", "sgd", n, address(param), address(grad), buffer, n, lr, momentum,
                (float) (1 - (double) dampening), weightDecay, nesterov ? 1 : 0, firstStep ? 1 : 0);
    }

    @Override
    public void rmsprop(Storage param, Storage grad, Storage squareAvg, Storage momentumBuffer, int n, float lr,
                        float alpha, float eps, float weightDecay, float momentum) {
        enter();
        long buffer = momentum > 0 ? address(momentumBuffer) : 0L;
        kernels.launch("optim", "rmsprop", n, address(param), address(grad), address(squareAvg), buffer, n, lr, alpha,
                (float) (1 - (double) alpha), eps, weightDecay, momentum);
    }

    // ---- whole-step graphs ----------------------------------------------------------------

    /**
     * Records everything {@code step} queues as one CUDA graph, to be replayed with
     * {@link CudaGraph#replay()}. The step must not wait for the GPU (no {@link #read}) nor copy
     * from the host (no {@link #fromArray}, no index lists), and every value that changes from
     * step to step must live in device memory that the host updates between replays.
     */
    public CudaGraph capture(Runnable step) {
        enter();
        if (cublasWorkspace == 0) {
            // cuBLAS must not allocate while a stream is captured
            cublasWorkspace = memory.allocate(CUBLAS_WORKSPACE_BYTES);
            cublas.workspace(cublasWorkspace, CUBLAS_WORKSPACE_BYTES);
        }
        memory.beginCapture();
        driver.beginCapture(stream);
        MemorySegment graph;
        try {
            step.run();
        } finally {
            graph = driver.endCapture(stream);
        }
        return new CudaGraph(driver, stream, graph, driver.instantiate(graph), memory, memory.endCapture());
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static long address(Storage s) {
        return cuda(s).address();
    }

    private static CudaStorage cuda(Storage s) {
        if (s instanceof CudaStorage c) return c;
        throw new IllegalArgumentException("the cuda backend cannot use a "
                + (s == null ? "null" : s.getClass().getName()) + " storage");
    }
}
