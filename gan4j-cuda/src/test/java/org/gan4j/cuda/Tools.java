package org.gan4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds and runs the native compilers some tests need; tests skip, saying so, where one is missing. */
final class Tools {
    private Tools() {
    }

    /** nvcc from PATH or a CUDA install, if any. */
    static Optional<Path> nvcc() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) candidates.add(Path.of(dir, "nvcc"));
        }
        candidates.add(Path.of("/usr/local/cuda/bin/nvcc"));
        try (var dirs = Files.list(Path.of("/usr/local"))) {
            dirs.filter(d -> d.getFileName().toString().startsWith("cuda-")).sorted().forEach(d -> candidates.add(d.resolve("bin/nvcc")));
        } catch (IOException e) {
            // no /usr/local: nothing more to try
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** gcc, if it runs. */
    static Optional<Path> gcc() {
        try {
            Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? Optional.of(Path.of("gcc")) : Optional.empty();
        } catch (IOException | InterruptedException e) {
            return Optional.empty();
        }
    }

    /** Runs a command in {@code dir}; fails the test with its output if it exits non-zero. Returns stdout and stderr. */
    static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 300 s");
        }
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + " failed:\n" + out);
        return out;
    }
}
