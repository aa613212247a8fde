package org.gan4j.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** The real MNIST files kept beside the project, and builders for small IDX files. */
final class TestData {
    static final Path MNIST = Path.of("/work/shared/data/mnist");

    private TestData() {}

    static Path mnistDir() {
        assumeTrue(Files.isDirectory(MNIST), "real MNIST files not present at " + MNIST + "; skipping");
        return MNIST;
    }

    static Dataset train10k() {
        Path d = mnistDir();
        return Idx.read("train10k", d.resolve("train10k-images-idx3-ubyte.gz"), d.resolve("train10k-labels-idx1-ubyte.gz"));
    }

    /** An IDX file: magic, the given dimension counts, then the payload. */
    static byte[] idx(int magic, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        b.putInt(magic);
        for (int d : dims) b.putInt(d);
        b.put(payload);
        return b.array();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static Path write(Path dir, String name, byte[] data) throws IOException {
        return Files.write(dir.resolve(name), data);
    }
}
