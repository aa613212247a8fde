package org.gan4j.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.gan4j.cuda.NativeLibrary.rethrow;
import static org.gan4j.cuda.NativeLibrary.string;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;
import org.gan4j.tensor.BackendUnavailableException;

/** cuBLAS (libcublas.so.13 or .12): one handle bound to the backend's stream, strided batched SGEMM. */
final class Cublas {
    static final List<String> SONAMES = List.of("libcublas.so.13", "libcublas.so.12");
    private static final List<String> LT_SONAMES = List.of("libcublasLt.so.13", "libcublasLt.so.12");
    private static final int OP_N = 0, OP_T = 1;
    private static final int DEFAULT_MATH = 0, TF32_TENSOR_OP_MATH = 3;

    private final NativeLibrary lib;
    private final MethodHandle create, setStream, setMathMode, setWorkspace, sgemmStridedBatched, statusString;
    private final MemorySegment handle;
    private final MemorySegment alphaAt = Arena.global().allocate(JAVA_FLOAT), betaAt = Arena.global().allocate(JAVA_FLOAT);

    Cublas(List<Path> searchPath, MemorySegment stream, boolean tf32) {
        try {
            // libcublas needs libcublasLt; loading it first from the same places spares relying on an rpath
            NativeLibrary.open("cuBLASLt", LT_SONAMES, searchPath);
        } catch (BackendUnavailableException e) {
            // libcublas may still find it by itself
        }
        lib = NativeLibrary.open("cuBLAS", SONAMES, searchPath);
        create = fn("cublasCreate_v2", ADDRESS);
        setStream = fn("cublasSetStream_v2", ADDRESS, ADDRESS);
        setMathMode = fn("cublasSetMathMode", ADDRESS, JAVA_INT);
        setWorkspace = fn("cublasSetWorkspace_v2", ADDRESS, JAVA_LONG, JAVA_LONG);
        sgemmStridedBatched = fn("cublasSgemmStridedBatched", ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT,
                JAVA_LONG, JAVA_INT);
        statusString = lib.function("cublasGetStatusString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            check((int) create.invokeExact(out), "cublasCreate");
            handle = out.get(ADDRESS, 0);
            check((int) setStream.invokeExact(handle, stream), "cublasSetStream");
            check((int) setMathMode.invokeExact(handle, tf32 ? TF32_TENSOR_OP_MATH : DEFAULT_MATH), "cublasSetMathMode");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private MethodHandle fn(String symbol, MemoryLayout... args) {
        return lib.statusFunction(symbol, args);
    }

    private void check(int status, String call) {
        if (status == 0) return;
        String words;
        try {
            words = string((MemorySegment) statusString.invokeExact(status));
        } catch (Throwable t) {
            words = "cublasStatus " + status;
        }
        throw new IllegalStateException(call + " failed: " + words);
    }

    /** Gives cuBLAS its own workspace, so that a GEMM inside a stream capture allocates nothing. */
    void workspace(long pointer, long bytes) {
        try {
            check((int) setWorkspace.invokeExact(handle, pointer, bytes), "cublasSetWorkspace");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Row-major {@code C_b = alpha·op(A_b)·op(B_b) + beta·C_b}. cuBLAS is column-major, and a
     * row-major matrix is its transpose in column-major order, so this computes
     * {@code C_bᵀ = op(B_b)ᵀ·op(A_b)ᵀ}: the operands swap places and m with n; each keeps its
     * own transposition flag and leading dimension. Synchronized: alpha and beta go through shared
     * native scalars.
     */
    synchronized void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, long a, int lda,
                           long strideA, long b, int ldb, long strideB, float beta, long c, int ldc, long strideC, int batch) {
        alphaAt.set(JAVA_FLOAT, 0, alpha);
        betaAt.set(JAVA_FLOAT, 0, beta);
        try {
            check((int) sgemmStridedBatched.invokeExact(handle, transB ? OP_T : OP_N, transA ? OP_T : OP_N, n, m, k,
                    alphaAt, b, ldb, strideB, a, lda, strideA, betaAt, c, ldc, strideC, batch),
                    "cublasSgemmStridedBatched");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
