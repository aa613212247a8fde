package org.gan4j.cuda;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.gan4j.tensor.BackendUnavailableException;

/**
 * One shared library opened at run time, and the downcall handles made from its symbols. A
 * library is looked for under each directory of the search path by each of its sonames, then
 * by soname through the system loader (ld.so.cache); a missing library or symbol becomes a
 * {@link BackendUnavailableException} whose one-line message names it and where it was sought.
 */
final class NativeLibrary {
    private static final Linker LINKER = Linker.nativeLinker();

    private final String file;
    private final SymbolLookup lookup;

    private NativeLibrary(String file, SymbolLookup lookup) {
        this.file = file;
        this.lookup = lookup;
    }

    /** The first of {@code sonames} found in {@code dirs}, else through the system loader. */
    static NativeLibrary open(String what, List<String> sonames, List<Path> dirs) {
        for (Path dir : dirs) {
            for (String soname : sonames) {
                Path candidate = dir.resolve(soname);
                if (Files.isRegularFile(candidate)) {
                    try {
                        return new NativeLibrary(candidate.toString(), SymbolLookup.libraryLookup(candidate, Arena.global()));
                    } catch (IllegalArgumentException e) {
                        throw new BackendUnavailableException("cannot load " + what + " " + candidate + ": " + e.getMessage());
                    }
                }
            }
        }
        for (String soname : sonames) {
            try {
                return new NativeLibrary(soname, SymbolLookup.libraryLookup(soname, Arena.global()));
            } catch (IllegalArgumentException e) {
                // not known to the system loader either; reported below with every place tried
            }
        }
        throw new BackendUnavailableException("cannot find " + what + " (" + String.join(" or ", sonames) + ") in "
                + (dirs.isEmpty() ? "no directory" : dirs.toString()) + " nor through the system loader"
                + " (set GAN4J_CUDA_PATH to the directory that holds it)");
    }

    /** Where libraries are sought: GAN4J_CUDA_PATH, LD_LIBRARY_PATH, CUDA installs, pip's nvidia wheels, system dirs. */
    static List<Path> searchPath() {
        Set<Path> dirs = new LinkedHashSet<>();
        for (String env : List.of("GAN4J_CUDA_PATH", "LD_LIBRARY_PATH")) {
            String value = System.getenv(env);
            if (value == null) continue;
            for (String part : value.split(":")) {
                if (!part.isBlank()) dirs.add(Path.of(part));
            }
        }
        dirs.add(Path.of("/usr/local/cuda/lib64"));
        dirs.add(Path.of("/usr/local/cuda/targets/x86_64-linux/lib"));
        dirs.addAll(newestFirst(Path.of("/usr/local"), "cuda-*", "lib64"));
        for (String root : List.of("/usr/local/lib", "/usr/lib", "/opt/conda/lib")) {
            for (Path python : newestFirst(Path.of(root), "python3*", "")) {
                for (String site : List.of("dist-packages", "site-packages")) {
                    for (String wheel : List.of("cublas", "cuda_nvrtc", "cu13", "cu12")) {
                        dirs.add(python.resolve(site).resolve("nvidia").resolve(wheel).resolve("lib"));
                    }
                }
            }
        }
        dirs.add(Path.of("/usr/lib/x86_64-linux-gnu"));
        dirs.add(Path.of("/usr/lib64"));
        dirs.add(Path.of("/usr/lib/wsl/lib"));
        List<Path> existing = new ArrayList<>();
        for (Path d : dirs) {
            if (Files.isDirectory(d)) existing.add(d);
        }
        return existing;
    }

    /** Directories {@code parent/glob/sub}, highest version first. */
    private static List<Path> newestFirst(Path parent, String glob, String sub) {
        if (!Files.isDirectory(parent)) return List.of();
        var matcher = parent.getFileSystem().getPathMatcher("glob:" + glob);
        try (Stream<Path> children = Files.list(parent)) {
            return children.filter(p -> matcher.matches(p.getFileName()))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
                    .map(p -> sub.isEmpty() ? p : p.resolve(sub))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The library's path, or its soname when the system loader found it. */
    String file() {
        return file;
    }

    /** A downcall handle for {@code symbol}; a missing symbol says which library lacks it. */
    MethodHandle function(String symbol, FunctionDescriptor descriptor) {
        return lookup.find(symbol)
                .map(address -> LINKER.downcallHandle(address, descriptor))
                .orElseThrow(() -> new BackendUnavailableException(file + " has no function " + symbol
                        + " (a CUDA 12 or 13 library is needed)"));
    }

    /** A function that returns a status code (0 for success), as every CUDA library call does. */
    MethodHandle statusFunction(String symbol, MemoryLayout... args) {
        return function(symbol, FunctionDescriptor.of(JAVA_INT, args));
    }

    /** The NUL-terminated text a library returned a pointer to. */
    static String string(MemorySegment pointer) {
        return pointer.reinterpret(Integer.MAX_VALUE).getString(0, StandardCharsets.UTF_8);
    }

    /** A downcall's Throwable as an unchecked exception (errors pass through). */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
