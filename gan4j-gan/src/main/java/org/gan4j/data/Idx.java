package org.gan4j.data;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the IDX files of MNIST, Fashion-MNIST and KMNIST: big-endian, a magic number
 * (0x0803 images, 0x0801 labels: unsigned bytes with 3 or 1 dimensions), one count per dimension,
 * then the bytes. gzip or raw alike. Anything that does not add up is an error, never a partial set.
 */
public final class Idx {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private Idx() {}

    /** The images and labels of one split, e.g. train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz. */
    public static Dataset read(String name, Path images, Path labels) {
        return read(name, Source.of(images), Source.of(labels));
    }

    static Dataset read(String name, Source images, Source labels) {
        byte[] img = images.content();
        ByteBuffer ih = header(images, img, IMAGES_MAGIC, 3, "images");
        int n = ih.getInt(4), rows = ih.getInt(8), cols = ih.getInt(12);
        long expected = (long) n * rows * cols;
        checkPayload(images, img.length - 16L, expected,
                "header says " + n + " images of " + rows + "x" + cols + " = " + expected + " bytes");

        byte[] lab = labels.content();
        ByteBuffer lh = header(labels, lab, LABELS_MAGIC, 1, "labels");
        int m = lh.getInt(4);
        checkPayload(labels, lab.length - 8L, m, "header says " + m + " labels");
        if (m != n) {
            throw new DatasetException(labels.fileName() + ": " + m + " labels, but " + images.fileName()
                    + " holds " + n + " images");
        }

        byte[] pixels = new byte[(int) expected];
        System.arraycopy(img, 16, pixels, 0, pixels.length);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = lab[8 + i] & 0xFF;
        return ByteImages.of(name, new int[] {1, rows, cols}, pixels, y, ByteImages.classCount(y), List.of(images, labels));
    }

    /** Checks the magic number and that every dimension count is there and not negative. */
    private static ByteBuffer header(Source src, byte[] data, int magic, int dims, String what) {
        if (data.length < 4) {
            throw new DatasetException(src.fileName() + ": truncated: " + data.length + " bytes, too short for an IDX header");
        }
        ByteBuffer b = ByteBuffer.wrap(data); // big-endian, as IDX is
        if (b.getInt(0) != magic) {
            throw new DatasetException(String.format("%s: wrong magic number 0x%08x, expected 0x%08x (IDX %s: unsigned bytes, %d dimension%s)",
                    src.fileName(), b.getInt(0), magic, what, dims, dims == 1 ? "" : "s"));
        }
        int headerLength = 4 + 4 * dims;
        if (data.length < headerLength) {
            throw new DatasetException(src.fileName() + ": truncated: " + data.length + " bytes, the header alone needs " + headerLength);
        }
        for (int d = 0; d < dims; d++) {
            if (b.getInt(4 + 4 * d) < 0) {
                throw new DatasetException(src.fileName() + ": dimension " + d + " is negative (" + b.getInt(4 + 4 * d) + ")");
            }
        }
        return b;
    }

    private static void checkPayload(Source src, long actual, long expected, String claim) {
        if (actual < expected) {
            throw new DatasetException(src.fileName() + ": truncated: " + claim + ", file has " + actual);
        }
        if (actual > expected) {
            throw new DatasetException(src.fileName() + ": too long: " + claim + ", file has " + actual);
        }
    }
}
