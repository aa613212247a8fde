package org.gan4j.serve;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The run directories the dashboard may show: every folder with a config.json directly under
 * the runs folder, or one run when the folder given is itself a run. Files are served only
 * from inside those run directories.
 */
final class RunsFolder {
    private final Path root;
    private final String onlyRun;

    RunsFolder(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) throw new IllegalArgumentException("runs folder " + dir + " does not exist");
        boolean isRun = Files.isRegularFile(abs.resolve("config.json")) && abs.getParent() != null;
        this.root = isRun ? abs.getParent() : abs;
        this.onlyRun = isRun ? abs.getFileName().toString() : null;
    }

    /** Names of the runs, sorted. */
    List<String> runs() {
        if (onlyRun != null) return List.of(onlyRun);
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("config.json"))).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    Path run(String name) {
        return root.resolve(name);
    }

    /**
     * The file that a request path {@code RUN/PATH} (still percent-encoded) names, or null when
     * there is no such file inside a run. Throws IllegalArgumentException for paths that try to
     * leave the run (".." segments, backslashes, empty segments, bad escapes).
     */
    Path file(String rawPath) {
        if (rawPath.isEmpty() || rawPath.startsWith("/")) throw new IllegalArgumentException("bad path");
        String path;
        try {
            path = new URI("/" + rawPath).getPath().substring(1);   // decodes %xx
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad path: " + e.getReason());
        }
        if (path.isEmpty() || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) throw new IllegalArgumentException("bad path");
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) throw new IllegalArgumentException("bad path segment '" + segment + "'");
        }
        String runName = path.substring(0, Math.max(0, path.indexOf('/')));
        if (runName.isEmpty() || !runs().contains(runName)) return null;
        Path runDir = root.resolve(runName);
        Path file = root.resolve(path).normalize();
        if (!file.startsWith(runDir) || !Files.isRegularFile(file)) return null;
        try {
            // a symbolic link inside the run must not lead outside it either
            return file.toRealPath().startsWith(runDir.toRealPath()) ? file : null;
        } catch (IOException e) {
            return null;
        }
    }
}
