package org.gan4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
import javax.imageio.ImageIO;
import org.gan4j.cli.tensorboard.Event;
import org.gan4j.cli.tensorboard.SessionLog;
import org.gan4j.cli.tensorboard.Summary;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        List<Event> events = new ArrayList<>();
        for (byte[] data : records(file, unfinishedEnd)) events.add(Event.parseFrom(data));
        return events;
    }

    /** The data of each TFRecord, after checking both checksums. */
    private static List<byte[]> records(byte[] file, boolean unfinishedEnd) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> records = new ArrayList<>();
        while (b.hasRemaining()) {
            int start = b.position();
            if (unfinishedEnd && (b.remaining() < 12 || b.remaining() < 16 + b.getLong(start))) break;
            long length = b.getLong();
            if (b.getInt() != TensorBoardEvents.maskedCrc32c(file, start, 8)) throw new IOException("bad length CRC at " + start);
            byte[] data = new byte[(int) length];
            b.get(data);
            if (b.getInt() != TensorBoardEvents.maskedCrc32c(data, 0, data.length)) throw new IOException("bad data CRC at " + start);
            records.add(data);
        }
        return records;
    }

    /** Scalars in either form TensorBoard reads: simple_value, or TensorFlow 2's tensor (see {@link #tensorScalar}). */
    private static Map<String, Float> scalars(Event e) {
        Map<String, Float> m = new LinkedHashMap<>();
        for (Summary.Value v : e.getSummary().getValueList()) {
            Float value = v.hasSimpleValue() ? Float.valueOf(v.getSimpleValue()) : tensorScalar(v);
            if (value != null) m.put(v.getTag(), value);
        }
        return m;
    }

    /**
     * A scalar as tf.summary.scalar writes it: a float32 tensor whose metadata names the "scalars"
     * plugin. gan4j's schema leaves these fields out, so they come from the fields protobuf keeps
     * unparsed: Summary.Value tensor = 8 (TensorProto dtype = 1, tensor_content = 4) and
     * metadata = 9 (plugin_data = 1, its plugin_name = 1).
     */
    private static Float tensorScalar(Summary.Value v) {
        UnknownFieldSet fields = v.getUnknownFields();
        String plugin = field(message(message(fields, 9), 1), 1).toStringUtf8();
        UnknownFieldSet tensor = message(fields, 8);
        boolean float32 = tensor.hasField(1) && tensor.getField(1).getVarintList().equals(List.of(1L));   // DT_FLOAT
        ByteString content = field(tensor, 4);
        if (!plugin.equals("scalars") || !float32 || content.size() != 4) return null;
        return content.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getFloat();
    }

    /** The first length-delimited field {@code number} of {@code m}; empty where there is none. */
    private static ByteString field(UnknownFieldSet m, int number) {
        return m.hasField(number) && !m.getField(number).getLengthDelimitedList().isEmpty()
                ? m.getField(number).getLengthDelimitedList().getFirst() : ByteString.EMPTY;
    }

    /** The first field {@code number} of {@code m}, parsed as a message; empty where there is none. */
    private static UnknownFieldSet message(UnknownFieldSet m, int number) {
        return message(field(m, number));
    }

    private static UnknownFieldSet message(ByteString bytes) {
        try {
            return UnknownFieldSet.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * golden.tfevents comes from make_tfevents_golden.py (Google's protobuf runtime);
     * tensorflow.tfevents from TensorFlow's own summary writer (src/test/tensorflow-writer).
     */
    @ParameterizedTest
    @ValueSource(strings = {"golden", "tensorflow"})
    void readsTheGoldenFilesFromIndependentWriters(String name) throws IOException {
        byte[] golden;
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/tensorboard/" + name + ".tfevents");
                InputStream json = getClass().getResourceAsStream("/tensorboard/" + name + ".json")) {
            golden = in.readAllBytes();
            expected = JSON.readTree(json);
        }
        List<Event> events = read(golden);
        assertEquals(expected.get("file_version").asText(), events.get(0).getFileVersion());
        List<String> got = new ArrayList<>(), want = new ArrayList<>();
        for (Event e : events) scalars(e).forEach((tag, v) -> got.add(e.getStep() + " " + tag + " " + v));
        for (JsonNode s : expected.get("scalars")) want.add(s.get("step").asLong() + " " + s.get("tag").asText() + " " + s.get("value").floatValue());
        assertEquals(want, got);
        List<String> gotImages = new ArrayList<>(), wantImages = new ArrayList<>();
        for (Event e : events) {
            for (Summary.Value v : e.getSummary().getValueList()) {
                if (!v.hasImage()) continue;
                Summary.Image img = v.getImage();
                byte[] png = img.getEncodedImageString().toByteArray();
                BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
                assertEquals(img.getWidth() + "x" + img.getHeight(), decoded.getWidth() + "x" + decoded.getHeight(), v.getTag());
                gotImages.add(e.getStep() + " " + v.getTag() + " " + img.getWidth() + "x" + img.getHeight() + " " + img.getColorspace() + " " + png.length);
            }
        }
        for (JsonNode i : expected.get("images")) {
            wantImages.add(i.get("step").asLong() + " " + i.get("tag").asText() + " " + i.get("width").asInt() + "x" + i.get("height").asInt()
                    + " " + i.get("colorspace").asInt() + " " + i.get("bytes").asInt());
        }
        assertEquals(wantImages, gotImages);
    }

    /**
     * gan4j's records against TensorFlow's (tensorflow.tfevents): the same field numbers and wire
     * types where TensorBoard looks, i.e. a first event with wall_time, file_version
     * "brain.Event:2" and source_metadata; then events with wall_time, step and a summary whose
     * values hold a tag and a simple_value or an image. Where the two differ, TensorBoard reads
     * both: TensorFlow writes one value per event (gan4j one event per step), tensor scalars
     * from tf.summary.scalar (gan4j, like WriteScalarSummary, simple_value), image tags with
     * "/image/0" appended, and a whole-second wall_time in the first event.
     */
    @Test
    void gan4jLaysOutItsEventsAsTensorFlowDoes() throws IOException {
        List<byte[]> tf;
        try (InputStream in = getClass().getResourceAsStream("/tensorboard/tensorflow.tfevents")) {
            tf = records(in.readAllBytes(), false);
        }
        Summary.Image tfImage = Event.parseFrom(tf.getLast()).getSummary().getValue(0).getImage();
        Path file;
        try (TensorBoardEvents events = TensorBoardEvents.create(tmp, 1)) {
            file = events.file();
            events.scalars(1, Map.of("loss/d", 0.75f));
            events.image(2, "samples", tfImage.getEncodedImageString().toByteArray(), tfImage.getWidth(), tfImage.getHeight(), tfImage.getColorspace());
        }
        List<byte[]> gan4j = records(Files.readAllBytes(file), false);
        assertEquals("brain.Event:2", Event.parseFrom(tf.getFirst()).getFileVersion());
        assertEquals("brain.Event:2", Event.parseFrom(gan4j.getFirst()).getFileVersion());
        assertEquals("1:fixed64 3:bytes 10:bytes", layout(tf.getFirst()));
        assertEquals(layout(tf.getFirst()), layout(gan4j.getFirst()));
        assertEquals(layout(tf.getFirst(), 10), layout(gan4j.getFirst(), 10));
        // TensorFlow's "loss/d" at step 1 and gan4j's scalar event
        byte[] tfScalar = tf.get(2), gan4jScalar = gan4j.get(1);
        assertEquals("1:fixed64 2:varint 5:bytes", layout(tfScalar));
        for (int[] path : new int[][] {{}, {5}, {5, 1}}) assertEquals(layout(tfScalar, path), layout(gan4jScalar, path));
        assertEquals("1:bytes 2:fixed32", layout(gan4jScalar, 5, 1));
        byte[] tfPicture = tf.getLast(), gan4jPicture = gan4j.getLast();
        for (int[] path : new int[][] {{}, {5}, {5, 1}, {5, 1, 4}}) assertEquals(layout(tfPicture, path), layout(gan4jPicture, path));
        assertEquals("1:varint 2:varint 3:varint 4:bytes", layout(gan4jPicture, 5, 1, 4));
        assertEquals(Event.parseFrom(tfPicture).getSummary().getValue(0).getImage(), Event.parseFrom(gan4jPicture).getSummary().getValue(0).getImage());
    }

    /** "number:wire type" of each field of the message reached from {@code record} through the first field of each number in {@code path}. */
    private static String layout(byte[] record, int... path) {
        UnknownFieldSet m = message(ByteString.copyFrom(record));
        for (int number : path) m = message(m, number);
        List<String> fields = new ArrayList<>();
        m.asMap().forEach((number, f) -> fields.add(number + ":" + (!f.getVarintList().isEmpty() ? "varint" : !f.getFixed64List().isEmpty() ? "fixed64"
                : !f.getFixed32List().isEmpty() ? "fixed32" : "bytes")));
        return String.join(" ", fields);
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
        assertEquals(30, metrics.size(), "one line per step");
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
        Files.delete(run.resolve("checkpoints/step-000015.safetensors"));
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

    @ParameterizedTest
    @ValueSource(strings = {"golden", "tensorflow"})
    void thePythonReaderReadsTheGoldenFiles(String name) throws Exception {
        Path golden = Path.of("src/test/resources/tensorboard/" + name + ".tfevents");
        JsonNode expected = JSON.readTree(Path.of("src/test/resources/tensorboard/" + name + ".json").toFile());
        List<JsonNode> decoded = readWithPython(golden);
        assertEquals(expected.get("file_version").asText(), decoded.getFirst().get("file_version").asText());
        List<String> got = new ArrayList<>(), want = new ArrayList<>();
        for (JsonNode e : decoded) {
            // a step of 0 is absent from the record, as protobuf leaves out default values
            if (e.has("scalars")) e.get("scalars").properties().forEach(s -> got.add(e.path("step").asLong() + " " + s.getKey() + " " + s.getValue().floatValue()));
        }
        for (JsonNode s : expected.get("scalars")) want.add(s.get("step").asLong() + " " + s.get("tag").asText() + " " + s.get("value").floatValue());
        assertEquals(want.stream().sorted().toList(), got.stream().sorted().toList());
        List<String> gotImages = new ArrayList<>(), wantImages = new ArrayList<>();
        for (JsonNode e : decoded) {
            if (e.has("images")) e.get("images").properties().forEach(i -> gotImages.add(e.path("step").asLong() + " " + i.getKey() + " "
                    + i.getValue().get("width") + "x" + i.getValue().get("height") + " " + i.getValue().get("bytes") + " " + i.getValue().get("png")));
        }
        for (JsonNode i : expected.get("images")) {
            wantImages.add(i.get("step").asLong() + " " + i.get("tag").asText() + " " + i.get("width") + "x" + i.get("height") + " " + i.get("bytes") + " true");
        }
        assertEquals(wantImages, gotImages);
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
