package org.gan4j.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.gan4j.tensor.BackendUnavailableException;
import org.gan4j.tensor.BinaryOp;
import org.gan4j.tensor.ReduceOp;
import org.gan4j.tensor.Replay;
import org.gan4j.tensor.Storage;
import org.gan4j.tensor.Tensor;
import org.gan4j.tensor.UnaryOp;
import org.gan4j.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bindings against fake_cuda.c, a stand-in for the three libraries built here with gcc:
 * every downcall's types, the error paths (missing library, missing symbol, a failing call),
 * memory copies, the row-major GEMM mapping onto column-major cuBLAS (checked against the CPU
 * backend), kernel launches and the on-disk kernel cache. Nothing here needs a GPU.
 */
class FakeCudaTest {
    @TempDir
    static Path tmp;
    static Path good, failingInit, noLaunch;

    @BeforeAll
    static void buildFakes() throws IOException, InterruptedException {
        if (Tools.gcc().isEmpty()) return;
        Path source = tmp.resolve("fake_cuda.c");
        try (InputStream in = FakeCudaTest.class.getResourceAsStream("fake_cuda.c")) {
            Files.copy(in, source);
        }
        good = fake("good");
        failingInit = fake("fail-init", "-DFAIL_INIT");
        noLaunch = fake("no-launch", "-DNO_LAUNCH");
    }

