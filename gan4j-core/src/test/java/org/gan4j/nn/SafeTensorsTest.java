package org.gan4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    private static int[] bits(Tensor t) {
        float[] v = t.toArray();
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
        return b;
    }

    @Test
    void roundTripIsBitExact() throws IOException {
        float nanPayload = Float.intBitsToFloat(0x7fc01234), negNan = Float.intBitsToFloat(0xffc00001);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("main.0.weight", Tensor.of(new float[] {nanPayload, -0.0f, 0.0f, negNan, Float.MIN_VALUE,
                Float.MAX_VALUE, Float.NEGATIVE_INFINITY, 1.5f}, 2, 2, 2));
        tensors.put("empty", Tensor.zeros(0, 3));
        tensors.put("scalar \"quoted\"\n", Tensor.scalar(-7.25f));
        Map<String, String> metadata = Map.of("format", "pt", "note", "ünïcode \\ \"quotes\"");
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, tensors, metadata);

        byte[] raw = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(raw, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "header padded to a multiple of 8");
        assertEquals(8 + headerLength + 4 * (8 + 0 + 1), raw.length);
        assertEquals(List.of("model.safetensors"), Arrays.stream(dir.toFile().list()).toList(), "no temp file left behind");

        SafeTensors.Contents back = SafeTensors.read(file);
        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(back.tensors().keySet()));
        for (var e : tensors.entrySet()) {
            Tensor t = back.tensors().get(e.getKey());
            assertArrayEquals(e.getValue().shape(), t.shape(), e.getKey());
            assertArrayEquals(bits(e.getValue()), bits(t), e.getKey());
        }
        assertEquals(metadata, back.metadata());
    }

    @Test
    void overwritesAnExistingFile() {
        Path file = dir.resolve("w.safetensors");
        SafeTensors.write(file, Map.of("a", Tensor.ones(3)), Map.of());
        SafeTensors.write(file, Map.of("b", Tensor.full(2f, 2)), Map.of());
        SafeTensors.Contents c = SafeTensors.read(file);
        assertEquals(List.of("b"), List.copyOf(c.tensors().keySet()));
        assertTrue(c.metadata().isEmpty());
    }

    /** A file with this header (padded) followed by {@code data} bytes. */
    private Path file(String name, String header, int data) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + data).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        Path f = dir.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    private void assertCorrupt(Path f, String expected) {
        var e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void int64AndFloat64TensorsAreReadAsFloat32() throws IOException {
        String header = "{\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[8,24]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + 24).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json).putLong(17).putDouble(0.25).putDouble(-3.5);
        Path f = dir.resolve("mixed.safetensors");
        Files.write(f, b.array());
        var t = SafeTensors.read(f).tensors();
        assertEquals(17f, t.get("n").item());
        assertArrayEquals(new float[] {0.25f, -3.5f}, t.get("d").toArray());
    }

    @Test
    void corruptFilesAreRejectedNamingTheFile() throws IOException {
        Path good = dir.resolve("good.safetensors");
        SafeTensors.write(good, Map.of("w", Tensor.ones(4)), Map.of());
        byte[] raw = Files.readAllBytes(good);

        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, Arrays.copyOf(raw, raw.length - 3));
        assertCorrupt(truncated, "truncated");

        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertCorrupt(tiny, "too short");

        Path badLength = dir.resolve("length.safetensors");
        byte[] copy = raw.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        Files.write(badLength, copy);
        assertCorrupt(badLength, "header length 1099511627776");

        assertCorrupt(file("json.safetensors", "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]", 4),
                "not valid JSON");
        assertCorrupt(file("dtype.safetensors", "{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4),
                "dtype F16; gan4j reads F32, F64 and I64");
        assertCorrupt(file("overlap.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "overlaps");
        assertCorrupt(file("gap.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "gap");
        assertCorrupt(file("size.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
                "needs 12 bytes");
        assertCorrupt(file("shape.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4),
                "not a non-negative integer");
        assertCorrupt(file("meta.safetensors", "{\"__metadata__\":{\"k\":1}}", 0), "is not a string");
        assertCorrupt(file("dup.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "duplicate key");
    }
}
