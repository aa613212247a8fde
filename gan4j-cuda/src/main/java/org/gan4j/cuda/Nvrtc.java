package org.gan4j.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.gan4j.cuda.NativeLibrary.rethrow;
import static org.gan4j.cuda.NativeLibrary.string;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** NVRTC (libnvrtc.so.13 or .12): CUDA C++ source to PTX at run time. */
final class Nvrtc {
    static final List<String> SONAMES = List.of("libnvrtc.so.13", "libnvrtc.so.12");

    private final NativeLibrary lib;
    private final MethodHandle create, compile, ptxSize, ptx, logSize, log, destroy, errorString, version;

    Nvrtc(List<Path> searchPath) {
        lib = NativeLibrary.open("NVRTC", SONAMES, searchPath);
        create = fn("nvrtcCreateProgram", ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        compile = fn("nvrtcCompileProgram", ADDRESS, JAVA_INT, ADDRESS);
        ptxSize = fn("nvrtcGetPTXSize", ADDRESS, ADDRESS);
        ptx = fn("nvrtcGetPTX", ADDRESS, ADDRESS);
        logSize = fn("nvrtcGetProgramLogSize", ADDRESS, ADDRESS);
        log = fn("nvrtcGetProgramLog", ADDRESS, ADDRESS);
        destroy = fn("nvrtcDestroyProgram", ADDRESS);
        version = fn("nvrtcVersion", ADDRESS, ADDRESS);
        errorString = lib.function("nvrtcGetErrorString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    private MethodHandle fn(String symbol, MemoryLayout... args) {
        return lib.statusFunction(symbol, args);
    }

    /** "13.0": part of the kernel cache's key, since another compiler may give other PTX. */
    String version() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment major = arena.allocate(JAVA_INT), minor = arena.allocate(JAVA_INT);
            check((int) version.invokeExact(major, minor), "nvrtcVersion");
            return major.get(JAVA_INT, 0) + "." + minor.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Compiles {@code source} to PTX; a compile error carries NVRTC's log. */
    String compile(String name, String source, List<String> options) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment holder = arena.allocate(ADDRESS);
            check((int) create.invokeExact(holder, arena.allocateFrom(source), arena.allocateFrom(name), 0,
                    MemorySegment.NULL, MemorySegment.NULL), "nvrtcCreateProgram");
            MemorySegment program = holder.get(ADDRESS, 0);
            try {
                MemorySegment opts = arena.allocate(ADDRESS, Math.max(1, options.size()));
                for (int i = 0; i < options.size(); i++) opts.setAtIndex(ADDRESS, i, arena.allocateFrom(options.get(i)));
                int result = (int) compile.invokeExact(program, options.size(), opts);
                if (result != 0) {
                    throw new IllegalStateException("NVRTC cannot compile " + name + ": " + describe(result) + "\n"
                            + text(program, logSize, log, arena));
                }
                return text(program, ptxSize, ptx, arena);
            } finally {
                int ignored = (int) destroy.invokeExact(holder);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Reads a size-then-bytes output (the PTX or the log) as text without its terminating NUL. */
    private String text(MemorySegment program, MethodHandle sizeOf, MethodHandle get, Arena arena) throws Throwable {
        MemorySegment size = arena.allocate(JAVA_LONG);
        check((int) sizeOf.invokeExact(program, size), "nvrtc size query");
        MemorySegment buffer = arena.allocate(Math.max(1, size.get(JAVA_LONG, 0)));
        check((int) get.invokeExact(program, buffer), "nvrtc output query");
        return buffer.getString(0, StandardCharsets.UTF_8);
    }

    private void check(int result, String call) {
        if (result != 0) throw new IllegalStateException(call + " failed: " + describe(result));
    }

    private String describe(int result) {
        try {
            return string((MemorySegment) errorString.invokeExact(result));
        } catch (Throwable t) {
            return "nvrtcResult " + result;
        }
    }
}
