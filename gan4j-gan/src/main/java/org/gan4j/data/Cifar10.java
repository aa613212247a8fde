package org.gan4j.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The binary CIFAR-10 batches (data_batch_1..5.bin, test_batch.bin): records of one label byte
 * followed by 3072 pixel bytes, the red, green and blue 32x32 planes in turn.
 */
public final class Cifar10 {
    static final int PIXELS = 3 * 32 * 32;
    static final int RECORD = 1 + PIXELS;
    public static final List<String> TRAIN_FILES =
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final List<String> TEST_FILES = List.of("test_batch.bin");

    private Cifar10() {}

    /** The 50,000 training images from the five data batches in {@code dir}. */
    public static Dataset train(Path dir) {
        return read("cifar10-train", TRAIN_FILES.stream().map(dir::resolve).toArray(Path[]::new));
    }

    /** The 10,000 test images in {@code dir}. */
    public static Dataset test(Path dir) {
        return read("cifar10-test", dir.resolve(TEST_FILES.getFirst()));
    }

    public static Dataset read(String name, Path... batches) {
        return read(name, Arrays.stream(batches).map(Source::of).toList());
    }

    static Dataset read(String name, List<Source> batches) {
        int n = 0;
        for (Source s : batches) {
            if (s.bytes().length % RECORD != 0) {
                throw new DatasetException(s.fileName() + ": " + s.bytes().length + " bytes is not a whole number of "
                        + RECORD + "-byte records (1 label + 3x32x32 pixels); the file is truncated or not a CIFAR-10 batch");
            }
            n += s.bytes().length / RECORD;
        }
        byte[] pixels = new byte[n * PIXELS];
        int[] labels = new int[n];
        int i = 0;
        for (Source s : batches) {
            byte[] b = s.bytes();
            for (int r = 0; r < b.length; r += RECORD, i++) {
                labels[i] = b[r] & 0xFF;
                if (labels[i] > 9) throw new DatasetException(s.fileName() + ": record " + r / RECORD + " has label " + labels[i] + ", not 0..9");
                System.arraycopy(b, r + 1, pixels, i * PIXELS, PIXELS);
            }
        }
        return ByteImages.of(name, new int[] {3, 32, 32}, pixels, labels, 10, batches);
    }
}
