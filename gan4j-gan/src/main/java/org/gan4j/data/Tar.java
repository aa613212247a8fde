package org.gan4j.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.gan4j.io.AtomicFile;

/** Just enough of (gzipped) tar to take regular files out of a dataset archive: 512-byte headers, then the data. */
final class Tar {

    private Tar() {}

    /** Writes each regular member whose base name passes {@code wanted} into {@code dir}, atomically. */
    static void extract(Path archive, Path dir, Predicate<String> wanted) {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive)))) {
            Files.createDirectories(dir);
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String path = text(header, 0, 100);
                long size = Long.parseLong(text(header, 124, 12).trim(), 8);
                String base = path.substring(path.lastIndexOf('/') + 1);
                boolean regular = header[156] == '0' || header[156] == 0;
                if (regular && wanted.test(base)) {
                    AtomicFile.writeChannel(dir.resolve(base), out -> copy(in, out, size, archive));
                } else {
                    in.skipNBytes(size);
                }
                in.skipNBytes((512 - size % 512) % 512);
            }
        } catch (IOException | NumberFormatException e) {
            throw new DatasetException(archive + ": cannot unpack (" + e + ")", e);
        }
    }

    private static void copy(InputStream in, WritableByteChannel out, long size, Path archive) throws IOException {
        byte[] buf = new byte[1 << 16];
        for (long left = size; left > 0; ) {
            int n = in.readNBytes(buf, 0, (int) Math.min(buf.length, left));
            if (n == 0) throw new DatasetException(archive + ": truncated inside a member");
            out.write(ByteBuffer.wrap(buf, 0, n));
            left -= n;
        }
    }

    private static String text(byte[] b, int from, int length) {
        int end = from;
        while (end < from + length && b[end] != 0) end++;
        return new String(b, from, end - from, StandardCharsets.US_ASCII);
    }
}
