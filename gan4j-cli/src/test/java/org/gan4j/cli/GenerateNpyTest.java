package org.gan4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gan4j.io.Npy;
import org.gan4j.run.TrainedGenerator;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** generate's raw samples: --format npy out, --latents and --labels in, and the errors for files that do not fit. */
class GenerateNpyTest {
    @TempDir
    static Path tmp;
    static Path run;

    @BeforeAll
    static void train() {
        run = tmp.resolve("cgan");
        CommandLine.trainTiny("cgan-mlp", run);
    }

    @Test
    void samplesAsNpyAreTheGeneratorsOwnWithoutTheGridsUpscaling() {
        Path out = tmp.resolve("samples.npy");
        CommandLine g = CommandLine.run("generate", run.toString(), "--count", "12", "--seed", "3", "--out", out.toString());
        assertEquals(0, g.status(), g.err());
        Tensor samples = Npy.read(out);
        assertArrayEquals(new int[] {12, 1, 28, 28}, samples.shape());
        assertArrayEquals(TrainedGenerator.load(run).sample(12, 3).toArray(), samples.toArray());
        for (float v : samples.toArray()) assertTrue(v >= -1 && v <= 1, "tanh output in [-1, 1]: " + v);
    }

    @Test
    void moreSamplesThanAGridHoldsComeAsNpyOnly() {
        Path npy = tmp.resolve("many.npy"), png = tmp.resolve("many.png");
        CommandLine g = CommandLine.run("generate", run.toString(), "--count", "12000", "--out", npy.toString());
        assertEquals(0, g.status(), g.err());
        assertArrayEquals(new int[] {12000, 1, 28, 28}, Npy.read(npy).shape());
        CommandLine grid = CommandLine.run("generate", run.toString(), "--count", "12000", "--out", png.toString());
        assertEquals(1, grid.status());
        assertTrue(grid.err().contains("between 1 and 10000 for png"), grid.err());
        CommandLine tooMany = CommandLine.run("generate", run.toString(), "--count", "50001", "--out", npy.toString());
        assertTrue(tooMany.err().contains("between 1 and 50000 for npy"), tooMany.err());
    }

    @Test
    void givenLatentsAndLabelsAreWhatTheSamplesAreMadeOf() {
        TrainedGenerator m = TrainedGenerator.load(run);
        Tensor z = Tensor.randn(Rng.seeded(9), 5, m.generator().latentDim());
        int[] y = {3, 1, 4, 1, 5};
        Path zFile = tmp.resolve("z.npy"), yFile = tmp.resolve("y.npy"), out = tmp.resolve("given.npy");
        Npy.write(zFile, z);
        Npy.write(yFile, Tensor.of(new float[] {3, 1, 4, 1, 5}, 5));   // a float array of whole numbers is not labels
        CommandLine floats = CommandLine.run("generate", run.toString(), "--latents", zFile.toString(), "--labels", yFile.toString(), "--out", out.toString());
        assertEquals(1, floats.status());
        assertTrue(floats.err().contains("y.npy"), floats.err());

        writeInt64(yFile, y);
        CommandLine g = CommandLine.run("generate", run.toString(), "--latents", zFile.toString(), "--labels", yFile.toString(), "--out", out.toString());
        assertEquals(0, g.status(), g.err());
        assertArrayEquals(m.generate(z, y).toArray(), Npy.read(out).toArray());
    }

    @Test
    void latentsOfTheWrongWidthOrLabelsOutOfRangeAreRefused() {
        Path zFile = tmp.resolve("narrow.npy"), yFile = tmp.resolve("big.npy");
        Npy.write(zFile, Tensor.zeros(4, 7));
        CommandLine narrow = CommandLine.run("generate", run.toString(), "--latents", zFile.toString(), "--out", tmp.resolve("x.npy").toString());
        assertEquals(1, narrow.status());
        assertTrue(narrow.err().contains("[4, 7]") && narrow.err().contains("takes [n, 100]"), narrow.err());

        Npy.write(zFile, Tensor.zeros(2, 100));
        writeInt64(yFile, new int[] {0, 10});
        CommandLine big = CommandLine.run("generate", run.toString(), "--latents", zFile.toString(), "--labels", yFile.toString(),
                "--out", tmp.resolve("x.npy").toString());
        assertEquals(1, big.status());
        assertTrue(big.err().contains("class 10 out of range"), big.err());
    }

    /** A little-endian int64 .npy of one dimension, as numpy.save writes labels. */
    private static void writeInt64(Path file, int[] values) {
        String header = "{'descr': '<i8', 'fortran_order': False, 'shape': (" + values.length + ",), }";
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        var buf = java.nio.ByteBuffer.allocate(10 + header.length() + 8 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 0x93).put("NUMPY".getBytes()).put((byte) 1).put((byte) 0).putShort((short) header.length()).put(header.getBytes());
        for (int v : values) buf.putLong(v);
        try {
            Files.write(file, buf.array());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
