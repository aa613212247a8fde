package org.gan4j.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.gan4j.nn.SafeTensors;
import org.gan4j.io.AtomicFile;
import org.gan4j.optim.OptimizerSpec;

/**
 * The files of one run (config.json, metrics.jsonl, samples/, plots/, checkpoints/). Every
 * file is written atomically: a temp file in the same folder, fsync, rename, so a killed run
 * never leaves half a file behind.
 */
public record RunDirectory(Path root) {
    private static final Pattern CHECKPOINT = Pattern.compile("step-(\\d{6,})\\.safetensors");
    /** config.json is indented for people; metrics.jsonl and --json output stay one line each. */
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    public static final ObjectMapper JSON_LINE = new ObjectMapper();

    public Path config() {
        return root.resolve("config.json");
    }

    public Path metrics() {
        return root.resolve("metrics.jsonl");
    }

    /** One JSON line per alarm raised while training ({@link Alarms}). */
    public Path alarms() {
        return root.resolve("alarms.jsonl");
    }

    public Path samples() {
        return root.resolve("samples");
    }

    public Path plots() {
        return root.resolve("plots");
    }

    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    /** A checkpoint file and what it holds. */
    public record Checkpoint(Path file, SafeTensors.Contents contents) {
        public long step() {
            return Long.parseLong(contents.metadata().get("step"));
        }
    }

