package org.gan4j.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.gan4j.cuda.NativeLibrary.rethrow;
import static org.gan4j.cuda.NativeLibrary.string;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The CUDA driver API (libcuda.so.1) as far as gan4j uses it: device and primary context,
 * stream, memory, modules and kernel launches, stream capture into graphs. Device pointers are
 * {@code long}s; every call's result is checked and a failure names the call and the error.
 */
final class Driver {
    static final String LIBRARY = "libcuda.so.1";
    private static final int ATTRIBUTE_CC_MAJOR = 75, ATTRIBUTE_CC_MINOR = 76;
    private static final int CAPTURE_MODE_THREAD_LOCAL = 1;

    private final NativeLibrary lib;
    private final MethodHandle cuInit, cuDeviceGetCount, cuDeviceGet, cuDeviceGetName,
            cuDeviceGetAttribute, cuDevicePrimaryCtxRetain, cuCtxSetCurrent, cuStreamCreate, cuStreamSynchronize,
            cuMemAlloc, cuMemFree, cuMemcpyHtoDAsync, cuMemcpyDtoHAsync, cuMemcpyDtoDAsync, cuMemsetD32Async,
            cuModuleLoadData, cuModuleGetFunction, cuLaunchKernel, cuStreamBeginCapture, cuStreamEndCapture,
            cuGraphInstantiate, cuGraphLaunch, cuGraphExecDestroy, cuGraphDestroy, cuGetErrorName, cuGetErrorString;

