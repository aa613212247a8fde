package org.gan4j.tfwriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.tensorflow.EagerSession;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.proto.DataClass;
import org.tensorflow.proto.SummaryMetadata;

/**
 * Writes gan4j-cli/src/test/resources/tensorboard/tensorflow.tfevents with TensorFlow's own C++
 * summary writer (the EventsWriter behind TensorBoard's files), through TensorFlow Java 1.1.0
 * (libtensorflow 2.18) from Maven Central, so that gan4j's readers are checked against a file
 * that neither gan4j nor its golden-file script wrote.
 *
 * Run: cd gan4j-cli/src/test/tensorflow-writer && mvn -q compile exec:java
 *
 * tensorflow.json beside the file lists what this program writes; the image's size in bytes is
 * that of TensorFlow's PNG encoding. TensorFlow picks the wall times, so a new run gives a file
 * that differs in those alone.
 */
public final class WriteGoldenEvents {
    private static final Path RESOURCES = Path.of("../resources/tensorboard");
    private static final float[] LOSS_D = {1.5f, 0.75f, 0.375f};
    private static final float[] LOSS_G = {0.25f, 1.25f, -2.5f};

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("tfevents");
        try (EagerSession session = EagerSession.create()) {
            Ops tf = Ops.create(session);
            SummaryWriter writer = tf.summary.summaryWriter();
            tf.summary.createSummaryFileWriter(writer, tf.constant(dir.toString()), tf.constant(10), tf.constant(1000), tf.constant(""));
            // TF 1 style: WriteScalarSummary stores a simple_value, as gan4j does
            for (int step = 0; step < LOSS_D.length; step++) {
                tf.summary.writeScalarSummary(writer, tf.constant((long) step), tf.constant("loss/d"), tf.constant(LOSS_D[step]));
            }
            // TF 2 style, as tf.summary.scalar writes it: a rank-0 tensor tagged for the scalars plugin
            byte[] scalarsPlugin = SummaryMetadata.newBuilder()
                    .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("scalars"))
                    .setDataClass(DataClass.DATA_CLASS_SCALAR).build().toByteArray();
            for (int step = 0; step < LOSS_G.length; step++) {
                tf.summary.writeSummary(writer, tf.constant((long) step), tf.constant(LOSS_G[step]), tf.constant("loss/g"),
                        tf.constant(StandardCharsets.ISO_8859_1, new String(scalarsPlugin, StandardCharsets.ISO_8859_1)));
            }
            // a 2x3 grayscale sample grid, encoded as PNG by TensorFlow
            byte[][][][] pixels = {{{{0}, {64}, {(byte) 128}}, {{(byte) 160}, {(byte) 200}, {(byte) 255}}}};
            tf.summary.writeImageSummary(writer, tf.constant(2L), tf.constant("samples"), tf.constant(pixels), tf.constant(new byte[] {(byte) 255}));
            tf.summary.flushSummaryWriter(writer);
            tf.summary.closeSummaryWriter(writer);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.toList();
        }
        if (files.size() != 1) throw new IllegalStateException("expected one event file in " + dir + ": " + files);
        Path target = RESOURCES.resolve("tensorflow.tfevents");
        Files.copy(files.getFirst(), target, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("TensorFlow " + TensorFlow.version() + ": " + files.getFirst().getFileName() + " -> " + target.normalize());
    }
}