    /**
     * The checkpoint a run continues from: the newest that reads whole. {@code latest} names it
     * unless a crash came between a checkpoint and its pointer, or the pointer was lost; a file
     * that does not read is moved aside (NAME.corrupt), never overwritten unseen. {@code tell}
     * hears each such repair; with {@code tell} null (a reader, not a run) nothing is changed.
     * Null when the run has no checkpoint.
     */
    public Checkpoint newestCheckpoint(Consumer<String> tell) {
        List<Path> files = checkpointFiles();
        String latest = latestName();
        for (Path file : files) {
            SafeTensors.Contents contents;
            try {
                contents = SafeTensors.read(file);
            } catch (RuntimeException e) {
                if (tell == null) continue;
                Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
                move(file, aside);
                tell.accept("checkpoints/" + file.getFileName() + " does not read (" + e.getMessage() + "); moved aside to " + aside.getFileName());
                continue;
            }
            if (tell != null && !file.getFileName().toString().equals(latest)) {
                tell.accept("checkpoints/latest " + (latest == null ? "is missing or names no checkpoint" : "names " + latest)
                        + "; continuing from the newest whole checkpoint, " + file.getFileName());
                write(checkpoints().resolve("latest"), (file.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return new Checkpoint(file, contents);
        }
        return null;
    }

    /** The checkpoint {@code latest} names, when it names one that exists; else null. */
    public Path latestCheckpoint() {
        String name = latestName();
        return name != null && Files.isRegularFile(checkpoints().resolve(name)) ? checkpoints().resolve(name) : null;
    }

    /** The checkpoints' files (step-NNNNNN.safetensors), newest step first. */
    public List<Path> checkpointFiles() {
        if (!Files.isDirectory(checkpoints())) return List.of();
        try (Stream<Path> files = Files.list(checkpoints())) {
            return files.filter(f -> CHECKPOINT.matcher(f.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(RunDirectory::stepOf).reversed()).toList();
        } catch (IOException e) {
            throw new RunException("cannot list " + checkpoints() + ": " + e.getMessage(), e);
        }
    }

    private static long stepOf(Path checkpoint) {
        Matcher m = CHECKPOINT.matcher(checkpoint.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The file name {@code checkpoints/latest} holds, when it is a checkpoint's name: a name inside checkpoints/, nothing else. */
    private String latestName() {
        Path pointer = checkpoints().resolve("latest");
        if (!Files.isRegularFile(pointer)) return null;
        try {
            String name = Files.readString(pointer).strip();
            return CHECKPOINT.matcher(name).matches() ? name : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Repairs what a killed run leaves behind, before it continues from {@code step}: temp files
     * of interrupted writes are removed, and metrics.jsonl and alarms.jsonl keep their whole lines
     * up to {@code step} (the steps after it are trained again, and log again).
     */
    public void repair(long step, Consumer<String> tell) {
        int removed = 0;
        for (Path folder : new Path[] {root, checkpoints(), samples(), plots()}) {
            if (!Files.isDirectory(folder)) continue;
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList()) {
                    Files.deleteIfExists(f);
                    removed++;
                }
            } catch (IOException e) {
                throw new RunException("cannot clean " + folder + ": " + e.getMessage(), e);
            }
        }
        if (removed > 0) tell.accept("removed " + removed + " temporary file" + (removed == 1 ? "" : "s") + " of interrupted writes");
        keepLinesUpTo(metrics(), step, tell);
        keepLinesUpTo(alarms(), step, tell);
    }

    private void keepLinesUpTo(Path log, long step, Consumer<String> tell) {
        if (!Files.isRegularFile(log)) return;
        List<String> lines;
        try {
            lines = Files.readAllLines(log);
        } catch (IOException e) {
            throw new RunException("cannot read " + log + ": " + e.getMessage(), e);
        }
        StringBuilder kept = new StringBuilder();
        int torn = 0;
        for (String line : lines) {
            if (line.isBlank()) continue;
            Map<String, Object> m = parse(line);
            if (m == null || !(m.get("step") instanceof Number n)) {
                torn++;
            } else if (n.longValue() <= step) {
                kept.append(line).append('\n');
            }
        }
        if (torn > 0) tell.accept("dropped " + torn + " torn line" + (torn == 1 ? "" : "s") + " of " + log.getFileName());
        write(log, kept.toString().getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String line) {
        try {
            return JSON_LINE.readValue(line, Map.class);
        } catch (IOException e) {
            return null;
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new RunException("cannot move " + from + " aside: " + e.getMessage(), e);
        }
    }

    /** Creates the folders, failing with one clear line when the place is not writable. */
    public void create() {
        try {
            for (Path p : new Path[] {root, samples(), plots(), checkpoints()}) Files.createDirectories(p);
            if (!Files.isWritable(root)) throw new IOException("not writable");
        } catch (IOException e) {
            throw new RunException("cannot create run directory " + root + ": " + e.getMessage(), e);
        }
    }

    /** Whether the folder holds a run (its config.json). */
    public boolean exists() {
        return Files.isRegularFile(config());
    }

    public RunConfig readConfig() {
        if (!exists()) throw new RunException(root + " is not a gan4j run directory (no config.json)");
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(config().toFile());
            // runs from before optimizers were chosen trained with Adam: lrG, lrD and one pair of betas
            if (!node.has("optimizerG") && node.has("lrG")) {
                float b1 = node.get("beta1").floatValue(), b2 = node.get("beta2").floatValue();
                node.set("optimizerG", JSON.valueToTree(OptimizerSpec.adam(node.get("lrG").floatValue(), b1, b2)));
                node.set("optimizerD", JSON.valueToTree(OptimizerSpec.adam(node.get("lrD").floatValue(), b1, b2)));
            }
            return JSON.treeToValue(node, RunConfig.class);
        } catch (IOException | RuntimeException e) {
            throw new RunException("cannot read " + config() + ": " + e.getMessage(), e);
        }
    }

    /** config.json: the configuration's fields, and under "provenance" where and when it was written. */
    public void writeConfig(Provenance provenance) {
        ObjectNode node = JSON.valueToTree(provenance.config());
        ObjectNode origin = JSON.valueToTree(provenance);
        origin.remove("config");
        node.set("provenance", origin);
        try {
            AtomicFile.write(config(), JSON.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new RunException("cannot write " + config() + ": " + e.getMessage(), e);
        }
    }

    /** The whole lines of metrics.jsonl, oldest first (a torn last line is skipped); none when training has not logged yet. */
    public List<Map<String, Object>> readMetrics() {
        List<Map<String, Object>> lines = new ArrayList<>();
        if (!Files.exists(metrics())) return lines;
        try {
            for (String line : Files.readAllLines(metrics())) {
                Map<String, Object> m = line.isBlank() ? null : parse(line);
                if (m != null) lines.add(m);
            }
        } catch (IOException e) {
            throw new RunException("cannot read " + metrics() + ": " + e.getMessage(), e);
        }
        return lines;
    }

    public void appendMetrics(Map<String, Object> line) {
        appendLine(metrics(), line);
    }

    public void appendAlarm(Alarms.Alarm alarm) {
        appendLine(alarms(), Map.of("step", alarm.step(), "kind", alarm.kind(), "message", alarm.message()));
    }

    /** Appends one JSON line with a single write, so the log survives a kill. */
    private static void appendLine(Path file, Map<String, Object> line) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap((JSON_LINE.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Writes a file of the run atomically. */
    public void write(Path file, byte[] bytes) {
        try {
            AtomicFile.write(file, bytes);
        } catch (IOException e) {
            throw new RunException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
