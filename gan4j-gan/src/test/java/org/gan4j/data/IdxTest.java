package org.gan4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path tmp;

    @Test
    void train10kHasTheKnownCountsShapeAndLabels() {
        Dataset d = TestData.train10k();
        assertEquals(10000, d.size());
        assertArrayEquals(new int[] {1, 28, 28}, d.itemShape());
        assertEquals(10, d.classes());
        int[] histogram = new int[10];
        for (int i = 0; i < d.size(); i++) histogram[d.label(i)]++;
        assertArrayEquals(new int[] {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}, histogram);
    }

    @Test
    void valuesSpanMinusOneToOne() {
        Dataset d = TestData.train10k();
        float[] all = new float[d.size() * d.itemLength()];
        for (int i = 0; i < d.size(); i++) d.copyItem(i, all, i * d.itemLength());
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float v : all) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(-1f, min);
        assertEquals(1f, max);
    }

    @Test
    void shippedTestDigitsAreTheOfficialFiles() {
        Dataset d = Datasets.mnistShipped();
        assertEquals(10000, d.size());
        assertArrayEquals(new int[] {1, 28, 28}, d.itemShape());
        assertEquals(10, d.classes());
        assertEquals(7, d.label(0)); // the first official test digit is a 7
        assertTrue(d.describe().contains("classpath:"), d.describe());
        Path dir = TestData.mnistDir();
        Dataset fromFiles = Idx.read("t10k", dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertEquals(fromFiles.checksum(), d.checksum());
    }

    @Test
    void readsRawFilesByContentNotName() throws IOException {
        byte[] pixels = {0, (byte) 255, (byte) 128, 64, 1, 2};
        // gzipped content under a plain name and raw content under a .gz name
        Path images = TestData.write(tmp, "images", TestData.gzip(TestData.idx(2051, new int[] {1, 2, 3}, pixels)));
        Path labels = TestData.write(tmp, "labels.gz", TestData.idx(2049, new int[] {1}, new byte[] {4}));
        Dataset d = Idx.read("tiny", images, labels);
        assertArrayEquals(new int[] {1, 2, 3}, d.itemShape());
        assertEquals(4, d.label(0));
        float[] v = new float[6];
        d.copyItem(0, v, 0);
        assertEquals(-1f, v[0]);
        assertEquals(1f, v[1]);
        assertEquals(128 / 127.5f - 1f, v[2], 1e-6f);
    }

    @Test
    void truncatedImagesNameTheFileAndTheShortfall() throws IOException {
        Path images = TestData.write(tmp, "t10k-images-idx3-ubyte.gz",
                TestData.gzip(TestData.idx(2051, new int[] {10000, 28, 28}, new byte[1234])));
        Path labels = TestData.write(tmp, "labels", TestData.idx(2049, new int[] {10000}, new byte[10000]));
        DatasetException e = assertThrows(DatasetException.class, () -> Idx.read("x", images, labels));
        assertEquals("t10k-images-idx3-ubyte.gz: truncated: header says 10000 images of 28x28 = 7840000 bytes, file has 1234",
                e.getMessage());
    }

    @Test
    void trailingBytesAreAnError() throws IOException {
        Path images = TestData.write(tmp, "img", TestData.idx(2051, new int[] {1, 2, 2}, new byte[5]));
        Path labels = TestData.write(tmp, "lab", TestData.idx(2049, new int[] {1}, new byte[1]));
        DatasetException e = assertThrows(DatasetException.class, () -> Idx.read("x", images, labels));
        assertTrue(e.getMessage().startsWith("img: too long"), e.getMessage());
    }

    @Test
    void wrongMagicIsNamed() throws IOException {
        Path images = TestData.write(tmp, "img", TestData.idx(2049, new int[] {1, 2, 2}, new byte[4]));
        Path labels = TestData.write(tmp, "lab", TestData.idx(2049, new int[] {1}, new byte[1]));
        DatasetException e = assertThrows(DatasetException.class, () -> Idx.read("x", images, labels));
        assertTrue(e.getMessage().startsWith("img: wrong magic number 0x00000801, expected 0x00000803"), e.getMessage());
    }

    @Test
    void labelCountMustMatchImageCount() throws IOException {
        Path images = TestData.write(tmp, "img", TestData.idx(2051, new int[] {2, 2, 2}, new byte[8]));
        Path labels = TestData.write(tmp, "lab", TestData.idx(2049, new int[] {3}, new byte[3]));
        DatasetException e = assertThrows(DatasetException.class, () -> Idx.read("x", images, labels));
        assertEquals("lab: 3 labels, but img holds 2 images", e.getMessage());
    }

    @Test
    void truncatedGzipStreamIsAnError() throws IOException {
        byte[] gz = TestData.gzip(TestData.idx(2051, new int[] {100, 28, 28}, new byte[78400]));
        byte[] cut = java.util.Arrays.copyOf(gz, gz.length / 2);
        Path images = TestData.write(tmp, "img.gz", cut);
        Path labels = TestData.write(tmp, "lab", TestData.idx(2049, new int[] {100}, new byte[100]));
        DatasetException e = assertThrows(DatasetException.class, () -> Idx.read("x", images, labels));
        assertTrue(e.getMessage().startsWith("img.gz: broken gzip stream"), e.getMessage());
    }
}
