package org.gan4j.io;

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
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    /** Written by src/test/python/make_npy.py with numpy. */
    private static final Path NUMPY_FILES = Path.of("src/test/resources/npy");

    @TempDir
    Path dir;

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
        return b;
    }

    /** The values make_npy.py writes to f32_3d.npy: i * 0.25 - 2.5. */
    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i * 0.25f - 2.5f;
        return v;
    }

    private static String message(Path file) {
        return assertThrows(IllegalArgumentException.class, () -> Npy.read(file)).getMessage();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void roundTripIsBitExactForAnyShape() {
        float nan = Float.intBitsToFloat(0x7fc01234);
        float[] special = {nan, -0.0f, 0.0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, 1.5f, -3e-7f};
        List<Tensor> tensors = List.of(Tensor.of(special, 2, 2, 2), Tensor.of(special, 8), Tensor.of(special, 1, 2, 1, 4, 1),
                Tensor.scalar(-7.25f), Tensor.zeros(0, 3), Tensor.of(ramp(200_003), 200_003));
        for (Tensor t : tensors) {
            Path file = dir.resolve("t.npy");
            Npy.write(file, t);
            Tensor back = Npy.read(file);
            String what = Arrays.toString(t.shape());
            assertArrayEquals(t.shape(), back.shape(), what);
            assertArrayEquals(bits(t.toArray()), bits(back.toArray()), what);
        }
    }

    @Test
    void writesTheSameBytesAsNumpy() throws IOException {
        Path file = dir.resolve("samples.npy");
        Npy.write(file, Tensor.of(ramp(24), 2, 3, 4));
        assertArrayEquals(Files.readAllBytes(NUMPY_FILES.resolve("f32_3d.npy")), Files.readAllBytes(file));
        assertEquals(List.of("samples.npy"), Arrays.asList(dir.toFile().list()), "no temp file left behind");
    }

    @Test
    void headerIsPaddedSoTheDataIs64ByteAligned() {
        for (int[] shape : List.of(new int[0], new int[] {5}, new int[] {10000, 1, 28, 28}, new int[16])) {
            byte[] header = Npy.header("<f4", shape);
            int length = ByteBuffer.wrap(header, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF;
            assertEquals(0, header.length % 64, Arrays.toString(shape));
            assertEquals(header.length, 10 + length);
            assertEquals('\n', header[header.length - 1]);
        }
        String dict = new String(Npy.header("<f4", new int[] {7}), StandardCharsets.US_ASCII).substring(10).strip();
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (7,), }", dict, "a one-element tuple keeps its comma");
    }

    @Test
    void readsWhatNumpyWrites() {
        Tensor f32 = Npy.read(NUMPY_FILES.resolve("f32_3d.npy"));
        assertArrayEquals(new int[] {2, 3, 4}, f32.shape());
        assertArrayEquals(ramp(24), f32.toArray());

        Tensor v2 = Npy.read(NUMPY_FILES.resolve("f32_v2.npy"));
        assertArrayEquals(new int[] {2, 3, 4}, v2.shape(), "format version 2.0");
        assertArrayEquals(ramp(24), v2.toArray());

        Tensor scalar = Npy.read(NUMPY_FILES.resolve("f32_scalar.npy"));
        assertArrayEquals(new int[0], scalar.shape());
        assertEquals(1.5f, scalar.item());
        assertArrayEquals(new int[] {0, 3}, Npy.read(NUMPY_FILES.resolve("f32_empty.npy")).shape());

        Tensor f64 = Npy.read(NUMPY_FILES.resolve("f64_2d.npy"));
        assertArrayEquals(new int[] {2, 3}, f64.shape());
        assertArrayEquals(new float[] {(float) 0.1, -2.5f, (float) 3.141592653589793, (float) 1e-3, 0f, 65504f}, f64.toArray());

        assertArrayEquals(new int[] {0, 1, 2, 9, 3, 7, 5}, Npy.readInts(NUMPY_FILES.resolve("i64_1d.npy")));
        assertArrayEquals(new int[] {4, -1, Integer.MAX_VALUE}, Npy.readInts(NUMPY_FILES.resolve("i32_1d.npy")));
    }

    @Test
    void refusesFortranOrderAndOtherDtypesNamingThem() {
        Path fortran = NUMPY_FILES.resolve("fortran.npy");
        String m = message(fortran);
        assertTrue(m.startsWith(fortran + ": ") && m.contains("Fortran"), m);

        Path bigEndian = NUMPY_FILES.resolve("big_endian.npy");
        m = message(bigEndian);
        assertTrue(m.startsWith(bigEndian + ": ") && m.contains("'>f4'") && m.contains("'<f4' or '<f8'"), m);

        Path labels = NUMPY_FILES.resolve("i64_1d.npy");
        m = message(labels);
        assertTrue(m.contains("'<i8'") && m.contains("readInts"), m);

        Path floats = NUMPY_FILES.resolve("f32_3d.npy");
        m = assertThrows(IllegalArgumentException.class, () -> Npy.readInts(floats)).getMessage();
        assertTrue(m.contains("'<f4'") && m.contains("'<i8' or '<i4'"), m);
    }

    @Test
    void refusesATruncatedFile() throws IOException {
        byte[] whole = Files.readAllBytes(NUMPY_FILES.resolve("f32_3d.npy"));
        String m = message(file("short-data.npy", Arrays.copyOf(whole, whole.length - 1)));
        assertTrue(m.contains("truncated") && m.contains("needs 96 bytes of data but the file holds 95"), m);
        m = message(file("short-header.npy", Arrays.copyOf(whole, 60)));
        assertTrue(m.contains("truncated") && m.contains("header"), m);
        m = message(file("magic-only.npy", Arrays.copyOf(whole, 7)));
        assertTrue(m.contains("truncated"), m);
    }

    @Test
    void refusesBadMagicVersionsAndMalformedHeaders() throws IOException {
        byte[] good = Npy.header("<f4", new int[] {1});
        String m = message(file("png.npy", "\u0089PNG\r\n\u001a\n and more".getBytes(StandardCharsets.ISO_8859_1)));
        assertTrue(m.contains("not a .npy file"), m);
        assertTrue(message(file("empty.npy", new byte[0])).contains("truncated"));

        byte[] version = Arrays.copyOf(good, good.length + 4);
        version[6] = 4;
        m = message(file("v4.npy", version));
        assertTrue(m.contains("unsupported .npy format version 4.0"), m);

        for (String header : List.of("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), ",   // unclosed
                "{'descr': '<f4', 'fortran_order': False}",                                         // no shape
                "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (1.5,)}",
                "['descr', '<f4']",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} trailing")) {
            byte[] bytes = withHeader(header, 4);
            m = message(file("bad.npy", bytes));
            assertTrue(m.contains("malformed header"), header + " -> " + m);
        }
        m = message(file("huge.npy", withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536)}", 4)));
        assertTrue(m.contains("more than 2^31 values"), m);
        m = message(file("struct.npy", withHeader("{'descr': [('x', '<f4'), ('y', '<f4')], 'fortran_order': False, 'shape': (1,)}", 8)));
        assertTrue(m.contains("structured dtype"), m);
    }

    @Test
    void acceptsPythonTwoStyleIntegersAndAnyKeyOrder() throws IOException {
        Path file = file("old.npy", withHeader("{\"shape\": (2L, 1L), \"fortran_order\": False, \"descr\": \"<f4\"}", 8));
        Tensor t = Npy.read(file);
        assertArrayEquals(new int[] {2, 1}, t.shape());
        assertArrayEquals(new float[] {0f, 0f}, t.toArray());
    }

    @Test
    void refusesIntegersThatDoNotFitAnInt() throws IOException {
        byte[] bytes = withHeader("{'descr': '<i8', 'fortran_order': False, 'shape': (1,)}", 8);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(bytes.length - 8, 1L << 40);
        Path file = file("big.npy", bytes);
        String m = assertThrows(IllegalArgumentException.class, () -> Npy.readInts(file)).getMessage();
        assertTrue(m.contains("1099511627776") && m.contains("does not fit"), m);
    }

    @Test
    void numpyReadsWhatGan4jWrites() throws Exception {
        String python = pythonWithNumpy();
        Assumptions.assumeTrue(python != null, "no python3 with numpy here (apt-get install python3-numpy): the check by numpy itself is skipped");
        float[] values = {Float.intBitsToFloat(0x7fc01234), -0.0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, 1.5f};
        Path file = dir.resolve("samples.npy");
        Npy.write(file, Tensor.of(values, 3, 1, 2));
        String script = "import sys, numpy as np\n"
                + "a = np.load(sys.argv[1], allow_pickle=False)\n"
                + "assert a.dtype == np.dtype('<f4') and a.flags.c_contiguous, a.dtype\n"
                + "print(a.shape, a.tobytes().hex())\n";
        Process p = new ProcessBuilder(python, "-c", script, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        ByteBuffer expected = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) expected.putFloat(v);
        assertEquals("(3, 1, 2) " + HexFormat.of().formatHex(expected.array()), out);
    }

    /** Magic, version 1.0 and {@code header} unpadded, then {@code dataBytes} zero bytes. */
    private static byte[] withHeader(String header, int dataBytes) {
        byte[] text = (header + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(10 + text.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) text.length).put(text);
        return b.array();
    }

    /** The first python3 that imports numpy: the one on the PATH, then the system's. */
    private static String pythonWithNumpy() {
        for (String python : Stream.of("python3", "/usr/bin/python3", "/usr/local/bin/python3").distinct().toList()) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import numpy").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return python;
            } catch (IOException e) {
                // not installed there
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }
}
