package org.gan4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * One browser's Server-Sent Events stream. Every half second it looks at each run's files and
 * sends what is new: {@code run} (name and config), {@code metrics} (new metrics.jsonl lines),
 * {@code alarm} (new alarms.jsonl lines) and {@code sample} (the newest sample grid).
 */
final class EventStream {
    static final long POLL_MILLIS = 500;
    private static final int MAX_LINES_PER_EVENT = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How far this browser has been told about one run. */
    private static final class Seen {
        long metricsOffset, alarmsOffset;
        String sample;
    }

    private final RunsFolder runs;
    private final Exchange exchange;
    private final BooleanSupplier serverOpen;
    private final Map<String, Seen> seen = new HashMap<>();

    EventStream(RunsFolder runs, Exchange exchange, BooleanSupplier serverOpen) {
        this.runs = runs;
        this.exchange = exchange;
        this.serverOpen = serverOpen;
    }

    /** Streams until the browser goes away (the write fails) or the server closes. */
    void run() throws IOException {
        exchange.answerHeader("Cache-Control", "no-cache");
        try (OutputStream out = exchange.stream(200, "text/event-stream; charset=utf-8")) {
            long lastWrite = 0;
            while (serverOpen.getAsBoolean()) {
                StringBuilder batch = new StringBuilder();
                for (String run : runs.runs()) poll(run, batch);
                long now = System.currentTimeMillis();
                if (batch.isEmpty() && now - lastWrite > 10_000) batch.append(": still here\n\n");   // finds closed connections
                if (!batch.isEmpty()) {
                    out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    lastWrite = now;
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void poll(String run, StringBuilder batch) {
        Path dir = runs.run(run);   // only to list sample names: contents are read through runs.file
        Seen s = seen.get(run);
        if (s == null) {
            s = new Seen();
            seen.put(run, s);
            ObjectNode event = JSON.createObjectNode().put("run", run);
            event.set("config", readJson(runs.file(run, "config.json")));
            send(batch, "run", event);
        }
        s.metricsOffset = sendLines(runs.file(run, "metrics.jsonl"), s.metricsOffset, run, "metrics", batch);
        s.alarmsOffset = sendLines(runs.file(run, "alarms.jsonl"), s.alarmsOffset, run, "alarm", batch);
        String latest = latestSample(dir.resolve("samples"));
        if (latest != null && !latest.equals(s.sample)) {
            s.sample = latest;
            ObjectNode event = JSON.createObjectNode().put("run", run).put("file", latest)
                    .put("step", Long.parseLong(latest.replaceAll("\\D", "")))
                    .put("url", "runs/" + run + "/samples/" + latest);
            send(batch, "sample", event);
        }
    }

    /** Sends the complete lines added to {@code file} since {@code offset}; returns the new offset. */
    private static long sendLines(Path file, long offset, String run, String type, StringBuilder batch) {
        if (file == null) return 0;
        List<JsonNode> lines = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file)) {
            if (ch.size() < offset) offset = 0;   // the file was replaced
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ch.size() - offset, 64 << 20));
            ch.read(buf, offset);
            byte[] bytes = buf.array();
            int start = 0;
            for (int i = 0; i < buf.position(); i++) {
                if (bytes[i] != '\n') continue;
                String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
                start = i + 1;
                try {
                    if (!line.isBlank()) lines.add(JSON.readTree(line));
                } catch (IOException e) {
                    // a damaged line is skipped, the rest still shown
                }
            }
            offset += start;   // an unfinished last line waits for its newline
        } catch (IOException e) {
            return offset;
        }
        for (int from = 0; from < lines.size(); from += MAX_LINES_PER_EVENT) {
            ObjectNode event = JSON.createObjectNode().put("run", run);
            ArrayNode array = event.putArray("lines");
            lines.subList(from, Math.min(lines.size(), from + MAX_LINES_PER_EVENT)).forEach(array::add);
            send(batch, type, event);
        }
        return offset;
    }

    private static String latestSample(Path samples) {
        if (!Files.isDirectory(samples)) return null;
        try (Stream<Path> s = Files.list(samples)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("step-\\d+\\.png"))
                    .max(Comparator.comparingLong(n -> Long.parseLong(n.replaceAll("\\D", "")))).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static JsonNode readJson(Path file) {
        if (file == null) return null;
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            return null;
        }
    }

    private static void send(StringBuilder batch, String type, JsonNode data) {
        batch.append("event: ").append(type).append("\ndata: ").append(data.toString()).append("\n\n");
    }
}
