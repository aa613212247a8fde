package org.gan4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10Test {
    @TempDir
    Path tmp;

    /** Record r: label r % 10, red plane all r, green all 255, blue plane 0. */
    private static byte[] records(int n) {
        byte[] b = new byte[n * Cifar10.RECORD];
        for (int r = 0; r < n; r++) {
            int at = r * Cifar10.RECORD;
            b[at] = (byte) (r % 10);
            for (int k = 0; k < 1024; k++) {
                b[at + 1 + k] = (byte) r;
                b[at + 1 + 1024 + k] = (byte) 255;
            }
        }
        return b;
    }

    @Test
    void readsLabelsAndChannelPlanes() throws IOException {
        Path f = TestData.write(tmp, "test_batch.bin", records(3));
        Dataset d = Cifar10.test(tmp);
        assertEquals(3, d.size());
        assertArrayEquals(new int[] {3, 32, 32}, d.itemShape());
        assertEquals(2, d.label(2));
        float[] v = new float[d.itemLength()];
        d.copyItem(2, v, 0);
        assertEquals(2 / 127.5f - 1f, v[0], 1e-6f);
        assertEquals(1f, v[1024]);
        assertEquals(-1f, v[2048]);
        assertTrue(d.describe().contains(f.toString()));
    }

    @Test
    void batchesConcatenateInOrder() throws IOException {
        Path a = TestData.write(tmp, "a.bin", records(2));
        Path b = TestData.write(tmp, "b.bin", records(5));
        Dataset d = Cifar10.read("two", a, b);
        assertEquals(7, d.size());
        assertEquals(4, d.label(6)); // record 4 of the second file
    }

    @Test
    void unpacksTheBatchesFromATarGz() throws IOException {
        byte[] member = records(4);
        byte[] header = new byte[512];
        byte[] name = "cifar-10-batches-bin/test_batch.bin".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, header, 0, name.length);
        byte[] size = String.format("%011o", member.length).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(size, 0, header, 124, size.length);
        header[156] = '0';
        java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
        tar.write(header);
        tar.write(member);
        tar.write(new byte[(512 - member.length % 512) % 512 + 1024]); // padding, then the two end blocks
        Path archive = TestData.write(tmp, "cifar.tar.gz", TestData.gzip(tar.toByteArray()));
        Path out = tmp.resolve("out");
        Tar.extract(archive, out, n -> n.endsWith(".bin"));
        Dataset d = Cifar10.test(out);
        assertEquals(4, d.size());
        assertEquals(3, d.label(3));
    }

    @Test
    void partialRecordIsAnError() throws IOException {
        byte[] full = records(2);
        Path f = TestData.write(tmp, "data_batch_1.bin", java.util.Arrays.copyOf(full, full.length - 1));
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10.read("bad", f));
        assertTrue(e.getMessage().startsWith("data_batch_1.bin: 6145 bytes is not a whole number of 3073-byte records"), e.getMessage());
    }
}
