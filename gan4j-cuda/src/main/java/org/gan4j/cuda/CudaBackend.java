package org.gan4j.cuda;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
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
    private final DeviceMemory memory;
    private final IndexLists indexLists;
    private final MemorySegment stream;
    private final String deviceName;
    private static final long CUBLAS_WORKSPACE_BYTES = 32L << 20;
    private long cublasWorkspace;
    /** Each calling thread's launcher; creating it makes the CUDA context current on that thread. */
    private final ThreadLocal<Launcher> launchers;
    /**
     * The launcher of the thread that called last, so a thread calling again finds its own without
     * a ThreadLocal lookup. Read and written without a lock: a thread only ever finds its own
     * launcher here (the owner field is final) or another's, and then looks its own up.
     */
    private Launcher recent;

    CudaBackend(Driver driver, Cublas cublas, Nvrtc nvrtc, MemorySegment context, MemorySegment stream,
                String deviceName, int computeCapability, Path kernelCache) {
        this.driver = driver;
        this.cublas = cublas;
        this.stream = stream;
        this.deviceName = deviceName;
        this.memory = new DeviceMemory(driver::malloc, driver::free, () -> driver.synchronize(stream));
        Kernels kernels = new Kernels(driver, nvrtc, computeCapability, kernelCache);
        this.indexLists = new IndexLists(driver, memory, stream);
        this.launchers = ThreadLocal.withInitial(() -> {
            driver.setCurrent(context);
            return new Launcher(driver, kernels, stream);
        });
        // the provider made the context current on this thread
        recent = new Launcher(driver, kernels, stream);
        launchers.set(recent);
    }

    @Override
    public String name() {
        return "cuda";
    }

    /** The GPU's name as the driver reports it, e.g. "NVIDIA H100 80GB HBM3". */
    public String deviceName() {
        return deviceName;
    }

    /**
     * The calling thread's launcher. The CUDA context is current per thread: a thread's first call
     * makes it current, once; later calls cost a field read while the same thread keeps calling.
     */
    private Launcher enter() {
        Launcher launcher = recent;
        if (launcher.thread != Thread.currentThread()) {
            launcher = launchers.get();
            recent = launcher;
        }
        return launcher;
    }

    /** Begins a launch of {@code kernel} from {@code file} on the calling thread. */
    private Launcher launch(String file, String kernel) {
        return enter().start(file, kernel);
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
        launch("elementwise", "copy_strided").ints(walk).ptr(address(src)).i(srcOffset).ptr(address(dst)).i(dstOffset).i(n)
                .over(n);
    }

    // ---- elementwise -------------------------------------------------------------------

    @Override
    public void unary(UnaryOp op, float p, Storage x, Storage out, int n) {
        launch("elementwise", "unary").i(op.ordinal()).f(p).ptr(address(x)).ptr(address(out)).i(n).over(n);
    }

    @Override
    public void binary(BinaryOp op, Storage a, int[] aStrides, Storage b, int[] bStrides, Storage out, int[] shape) {
        int n = Tensor.numel(shape);
        launch("elementwise", "binary").i(op.ordinal()).ints(Walk.of(shape, aStrides, bStrides))
                .ptr(address(a)).ptr(address(b)).ptr(address(out)).i(n).over(n);
    }

    @Override
    public void where(Storage cond, int[] condStrides, Storage a, int[] aStrides, Storage b, int[] bStrides,
                      Storage out, int[] shape) {
        int n = Tensor.numel(shape);
        launch("elementwise", "where_select").ints(Walk.of(shape, condStrides, aStrides, bStrides))
                .ptr(address(cond)).ptr(address(a)).ptr(address(b)).ptr(address(out)).i(n).over(n);
    }

    /** Outputs below which one block per output pays; above, one thread per output fills the GPU. */
    private static final int FEW_OUTPUTS = 4096;

    @Override
    public void reduce(ReduceOp op, Storage x, Storage out, int outer, int len, int inner) {
        if (len == 0 && op != ReduceOp.SUM) throw new IllegalArgumentException(op + " of an empty axis");
        int outputs = outer * inner;
        if (outputs == 0) return;
        boolean blockEach = outputs < FEW_OUTPUTS && len > 64;
        Launcher launch = launch("reduce", blockEach ? "reduce_block" : "reduce_thread")
                .i(op.ordinal()).ptr(address(x)).ptr(address(out)).i(outer).i(len).i(inner);
        if (blockEach) {
            launch.blocks(outputs);
        } else {
            launch.over(outputs);
        }
    }

    // ---- indexing ----------------------------------------------------------------------

    @Override
    public void indexSelect(Storage x, Storage out, int outer, int len, int inner, int[] index) {
        indexed("index_select", x, out, outer, len, inner, index, (long) outer * index.length * inner);
    }

    @Override
    public void indexAdd(Storage src, Storage out, int outer, int len, int inner, int[] index) {
        indexed("index_add", src, out, outer, len, inner, index, (long) outer * inner);
    }

    /** Launches an index kernel over {@code work} items with the device copy of the checked index list. */
    private void indexed(String kernel, Storage in, Storage out, int outer, int len, int inner, int[] index, long work) {
        for (int i : index) {
            if (i < 0 || i >= len) throw new IndexOutOfBoundsException("index " + i + " out of range for length " + len);
        }
        Launcher launcher = enter();
        long pin = address(in), pout = address(out);
        indexLists.use(index, device -> launcher.start("index", kernel)
                .ptr(pin).ptr(pout).i(outer).i(len).i(inner).ptr(device).i(index.length).over(work));
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
        long total = (long) g.n() * g.patchSize() * g.outputPixels();
        launch("conv", "im2col").ptr(address(x)).ptr(address(cols)).ints(geometry(g)).i((int) total).over(total);
    }

    @Override
    public void col2im(Storage cols, Storage x, ConvGeometry g) {
        long total = (long) g.n() * g.c() * g.h() * g.w();
        launch("conv", "col2im").ptr(address(cols)).ptr(address(x)).ints(geometry(g)).i((int) total).over(total);
    }

    /** The kernels' {@code struct Geometry}. */
    private static int[] geometry(ConvGeometry g) {
        return new int[] {g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.strideH(), g.strideW(), g.padH(), g.padW(), g.oh(), g.ow()};
    }

    // ---- randomness and optimizers --------------------------------------------------------

    @Override
    public void random(Distribution dist, Storage out, int n, long seed, long stream, long counter) {
        launch("random", "philox_fill").i(dist == Distribution.NORMAL ? 1 : 0).ptr(address(out)).i(n)
                .l(seed).l(stream).l(counter).over((n + 3L) / 4);
    }

    @Override
    public void adam(Storage param, Storage grad, Storage m, Storage v, int n, float decay, float gradDecay, float w1,
                     float beta2, float w2, float stepSize, float bias2Sqrt, float eps) {
        launch("optim", "adam").ptr(address(param)).ptr(address(grad)).ptr(address(m)).ptr(address(v)).i(n)
                .f(decay).f(gradDecay).f(w1).f(beta2).f(w2).f(stepSize).f(bias2Sqrt).f(eps).over(n);
    }

    @Override
    public void sgd(Storage param, Storage grad, Storage momentumBuffer, int n, float lr, float momentum,
                    float dampening, float weightDecay, boolean nesterov, boolean firstStep) {
        long buffer = momentum != 0 ? address(momentumBuffer) : 0L;
        launch("optim", "sgd").ptr(address(param)).ptr(address(grad)).ptr(buffer).i(n).f(lr).f(momentum)
                .f((float) (1 - (double) dampening)).f(weightDecay).i(nesterov ? 1 : 0).i(firstStep ? 1 : 0).over(n);
    }

    @Override
    public void rmsprop(Storage param, Storage grad, Storage squareAvg, Storage momentumBuffer, int n, float lr,
                        float alpha, float eps, float weightDecay, float momentum) {
        long buffer = momentum > 0 ? address(momentumBuffer) : 0L;
        launch("optim", "rmsprop").ptr(address(param)).ptr(address(grad)).ptr(address(squareAvg)).ptr(buffer).i(n)
                .f(lr).f(alpha).f((float) (1 - (double) alpha)).f(eps).f(weightDecay).f(momentum).over(n);
    }

    // ---- whole-step graphs ----------------------------------------------------------------

    /**
     * Records everything {@code step} queues as one CUDA graph, to be replayed with
     * {@link CudaGraph#replay()}. The step must not wait for the GPU (no {@link #read}) nor copy
     * from the host (no {@link #fromArray}), nor select by index (an index list's device copy may
     * leave its cache while the graph still reads it), and every value that changes from step to
     * step must live in device memory that the host updates between replays.
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
