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
 * from inside those run directories, as they lie on disk: a symbolic link that leads out of its
 * run (a linked file, or a whole run directory that is a link to elsewhere) is treated as absent.
 */
final class RunsFolder {
    private final Path root;
    private final String onlyRun;

    RunsFolder(Path dir) {
        Path real;
        try {
            real = dir.toRealPath();   // the folder the user named, wherever a link of theirs leads
        } catch (IOException e) {
            throw new IllegalArgumentException("runs folder " + dir + " does not exist");
        }
        if (!Files.isDirectory(real)) throw new IllegalArgumentException("runs folder " + dir + " is not a folder");
        boolean isRun = Files.isRegularFile(real.resolve("config.json")) && real.getParent() != null;
        this.root = isRun ? real.getParent() : real;
        this.onlyRun = isRun ? real.getFileName().toString() : null;
    }

    /** Names of the runs, sorted. */
    List<String> runs() {
        if (onlyRun != null) return List.of(onlyRun);
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).filter(name -> file(name, "config.json") != null).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    Path run(String name) {
        return root.resolve(name);
    }

    /**
     * The regular file at {@code relative} inside run {@code run}, or null when there is none
     * there: its real path (all links followed) must lie under the run's own path in the folder.
     */
    Path file(String run, String relative) {
        Path runDir = root.resolve(run);
        try {
            Path real = runDir.resolve(relative).toRealPath();
            return real.startsWith(runDir) && Files.isRegularFile(real) ? real : null;
        } catch (IOException e) {
            return null;
        }
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
        int slash = path.indexOf('/');
        if (slash < 1 || !runs().contains(path.substring(0, slash))) return null;
        return file(path.substring(0, slash), path.substring(slash + 1));
    }
}
