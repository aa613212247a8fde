package org.gan4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.gan4j.cli.tensorboard.Event;
import org.gan4j.cli.tensorboard.SessionLog;
import org.gan4j.cli.tensorboard.Summary;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class TensorBoardEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PYTHON_READER = Path.of("src/test/python/read_tfevents.py");

    @TempDir
    Path tmp;

    /** Reads a TFRecord file, checking both masked CRC32Cs of every record. */
    public static List<Event> read(byte[] file) throws IOException {
        return read(file, false);
    }

    /** As {@link #read(byte[])}; a killed writer may leave an unfinished last record, which {@code unfinishedEnd} allows. */
    public static List<Event> read(byte[] file, boolean unfinishedEnd) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        List<Event> events = new ArrayList<>();
        while (b.hasRemaining()) {
            int start = b.position();
            if (unfinishedEnd && (b.remaining() < 12 || b.remaining() < 16 + b.getLong(start))) break;
            long length = b.getLong();
            if (b.getInt() != TensorBoardEvents.maskedCrc32c(file, start, 8)) throw new IOException("bad length CRC at " + start);
            byte[] data = new byte[(int) length];
            b.get(data);
            if (b.getInt() != TensorBoardEvents.maskedCrc32c(data, 0, data.length)) throw new IOException("bad data CRC at " + start);
            events.add(Event.parseFrom(data));
        }
        return events;
    }

    private static Map<String, Float> scalars(Event e) {
        Map<String, Float> m = new LinkedHashMap<>();
        for (Summary.Value v : e.getSummary().getValueList()) if (v.hasSimpleValue()) m.put(v.getTag(), v.getSimpleValue());
        return m;
    }

    @Test
    void readsTheGoldenFileFromAnIndependentWriter() throws IOException {
        byte[] golden;
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/tensorboard/golden.tfevents");
                InputStream json = getClass().getResourceAsStream("/tensorboard/golden.json")) {
            golden = in.readAllBytes();
            expected = JSON.readTree(json);
        }
        List<Event> events = read(golden);
        assertEquals(expected.get("file_version").asText(), events.get(0).getFileVersion());
        List<String> got = new ArrayList<>(), want = new ArrayList<>();
        for (Event e : events) scalars(e).forEach((tag, v) -> got.add(e.getStep() + " " + tag + " " + v));
        for (JsonNode s : expected.get("scalars")) want.add(s.get("step").asLong() + " " + s.get("tag").asText() + " " + s.get("value").floatValue());
        assertEquals(want, got);
        JsonNode image = expected.get("images").get(0);
        Summary.Image img = events.stream().filter(e -> e.getSummary().getValueCount() > 0 && e.getSummary().getValue(0).hasImage())
                .findFirst().orElseThrow().getSummary().getValue(0).getImage();
        assertEquals(image.get("width").asInt(), img.getWidth());
        assertEquals(image.get("height").asInt(), img.getHeight());
        assertEquals(image.get("bytes").asInt(), img.getEncodedImageString().size());
    }

    @Test
    void aDamagedRecordIsNoticed() throws IOException {
        byte[] golden;
        try (InputStream in = getClass().getResourceAsStream("/tensorboard/golden.tfevents")) {
            golden = in.readAllBytes();
        }
        golden[golden.length - 10] ^= 1;
        assertThrows(IOException.class, () -> read(golden));
    }

    @Test
    void writesScalarsAndImagesThatReadBack() throws IOException {
        Path file;
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
        try (TensorBoardEvents events = TensorBoardEvents.create(tmp, 1)) {
            file = events.file();
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("loss_d", 0.25f);
            values.put("loss_g", null);   // NaN in metrics.jsonl: left out
            values.put("images_per_s", 1234.5);
            events.scalars(7, values);
            events.image(7, "samples", png, 30, 20, 3);
        }
        assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."), file.toString());
        List<Event> events = read(Files.readAllBytes(file));
        assertEquals(3, events.size());
        assertEquals("brain.Event:2", events.get(0).getFileVersion());
        assertEquals(Map.of("loss_d", 0.25f, "images_per_s", 1234.5f), scalars(events.get(1)));
        assertEquals(7, events.get(1).getStep());
        Summary.Image image = events.get(2).getSummary().getValue(0).getImage();
        assertEquals(30, image.getWidth());
        assertEquals(20, image.getHeight());
        assertArrayEquals(png, image.getEncodedImageString().toByteArray());
        // a second writer in the same second gets a file of its own
        try (TensorBoardEvents again = TensorBoardEvents.create(tmp, 1)) {
            assertFalse(again.file().equals(file));
        }
    }

    @Test
    void aTrainingRunLogsItsMetricsAndSamplesForTensorBoard() throws Exception {
        Path run = tmp.resolve("run");
        assertEquals(0, Main.run("train", "--model", "mlp2d", "--data", "ring8", "--g-hidden", "16", "--d-hidden", "16",
                "--batch-size", "32", "--device", "cpu", "--steps", "30", "--sample-every", "10", "--out", run.toString()));
        Path file;
        try (Stream<Path> s = Files.list(run)) {
            file = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).findFirst().orElseThrow();
        }
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        List<Event> events = read(Files.readAllBytes(file));
        List<Event> scalarEvents = events.stream().filter(e -> !scalars(e).isEmpty()).toList();
        assertEquals(metrics.size(), scalarEvents.size());
        for (int i = 0; i < metrics.size(); i++) {
            JsonNode line = JSON.readTree(metrics.get(i));
            assertEquals(line.get("step").asLong(), scalarEvents.get(i).getStep());
            assertEquals(line.get("loss_d").floatValue(), scalars(scalarEvents.get(i)).get("loss_d"));
        }
        List<Long> imageSteps = events.stream().filter(e -> e.getSummary().getValueCount() == 1 && e.getSummary().getValue(0).hasImage())
                .map(Event::getStep).toList();
        assertEquals(List.of(10L, 20L, 30L), imageSteps);

        // the same file through the independent, standard-library-only Python reader
        List<JsonNode> decoded = readWithPython(file);
        assertEquals(events.size(), decoded.size());
        assertEquals("brain.Event:2", decoded.get(0).get("file_version").asText());
        JsonNode lastScalars = decoded.stream().filter(e -> e.has("scalars")).toList().getLast();
        JsonNode lastImage = decoded.stream().filter(e -> e.has("images")).toList().getLast();
        JsonNode lastLine = JSON.readTree(metrics.getLast());
        assertEquals(30, lastScalars.get("step").asLong());
        for (String key : List.of("loss_d", "loss_g", "d_real", "d_fake")) {
            assertEquals(lastLine.get(key).floatValue(), lastScalars.get("scalars").get(key).floatValue(), key);
        }
        assertEquals(30, lastImage.get("step").asLong());
        assertTrue(lastImage.get("images").get("samples").get("png").asBoolean());
    }

    @Test
    void aResumedRunMarksTheRestartForTensorBoard() throws Exception {
        Path run = tmp.resolve("run");
        assertEquals(0, Main.run("train", "--model", "mlp2d", "--data", "ring8", "--g-hidden", "16", "--d-hidden", "16", "--batch-size", "32",
                "--device", "cpu", "--checkpoint-every", "10", "--steps", "15", "--out", run.toString()));
        // as if killed after logging step 15 but before its checkpoint: the run resumes at step 10
        Files.writeString(run.resolve("checkpoints/latest"), "step-000010.safetensors\n");
        assertEquals(0, Main.run("train", "--resume", run.toString(), "--steps", "25"));
        List<Path> files;
        try (Stream<Path> s = Files.list(run)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).sorted().toList();
        }
        assertEquals(2, files.size(), files.toString());
        List<Event> first = read(Files.readAllBytes(files.get(0))), second = read(Files.readAllBytes(files.get(1)));
        assertEquals(15, first.getLast().getStep());
        assertTrue(first.stream().noneMatch(Event::hasSessionLog));
        assertEquals(SessionLog.SessionStatus.START, second.get(1).getSessionLog().getStatus());
        assertEquals(11, second.get(1).getStep(), "the checkpoint was at step 10");
        assertEquals(11, second.get(2).getStep());
        assertEquals(25, second.getLast().getStep());
    }

    @Test
    void thePythonReaderReadsTheGoldenFile() throws Exception {
        Path golden = Path.of("src/test/resources/tensorboard/golden.tfevents");
        JsonNode expected = JSON.readTree(Path.of("src/test/resources/tensorboard/golden.json").toFile());
        List<String> got = new ArrayList<>(), want = new ArrayList<>();
        for (JsonNode e : readWithPython(golden)) {
            if (e.has("scalars")) e.get("scalars").properties().forEach(s -> got.add(e.get("step") + " " + s.getKey() + " " + s.getValue().floatValue()));
        }
        for (JsonNode s : expected.get("scalars")) want.add(s.get("step").asLong() + " " + s.get("tag").asText() + " " + s.get("value").floatValue());
        assertEquals(want.stream().sorted().toList(), got.stream().sorted().toList());
    }

    /** Runs src/test/python/read_tfevents.py; skips (with the reason) where no python3 is installed. */
    private static List<JsonNode> readWithPython(Path file) throws Exception {
        String python = Stream.of("/usr/bin/python3", "/usr/local/bin/python3").filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
        Assumptions.assumeTrue(python != null, "python3 is not installed (apt-get install python3): the independent reader cannot run");
        Process p = new ProcessBuilder(python, PYTHON_READER.toString(), file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<JsonNode> events = new ArrayList<>();
        for (String line : out.split("\n")) if (!line.isBlank()) events.add(JSON.readTree(line));
        return events;
    }
}
