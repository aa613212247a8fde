package org.gan4j.cli;

import com.google.protobuf.ByteString;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.zip.CRC32C;
import org.gan4j.cli.tensorboard.Event;
import org.gan4j.cli.tensorboard.SessionLog;
import org.gan4j.cli.tensorboard.SourceMetadata;
import org.gan4j.cli.tensorboard.Summary;

/**
 * A TensorBoard event file ({@code events.out.tfevents.<seconds>.<host>}): scalars and images
 * as {@link Event} records in TFRecord framing. Each record goes straight to the file (no
 * buffer in the process), so a killed run loses nothing it had logged.
 */
public final class TensorBoardEvents implements Closeable {
    private static final int MASK_DELTA = 0xa282ead8;

    private final Path file;
    private final FileChannel channel;

    private TensorBoardEvents(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /**
     * Starts a new event file in {@code dir}. A resumed run gets a file of its own beside the
     * old ones, opened with a restart mark at {@code firstStep} so that TensorBoard forgets what
     * the interrupted run had logged past its last checkpoint.
     */
    public static TensorBoardEvents create(Path dir, long firstStep) {
        long seconds = System.currentTimeMillis() / 1000;
        String base = "events.out.tfevents." + seconds + "." + hostName();
        try {
            Path file = dir.resolve(base);
            for (int i = 1; Files.exists(file); i++) file = dir.resolve(base + "." + i);
            TensorBoardEvents events = new TensorBoardEvents(file);
            events.write(Event.newBuilder().setWallTime(now()).setFileVersion("brain.Event:2")
                    .setSourceMetadata(SourceMetadata.newBuilder().setWriter("gan4j")).build());
            if (firstStep > 1) {
                events.write(Event.newBuilder().setWallTime(now()).setStep(firstStep)
                        .setSessionLog(SessionLog.newBuilder().setStatus(SessionLog.SessionStatus.START)).build());
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a TensorBoard event file in " + dir, e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "_");
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    public Path file() {
        return file;
    }

    /** One event with a scalar per numeric entry of {@code values} (tags are the keys; nulls, i.e. NaN/∞, are skipped). */
    public void scalars(long step, Map<String, ?> values) {
        Summary.Builder summary = Summary.newBuilder();
        values.forEach((tag, v) -> {
            if (v instanceof Number n) summary.addValue(Summary.Value.newBuilder().setTag(tag).setSimpleValue(n.floatValue()));
        });
        if (summary.getValueCount() > 0) write(Event.newBuilder().setWallTime(now()).setStep(step).setSummary(summary).build());
    }

    /** An encoded PNG image under {@code tag}. */
    public void image(long step, String tag, byte[] png, int width, int height, int colorspace) {
        Summary.Image image = Summary.Image.newBuilder().setWidth(width).setHeight(height).setColorspace(colorspace)
                .setEncodedImageString(ByteString.copyFrom(png)).build();
        write(Event.newBuilder().setWallTime(now()).setStep(step)
                .setSummary(Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag(tag).setImage(image))).build());
    }

    private void write(Event event) {
        try {
            ByteBuffer record = frame(event.toByteArray());
            while (record.hasRemaining()) channel.write(record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** TFRecord framing: length (uint64 LE), masked CRC32C of the length, data, masked CRC32C of the data. */
    static ByteBuffer frame(byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(data.length);
        b.putInt(maskedCrc32c(b.array(), 0, 8));
        b.put(data);
        b.putInt(maskedCrc32c(data, 0, data.length));
        return b.flip();
    }

    /** CRC32C rotated right by 15 bits plus a constant, as TFRecord stores it. */
    static int maskedCrc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    @Override
    public void close() {
        try {
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }
}