    Driver(List<Path> searchPath) {
        lib = NativeLibrary.open("the NVIDIA driver library", List.of(LIBRARY), searchPath);
        cuGetErrorName = fn("cuGetErrorName", JAVA_INT, ADDRESS);
        cuGetErrorString = fn("cuGetErrorString", JAVA_INT, ADDRESS);
        cuInit = fn("cuInit", JAVA_INT);
        cuDeviceGetCount = fn("cuDeviceGetCount", ADDRESS);
        cuDeviceGet = fn("cuDeviceGet", ADDRESS, JAVA_INT);
        cuDeviceGetName = fn("cuDeviceGetName", ADDRESS, JAVA_INT, JAVA_INT);
        cuDeviceGetAttribute = fn("cuDeviceGetAttribute", ADDRESS, JAVA_INT, JAVA_INT);
        cuDevicePrimaryCtxRetain = fn("cuDevicePrimaryCtxRetain", ADDRESS, JAVA_INT);
        cuCtxSetCurrent = fn("cuCtxSetCurrent", ADDRESS);
        cuStreamCreate = fn("cuStreamCreate", ADDRESS, JAVA_INT);
        cuStreamSynchronize = fn("cuStreamSynchronize", ADDRESS);
        cuMemAlloc = fn("cuMemAlloc_v2", ADDRESS, JAVA_LONG);
        cuMemFree = fn("cuMemFree_v2", JAVA_LONG);
        cuMemcpyHtoDAsync = fn("cuMemcpyHtoDAsync_v2", JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS);
        cuMemcpyDtoHAsync = fn("cuMemcpyDtoHAsync_v2", ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS);
        cuMemcpyDtoDAsync = fn("cuMemcpyDtoDAsync_v2", JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS);
        cuMemsetD32Async = fn("cuMemsetD32Async", JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS);
        cuModuleLoadData = fn("cuModuleLoadData", ADDRESS, ADDRESS);
        cuModuleGetFunction = fn("cuModuleGetFunction", ADDRESS, ADDRESS, ADDRESS);
        cuLaunchKernel = fn("cuLaunchKernel", ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        cuStreamBeginCapture = fn("cuStreamBeginCapture_v2", ADDRESS, JAVA_INT);
        cuStreamEndCapture = fn("cuStreamEndCapture", ADDRESS, ADDRESS);
        cuGraphInstantiate = fn("cuGraphInstantiateWithFlags", ADDRESS, ADDRESS, JAVA_LONG);
        cuGraphLaunch = fn("cuGraphLaunch", ADDRESS, ADDRESS);
        cuGraphExecDestroy = fn("cuGraphExecDestroy", ADDRESS);
        cuGraphDestroy = fn("cuGraphDestroy", ADDRESS);
    }

    private MethodHandle fn(String symbol, MemoryLayout... args) {
        return lib.statusFunction(symbol, args);
    }

    String file() {
        return lib.file();
    }

    // ---- results -----------------------------------------------------------------------

    /** Throws when {@code result} is not CUDA_SUCCESS, naming the call and the driver's words for the error. */
    void check(int result, String call) {
        if (result != 0) throw new IllegalStateException(call + " failed: " + describe(result));
    }

    /** "CUDA_ERROR_NO_DEVICE (no CUDA-capable device is detected)", or the bare number if the driver knows no name. */
    String describe(int result) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocate(ADDRESS);
            String name = (int) cuGetErrorName.invokeExact(result, text) == 0
                    ? string(text.get(ADDRESS, 0)) : "CUresult " + result;
            String words = (int) cuGetErrorString.invokeExact(result, text) == 0 ? string(text.get(ADDRESS, 0)) : null;
            return words == null ? name : name + " (" + words + ")";
        } catch (Throwable t) {
            return "CUresult " + result;
        }
    }

    // ---- device and context --------------------------------------------------------------

    void init() {
        call("cuInit", () -> (int) cuInit.invokeExact(0));
    }

    int deviceCount() {
        return intOut("cuDeviceGetCount", out -> (int) cuDeviceGetCount.invokeExact(out));
    }

    int device(int ordinal) {
        return intOut("cuDeviceGet", out -> (int) cuDeviceGet.invokeExact(out, ordinal));
    }

    String deviceName(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(256);
            check((int) cuDeviceGetName.invokeExact(out, 256, device), "cuDeviceGetName");
            return out.getString(0, StandardCharsets.UTF_8);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Compute capability as major·10 + minor (90 for an H100). */
    int computeCapability(int device) {
        return 10 * attribute(ATTRIBUTE_CC_MAJOR, device) + attribute(ATTRIBUTE_CC_MINOR, device);
    }

    private int attribute(int attribute, int device) {
        return intOut("cuDeviceGetAttribute", out -> (int) cuDeviceGetAttribute.invokeExact(out, attribute, device));
    }

    /** The device's primary context, the one the runtime API and cuBLAS share. */
    MemorySegment primaryContext(int device) {
        return pointerOut("cuDevicePrimaryCtxRetain", out -> (int) cuDevicePrimaryCtxRetain.invokeExact(out, device));
    }

    void setCurrent(MemorySegment context) {
        call("cuCtxSetCurrent", () -> (int) cuCtxSetCurrent.invokeExact(context));
    }

    @FunctionalInterface
    private interface Call {
        int with(MemorySegment out) throws Throwable;
    }

    @FunctionalInterface
    private interface Invocation {
        int run() throws Throwable;
    }

    /** Makes a driver call and checks its result. */
    private void call(String name, Invocation invocation) {
        try {
            check(invocation.run(), name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Runs a call that writes one pointer through its first argument and returns that pointer. */
    private MemorySegment pointerOut(String name, Call call) {
        return written(name, ADDRESS, call, out -> out.get(ADDRESS, 0));
    }

    /** The same for a call that writes one int. */
    private int intOut(String name, Call call) {
        return written(name, JAVA_INT, call, out -> out.get(JAVA_INT, 0));
    }

    /** Runs a call that writes one value of {@code layout} through its first argument, and reads that value. */
    private <T> T written(String name, MemoryLayout layout, Call call, Function<MemorySegment, T> read) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(layout);
            check(call.with(out), name);
            return read.apply(out);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- streams and memory ----------------------------------------------------------------

    /** A stream that does not synchronize with the legacy default stream. */
    MemorySegment createStream() {
        return pointerOut("cuStreamCreate", out -> (int) cuStreamCreate.invokeExact(out, 1));
    }

    void synchronize(MemorySegment stream) {
        call("cuStreamSynchronize", () -> (int) cuStreamSynchronize.invokeExact(stream));
    }

    /** Allocates device memory; returns 0 on CUDA_ERROR_OUT_OF_MEMORY so the caller can free its cache and retry. */
    long malloc(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            int result = (int) cuMemAlloc.invokeExact(out, bytes);
            if (result == 2) return 0;
            check(result, "cuMemAlloc(" + bytes + " bytes)");
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void free(long pointer) {
        call("cuMemFree", () -> (int) cuMemFree.invokeExact(pointer));
    }

    void copyToDevice(long dst, MemorySegment src, long bytes, MemorySegment stream) {
        call("cuMemcpyHtoDAsync", () -> (int) cuMemcpyHtoDAsync.invokeExact(dst, src, bytes, stream));
    }

    void copyToHost(MemorySegment dst, long src, long bytes, MemorySegment stream) {
        call("cuMemcpyDtoHAsync", () -> (int) cuMemcpyDtoHAsync.invokeExact(dst, src, bytes, stream));
    }

    void copyOnDevice(long dst, long src, long bytes, MemorySegment stream) {
        call("cuMemcpyDtoDAsync", () -> (int) cuMemcpyDtoDAsync.invokeExact(dst, src, bytes, stream));
    }

    /** Sets {@code count} 32-bit words at {@code dst} to {@code bits}. */
    void fill32(long dst, int bits, long count, MemorySegment stream) {
        call("cuMemsetD32Async", () -> (int) cuMemsetD32Async.invokeExact(dst, bits, count, stream));
    }

    // ---- modules and launches ---------------------------------------------------------------

    /** Loads a module from PTX text (the driver compiles it for the device). */
    MemorySegment loadModule(String ptx) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment image = arena.allocateFrom(ptx);
            return pointerOut("cuModuleLoadData", out -> (int) cuModuleLoadData.invokeExact(out, image));
        }
    }

    MemorySegment function(MemorySegment module, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cName = arena.allocateFrom(name);
            return pointerOut("cuModuleGetFunction(" + name + ")", out -> (int) cuModuleGetFunction.invokeExact(out, module, cName));
        }
    }

    /**
     * Launches a kernel on a 1-D grid; {@code params} is the array of pointers to each argument.
     * Called directly rather than through {@link #call}, whose lambda would be one allocation per launch.
     */
    void launch(MemorySegment function, int blocks, int threads, int sharedBytes, MemorySegment stream, MemorySegment params) {
        int result;
        try {
            result = (int) cuLaunchKernel.invokeExact(function, blocks, 1, 1, threads, 1, 1, sharedBytes, stream, params,
                    MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(result, "cuLaunchKernel");
    }

    // ---- graphs ------------------------------------------------------------------------------

    void beginCapture(MemorySegment stream) {
        call("cuStreamBeginCapture", () -> (int) cuStreamBeginCapture.invokeExact(stream, CAPTURE_MODE_THREAD_LOCAL));
    }

    /** Ends the capture and returns the captured graph. */
    MemorySegment endCapture(MemorySegment stream) {
        return pointerOut("cuStreamEndCapture", out -> (int) cuStreamEndCapture.invokeExact(stream, out));
    }

    MemorySegment instantiate(MemorySegment graph) {
        return pointerOut("cuGraphInstantiate", out -> (int) cuGraphInstantiate.invokeExact(out, graph, 0L));
    }

    void launchGraph(MemorySegment exec, MemorySegment stream) {
        call("cuGraphLaunch", () -> (int) cuGraphLaunch.invokeExact(exec, stream));
    }

    void destroyGraph(MemorySegment graph, MemorySegment exec) {
        call("cuGraphExecDestroy", () -> (int) cuGraphExecDestroy.invokeExact(exec));
        call("cuGraphDestroy", () -> (int) cuGraphDestroy.invokeExact(graph));
    }
}