    /** One build of the fake, installed under the three sonames gan4j looks for. */
    private static Path fake(String name, String... defines) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        List<String> command = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-O1", "-o", "libcuda.so.1"));
        command.addAll(List.of(defines));
        command.add(tmp.resolve("fake_cuda.c").toString());
        Tools.run(dir, command.toArray(String[]::new));
        Files.copy(dir.resolve("libcuda.so.1"), dir.resolve("libcublas.so.13"));
        Files.copy(dir.resolve("libcuda.so.1"), dir.resolve("libnvrtc.so.13"));
        return dir;
    }

    /** Per test, so the report lists every skipped check with the reason. */
    @BeforeEach
    void needGcc() {
        assumeTrue(good != null, "gcc not found: the fake CUDA libraries cannot be built here");
    }

    private static CudaBackend start(Path dir) {
        return CudaBackendProvider.start(List.of(dir), 0, false, tmp.resolve("kernel-cache"));
    }

    /** Calls a no-argument function of one fake library. */
    private static Object probe(Path dir, String library, String function, MemoryLayout result) throws Throwable {
        return fakeFunction(dir, library, function, FunctionDescriptor.of(result)).invoke();
    }

    private static MethodHandle fakeFunction(Path dir, String library, String name, FunctionDescriptor type) {
        return Linker.nativeLinker().downcallHandle(
                SymbolLookup.libraryLookup(dir.resolve(library), Arena.global()).find(name).orElseThrow(), type);
    }

    private static int counter(String library, String function) throws Throwable {
        return (int) probe(good, library, function, JAVA_INT);
    }

    @Test
    void missingDriverLibraryIsNamedWithTheSearchPath() {
        boolean systemHasDriver;
        try {
            SymbolLookup.libraryLookup("libcuda.so.1", Arena.global());
            systemHasDriver = true;
        } catch (IllegalArgumentException e) {
            systemHasDriver = false;
        }
        assumeTrue(!systemHasDriver, "this machine has a real libcuda.so.1, so it cannot be missing");
        Path empty = tmp.resolve("empty");
        var e = assertThrows(BackendUnavailableException.class,
                () -> CudaBackendProvider.start(List.of(empty), 0, false, tmp.resolve("cache")));
        assertEquals("cannot find the NVIDIA driver library (libcuda.so.1) in " + List.of(empty)
                + " nor through the system loader (set GAN4J_CUDA_PATH to the directory that holds it)", e.getMessage());
    }

    @Test
    void failingCallIsNamedWithTheDriversWords() {
        var e = assertThrows(BackendUnavailableException.class, () -> start(failingInit));
        assertEquals(failingInit.resolve("libcuda.so.1") + ": cuInit failed: CUDA_ERROR_NO_DEVICE (no CUDA-capable device is detected)",
                e.getMessage());
    }

    @Test
    void missingSymbolNamesLibraryAndFunction() {
        var e = assertThrows(BackendUnavailableException.class, () -> start(noLaunch));
        assertEquals(noLaunch.resolve("libcuda.so.1") + " has no function cuLaunchKernel (a CUDA 12 or 13 library is needed)",
                e.getMessage());
    }

    @Test
    void memoryRoundTripsThroughTheDriverCalls() {
        CudaBackend gpu = start(good);
        assertEquals("Fake GPU", gpu.deviceName());
        float[] values = {1.5f, -2f, 3.25f, Float.NaN, 0f, 7f};
        Storage s = gpu.fromArray(values);
        float[] back = new float[values.length];
        gpu.read(s, back);
        assertArrayEquals(values, back);

        gpu.fill(s, 4, -0.5f);
        gpu.read(s, back);
        assertArrayEquals(new float[] {-0.5f, -0.5f, -0.5f, -0.5f, 0f, 7f}, back);

        Storage zeros = gpu.allocate(6);
        gpu.copyStrided(s, 4, new int[] {1}, zeros, 1, new int[] {1}, new int[] {2});   // dense: one device copy
        gpu.read(zeros, back);
        assertArrayEquals(new float[] {0f, 0f, 7f, 0f, 0f, 0f}, back);

        long address = ((CudaStorage) s).address();
        gpu.release(s);
        assertThrows(IllegalStateException.class, () -> gpu.read(s, back), "a released storage fails loudly");
        Storage recycled = gpu.allocate(values.length);
        assertEquals(address, ((CudaStorage) recycled).address(), "the released block is handed out again");
        gpu.read(recycled, back);
        assertArrayEquals(new float[values.length], back, "and zeroed, as allocate promises");
    }

    @Test
    void misuseIsNamed() throws Throwable {
        var e = assertThrows(BackendUnavailableException.class,
                () -> CudaBackendProvider.start(List.of(good), 1, false, tmp.resolve("kernel-cache")));
        assertEquals("GAN4J_CUDA_DEVICE=1 but only 1 CUDA device(s) found", e.getMessage());

        CudaBackend gpu = start(good);
        Storage out = gpu.allocate(4);
        int launches = counter("libcuda.so.1", "fake_launches");
        var foreign = assertThrows(IllegalArgumentException.class,
                () -> gpu.unary(UnaryOp.NEG, 0f, new CpuBackend(1).allocate(4), out, 4));
        assertEquals("the cuda backend cannot use a org.gan4j.tensor.cpu.CpuStorage storage", foreign.getMessage());
        assertEquals(launches, counter("libcuda.so.1", "fake_launches"), "nothing launched");
        gpu.unary(UnaryOp.ABS, 0f, out, out, 3);
        assertEquals(UnaryOp.ABS.ordinal(), paramWord(0), "the abandoned launch's arguments are gone");
        assertEquals(3, paramWord(4));
        var index = assertThrows(IndexOutOfBoundsException.class,
                () -> gpu.indexSelect(gpu.allocate(8), out, 1, 2, 4, new int[] {0, 2}));
        assertEquals("index 2 out of range for length 2", index.getMessage());

        var compile = assertThrows(IllegalStateException.class,
                () -> new Nvrtc(List.of(good)).compile("empty.cu", "int x;", List.of()));
        assertEquals("NVRTC cannot compile empty.cu: NVRTC_ERROR_COMPILATION\nno kernels in", compile.getMessage());
    }

    @Test
    void gemmMapsRowMajorOntoColumnMajorCublas() throws Throwable {
        CudaBackend gpu = start(good);
        assertEquals(0, counter("libcublas.so.13", "fake_math_mode"), "TF32 off: CUBLAS_DEFAULT_MATH");
        CpuBackend cpu = new CpuBackend(1);
        Random random = new Random(3);
        int m = 5, n = 7, k = 4, batch = 3;
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                // padded leading dimensions catch a swapped lda/ldb
                int lda = (transA ? m : k) + 2, ldb = (transB ? k : n) + 1, ldc = n + 3;
                int sizeA = (transA ? k : m) * lda, sizeB = (transB ? n : k) * ldb, sizeC = m * ldc;
                float[] a = randoms(random, batch * sizeA), b = randoms(random, batch * sizeB), c = randoms(random, batch * sizeC);
                // {strideA, strideB, strideC}: batched, A shared, one C accumulating every product
                for (int[] strides : new int[][] {{sizeA, sizeB, sizeC}, {0, sizeB, sizeC}, {sizeA, sizeB, 0}}) {
                    for (float beta : new float[] {0f, 0.5f}) {
                        float[] want = c.clone(), got = c.clone();
                        Storage cc = cpu.fromArray(want), gc = gpu.fromArray(got);
                        cpu.gemm(transA, transB, m, n, k, 1.25f, cpu.fromArray(a), lda, strides[0], cpu.fromArray(b), ldb,
                                strides[1], beta, cc, ldc, strides[2], batch);
                        gpu.gemm(transA, transB, m, n, k, 1.25f, gpu.fromArray(a), lda, strides[0], gpu.fromArray(b), ldb,
                                strides[1], beta, gc, ldc, strides[2], batch);
                        cpu.read(cc, want);
                        gpu.read(gc, got);
                        for (int i = 0; i < want.length; i++) {
                            float tol = 1e-5f * Math.max(1f, Math.abs(want[i]));
                            assertEquals(want[i], got[i], tol, "transA " + transA + " transB " + transB + " strides "
                                    + Arrays.toString(strides) + " beta " + beta + " at " + i);
                        }
                    }
                }
            }
        }
    }

    private static float[] randoms(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextGaussian();
        return v;
    }

    @Test
    void launchesPassArgumentsAndCompileOncePerSource() throws Throwable {
        Path cache = tmp.resolve("own-kernel-cache");   // empty, whichever tests compiled before
        CudaBackend gpu = CudaBackendProvider.start(List.of(good), 0, false, cache);
        int compiles = counter("libnvrtc.so.13", "fake_compiles");
        int launches = counter("libcuda.so.1", "fake_launches");
        Storage x = gpu.allocate(1000), out = gpu.allocate(1000);
        gpu.unary(UnaryOp.LEAKY_RELU, 0.2f, x, out, 1000);
        assertEquals(launches + 1, counter("libcuda.so.1", "fake_launches"));
        assertEquals("unary", lastKernel());
        assertEquals(4, counter("libcuda.so.1", "fake_last_blocks"), "1000 elements in blocks of 256");
        assertEquals(256, counter("libcuda.so.1", "fake_last_threads"));
        assertEquals(UnaryOp.LEAKY_RELU.ordinal(), paramWord(0));
        assertEquals(Float.floatToRawIntBits(0.2f), paramWord(1));
        assertEquals(1000, paramWord(4));
        String options = text("libnvrtc.so.13", "fake_last_options");
        assertTrue(options.contains("--gpu-architecture=compute_90") && options.contains("--fmad=false"), options);

        gpu.binary(BinaryOp.ADD, x, new int[] {1}, out, new int[] {1}, out, new int[] {1000});
        assertEquals("binary", lastKernel());
        assertEquals(1, paramWord(1), "the walk struct, merged to rank 1");
        int afterFirst = counter("libnvrtc.so.13", "fake_compiles");
        assertEquals(compiles + 1, afterFirst, "one file, compiled once");

        CudaBackend again = CudaBackendProvider.start(List.of(good), 0, false, cache);   // as a new process would
        again.unary(UnaryOp.NEG, 0f, again.allocate(4), again.allocate(4), 4);
        assertEquals(afterFirst, counter("libnvrtc.so.13", "fake_compiles"), "served from " + cache);
        try (var files = Files.list(cache)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("elementwise-")));
        }

        int graphs = counter("libcuda.so.1", "fake_graph_launches");
        try (CudaGraph graph = gpu.capture(() -> gpu.unary(UnaryOp.EXP, 0f, x, out, 1000))) {
            graph.replay();
            graph.replay();
        }
        assertEquals(graphs + 2, counter("libcuda.so.1", "fake_graph_launches"));
    }

    @Test
    void aReplayedStepLaunchesTheRecordedKernelsAgain() throws Throwable {
        CudaBackend gpu = start(good);
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 4).to(gpu);
        int before = counter("libcuda.so.1", "fake_launches");
        try (Replay step = Replay.record(() -> x.add(1f).mul(2f).exp())) {
            int recorded = counter("libcuda.so.1", "fake_launches") - before;
            assertTrue(recorded >= 3, "the step launched its kernels as it was recorded: " + recorded);
            step.run();
            step.run();
            assertEquals(before + 3 * recorded, counter("libcuda.so.1", "fake_launches"), "each replay launches them again");
        }
    }

    @Test
    void contextIsMadeCurrentOncePerThread() throws Throwable {
        CudaBackend gpu = start(good);
        Storage x = gpu.allocate(16);
        int sets = counter("libcuda.so.1", "fake_context_sets");
        Runnable ops = () -> {
            for (int i = 0; i < 50; i++) gpu.unary(UnaryOp.NEG, 0f, x, x, 16);
        };
        ops.run();
        assertEquals(sets, counter("libcuda.so.1", "fake_context_sets"), "the starting thread has the context already");
        ExecutorService a = Executors.newSingleThreadExecutor(), b = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 3; round++) {
                a.submit(ops).get();
                b.submit(ops).get();
                ops.run();
            }
        } finally {
            a.shutdown();
            b.shutdown();
        }
        assertEquals(sets + 2, counter("libcuda.so.1", "fake_context_sets"), "once for each new thread, not per op");
    }

    @Test
    void anIndexListIsCopiedToTheDeviceOncePerContents() throws Throwable {
        CudaBackend gpu = start(good);
        Storage x = gpu.allocate(8), out = gpu.allocate(6), grad = gpu.allocate(8);
        int[] index = {3, 0, 3};
        int copies = counter("libcuda.so.1", "fake_copies_to_device");
        for (int i = 0; i < 3; i++) gpu.indexSelect(x, out, 1, 4, 2, index);
        gpu.indexAdd(out, grad, 1, 4, 2, index);   // the gradient's list
        gpu.indexSelect(x, out, 1, 4, 2, index.clone());
        assertEquals(copies + 1, counter("libcuda.so.1", "fake_copies_to_device"));
        assertArrayEquals(index, deviceIndex(3));

        index[1] = 2;   // the caller reuses its array: a new list, never the stale copy
        gpu.indexSelect(x, out, 1, 4, 2, index);
        assertEquals(copies + 2, counter("libcuda.so.1", "fake_copies_to_device"));
        assertArrayEquals(new int[] {3, 2, 3}, deviceIndex(3));

        // the least recently used lists leave once MAX_LISTS others came after them
        Storage pair = gpu.allocate(2);
        for (int i = 0; i < IndexLists.MAX_LISTS; i++) gpu.indexSelect(x, pair, 1, 8, 1, new int[] {i % 8, i / 8});
        copies = counter("libcuda.so.1", "fake_copies_to_device");
        gpu.indexSelect(x, pair, 1, 8, 1, new int[] {0, 0});
        assertEquals(copies, counter("libcuda.so.1", "fake_copies_to_device"), "the oldest of the latest MAX_LISTS stays");
        gpu.indexSelect(x, out, 1, 4, 2, new int[] {3, 2, 3});
        assertEquals(copies + 1, counter("libcuda.so.1", "fake_copies_to_device"), "an evicted one is copied again");
        assertArrayEquals(new int[] {3, 2, 3}, deviceIndex(3));
    }

    /** The index list the last index launch read: its sixth argument points to it. */
    private static int[] deviceIndex(int length) throws Throwable {
        assertEquals(length, paramWord(6));
        return MemorySegment.ofAddress(paramLong(5)).reinterpret(4L * length).toArray(JAVA_INT);
    }

    @Test
    void aLaunchAllocatesNothingOnTheJavaHeap() {
        CudaBackend gpu = start(good);
        Storage x = gpu.allocate(1000), sums = gpu.allocate(10);
        Runnable launches = () -> {
            for (int i = 0; i < 10_000; i++) {
                gpu.unary(UnaryOp.SIGMOID, 0f, x, x, 1000);
                gpu.reduce(ReduceOp.SUM, x, sums, 10, 100, 1);
                gpu.adam(x, x, x, x, 1000, 0.9f, 0.1f, 0.999f, 0.001f, 0.001f, 0.01f, 0.1f, 1e-8f);
            }
        };
        launches.run();   // compiles the kernels, makes the handles
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        launches.run();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // boxed arguments and an Object[] per launch would be over 100 bytes each time
        assertTrue(allocated < 30_000, allocated + " bytes allocated by 30,000 launches");
    }

    private static int paramWord(int i) throws Throwable {
        return (int) fakeFunction(good, "libcuda.so.1", "fake_param_word", FunctionDescriptor.of(JAVA_INT, JAVA_INT)).invoke(i);
    }

    private static long paramLong(int i) throws Throwable {
        return (long) fakeFunction(good, "libcuda.so.1", "fake_param_long", FunctionDescriptor.of(JAVA_LONG, JAVA_INT)).invoke(i);
    }

    private static String lastKernel() throws Throwable {
        return text("libcuda.so.1", "fake_last_kernel");
    }

    private static String text(String library, String function) throws Throwable {
        MemorySegment s = (MemorySegment) probe(good, library, function, ADDRESS);
        return s.reinterpret(1000).getString(0);
    }
}
