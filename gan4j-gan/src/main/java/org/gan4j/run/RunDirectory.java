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
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gan4j.io.AtomicFile;
import org.gan4j.optim.OptimizerSpec;

/**
 * The files of one run (config.json, metrics.jsonl, samples/, plots/, checkpoints/). Every
 * file is written atomically: a temp file in the same folder, fsync, rename, so a killed run
 * never leaves half a file behind.
 */
public record RunDirectory(Path root) {
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

    /** The checkpoint that {@code checkpoints/latest} names, or null when there is none. */
    public Path latestCheckpoint() {
        Path pointer = checkpoints().resolve("latest");
        if (!Files.exists(pointer)) return null;
        try {
            return checkpoints().resolve(Files.readString(pointer).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pointer, e);
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

    /** The lines of metrics.jsonl, oldest first; none when training has not logged yet. */
    public List<Map<String, Object>> readMetrics() {
        List<Map<String, Object>> lines = new ArrayList<>();
        if (!Files.exists(metrics())) return lines;
        try {
            for (String line : Files.readAllLines(metrics())) {
                if (line.isBlank()) continue;
                @SuppressWarnings("unchecked")
                Map<String, Object> m = JSON_LINE.readValue(line, Map.class);
                lines.add(m);
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
