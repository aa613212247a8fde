package org.gan4j.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.gan4j.io.AtomicFile;

/**
 * The kernels: .cu resources compiled by NVRTC on first use, for the device's architecture,
 * with the PTX cached in {@code $GAN4J_HOME/cuda-cache} under a hash of source, options and
 * compiler, so later runs skip the compiler. {@link Launcher} launches them.
 */
final class Kernels {
    /** Every kernel file; each is compiled with common.cuh in front. */
    static final List<String> FILES = List.of("elementwise", "reduce", "index", "conv", "random", "optim");
    /** Product and sum round separately, as in Java, so results match the CPU backend's. */
    static final List<String> OPTIONS = List.of("--fmad=false", "--std=c++17");

    private final Driver driver;
    private final Nvrtc nvrtc;
    private final int computeCapability;
    private final Path cacheDir;
    private final Map<String, MemorySegment> modules = new ConcurrentHashMap<>();
    private final Map<String, MemorySegment> functions = new ConcurrentHashMap<>();

    Kernels(Driver driver, Nvrtc nvrtc, int computeCapability, Path cacheDir) {
        this.driver = driver;
        this.nvrtc = nvrtc;
        this.computeCapability = computeCapability;
        this.cacheDir = cacheDir;
    }

    /** {@code $GAN4J_HOME/cuda-cache}, GAN4J_HOME defaulting to ~/.gan4j. */
    static Path defaultCacheDir() {
        String home = System.getenv("GAN4J_HOME");
        Path base = home == null || home.isBlank() ? Path.of(System.getProperty("user.home"), ".gan4j") : Path.of(home);
        return base.resolve("cuda-cache");
    }

    /** The source NVRTC compiles for one file: common.cuh, then the file. */
    static String source(String file) {
        return resource("common.cuh") + "\n" + resource(file + ".cu");
    }

    static String resource(String name) {
        try (InputStream in = Kernels.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("kernel source " + name + " is missing from the gan4j-cuda jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kernel's function handle, its file compiled and loaded on first use. */
    MemorySegment function(String file, String kernel) {
        MemorySegment function = functions.get(kernel);   // no capturing lambda on the path taken every launch
        return function != null ? function : functions.computeIfAbsent(kernel, k -> driver.function(module(file), k));
    }

    private MemorySegment module(String file) {
        return modules.computeIfAbsent(file, f -> driver.loadModule(ptx(f)));
    }

    /** The file's PTX, from the cache when the same source was compiled the same way before. */
    String ptx(String file) {
        String source = source(file);
        List<String> options = new ArrayList<>(OPTIONS);
        options.add("--gpu-architecture=compute_" + computeCapability);
        String key = file + "-" + hash(nvrtc.version() + "\n" + options + "\n" + source);
        Path cached = cacheDir.resolve(key + ".ptx");
        try {
            if (Files.isRegularFile(cached)) return Files.readString(cached);
        } catch (IOException e) {
            // an unreadable cache entry is compiled again
        }
        String ptx = nvrtc.compile(file + ".cu", source, options);
        writeAtomically(cached, ptx);
        return ptx;
    }

    /** Written atomically, so a concurrent start never reads half a file; a cache that cannot be written is only a slower start. */
    private static void writeAtomically(Path target, String text) {
        try {
            Files.createDirectories(target.getParent());
            AtomicFile.write(target, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            System.err.println("gan4j: cannot cache compiled kernels in " + target.getParent() + ": " + e.getMessage());
        }
    }

    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
