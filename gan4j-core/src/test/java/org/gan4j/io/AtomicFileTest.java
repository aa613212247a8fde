package org.gan4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesBytesAndLeavesNoTempFile() throws IOException {
        Path target = dir.resolve("config.json");
        AtomicFile.write(target, "{\"seed\": 7}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"seed\": 7}", Files.readString(target));
        assertEquals(List.of("config.json"), files());
    }

    @Test
    void streamsLargeContentThroughAStreamOrAChannel() throws IOException {
        byte[] big = new byte[3_000_000];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31 + (i >> 11));
        Path viaStream = dir.resolve("a.bin"), viaChannel = dir.resolve("b.bin");
        AtomicFile.write(viaStream, out -> {
            for (int i = 0; i < big.length; i += 4096) out.write(big, i, Math.min(4096, big.length - i));
            out.close();   // closing is allowed: the file is synced after the body
        });
        AtomicFile.writeChannel(viaChannel, ch -> {
            ByteBuffer buf = ByteBuffer.wrap(big);
            while (buf.hasRemaining()) ch.write(buf);
        });
        assertArrayEquals(big, Files.readAllBytes(viaStream));
        assertArrayEquals(big, Files.readAllBytes(viaChannel));
        assertEquals(List.of("a.bin", "b.bin"), files());
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path target = dir.resolve("latest");
        Files.writeString(target, "a much longer old content than the new one");
        AtomicFile.write(target, "new".getBytes(StandardCharsets.UTF_8));
        assertEquals("new", Files.readString(target));
        AtomicFile.writeFile(target, tmp -> Files.writeString(tmp, "from a path"));
        assertEquals("from a path", Files.readString(target));
        assertEquals(List.of("latest"), files());
    }

    @Test
    void aFailingBodyLeavesTheOldFileAndNoTempFile() throws IOException {
        Path target = dir.resolve("model.safetensors");
        Files.writeString(target, "old");
        IOException io = assertThrows(IOException.class, () -> AtomicFile.write(target, (OutputStream out) -> {
            out.write(new byte[1000]);
            throw new IOException("disk full");
        }));
        assertTrue(io.getMessage().contains(target.toString()) && io.getMessage().contains("disk full"), io.getMessage());

        var bug = new IllegalStateException("bug in the body");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> AtomicFile.writeChannel(target, ch -> {
            ch.write(ByteBuffer.allocate(10));
            throw bug;
        })), "an unchecked exception passes through unchanged");
        assertThrows(UncheckedIOException.class, () -> AtomicFile.writeFile(target, tmp -> {
            throw new UncheckedIOException(new IOException("checksum mismatch"));
        }));
        assertEquals("old", Files.readString(target));
        assertEquals(List.of("model.safetensors"), files());
    }

    @Test
    void aMissingFolderIsNamed() {
        Path target = dir.resolve("no-such-folder").resolve("samples.npy");
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(target, new byte[] {1}));
        assertEquals("cannot write " + target + ": folder " + target.getParent() + " does not exist (create it first)", e.getMessage());
    }

    @Test
    void tempFilesOfTwoWritersDoNotClash() throws Exception {
        Path target = dir.resolve("shared.bin");
        Thread[] writers = new Thread[4];
        for (int w = 0; w < writers.length; w++) {
            byte[] content = new byte[100_000];
            Arrays.fill(content, (byte) w);
            writers[w] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 20; i++) {
                    try {
                        AtomicFile.write(target, content);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        }
        for (Thread t : writers) t.join();
        byte[] last = Files.readAllBytes(target);
        assertEquals(100_000, last.length);
        for (byte b : last) assertEquals(last[0], b, "one writer's whole content, never a mix");
        assertEquals(List.of("shared.bin"), files());
    }

    @Test
    void theFileGetsTheUsualPermissionsNotOwnerOnly() throws IOException {
        Path target = dir.resolve("grid.png");
        AtomicFile.write(target, new byte[] {1, 2, 3});
        if (!Files.getFileStore(target).supportsFileAttributeView("posix")) return;
        Path plain = Files.createFile(dir.resolve("plain"));
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
        assertEquals(expected, Files.getPosixFilePermissions(target));
    }
}
