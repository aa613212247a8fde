package org.gan4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the old content or the whole new one, never a
 * half-written file, even if the process dies midway: the bytes go to {@code .<name>.<random>.tmp}
 * in the target's folder, are synced to disk, and the temp file is renamed over the target.
 * Where the file system cannot rename atomically, the target is replaced by a plain move.
 * The temp file is deleted if the body fails. The target's folder must exist.
 */
public final class AtomicFile {

    private AtomicFile() {
    }

    /** Writes {@code bytes} as the new content of {@code target}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        writeFile(target, tmp -> Files.write(tmp, bytes));
    }

    /** Streams the new content of {@code target} from {@code body}; closing the stream is allowed, not needed. */
    public static void write(Path target, IOConsumer<OutputStream> body) throws IOException {
        // unbuffered: a BufferedOutputStream around it is the body's choice
        writeChannel(target, ch -> body.accept(Channels.newOutputStream(ch)));
    }

    /** Streams the new content of {@code target} from {@code body} through a channel. */
    public static void writeChannel(Path target, IOConsumer<WritableByteChannel> body) throws IOException {
        writeFile(target, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                body.accept(ch);
            }
        });
    }

    /**
     * Lets {@code body} fill a temp file given by its path, for tools that only write to a path
     * (a downloader, say); the file is then synced and renamed over {@code target}.
     */
    public static void writeFile(Path target, IOConsumer<Path> body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) throw new IOException("cannot write " + target + ": folder " + dir + " does not exist (create it first)");
        Path tmp = null;
        try {
            tmp = createTemp(dir, target.getFileName().toString());
            body.accept(tmp);
            // fsync syncs the file whichever descriptor asks, so the body may have closed its own
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            syncDirectory(dir);
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + detail(e), e);
        } finally {
            if (tmp != null) deleteQuietly(tmp);
        }
    }

    /**
     * A new empty file with a name no other writer holds. Not Files.createTempFile: on POSIX
     * it makes the file readable by its owner only, and the target would keep that mode.
     */
    private static Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            String random = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            Path tmp = dir.resolve("." + name + "." + random + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) throw e;
            }
        }
    }

    /** Makes the rename itself durable; some platforms cannot open a folder, and there it is skipped. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not supported here (e.g. Windows); the data itself was already synced
        }
    }

    private static void deleteQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            // the write's own error is the one to report
        }
    }

    /** A file-system exception's message is often only a path; its type says what went wrong. */
    private static String detail(IOException e) {
        if (e instanceof FileSystemException || e.getMessage() == null) {
            return e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
        }
        return e.getMessage();
    }
}
