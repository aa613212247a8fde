package org.gan4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What generate and export write where: the format --out's extension names, and one line when a file cannot be written. */
class GenerateFilesTest {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'}, JPEG_MAGIC = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};

    @TempDir
    static Path tmp;
    static Path run;

    @BeforeAll
    static void train() {
        run = tmp.resolve("mlp");
        CommandLine.trainTiny("mlp", run);
    }

    private static CommandLine generate(String out, String... more) {
        String[] args = {"generate", run.toString(), "--count", "4", "--out", tmp.resolve(out).toString()};
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return CommandLine.run(all);
    }

    private static byte[] start(String file, int n) throws IOException {
        return Arrays.copyOf(Files.readAllBytes(tmp.resolve(file)), n);
    }

    @Test
    void theExtensionNamesTheFormat() throws IOException {
        for (String name : new String[] {"grid.png", "grid.jpg", "grid.JPEG", "samples.npy"}) assertEquals(0, generate(name).status(), name);
        assertArrayEquals(PNG_MAGIC, start("grid.png", 4));
        assertArrayEquals(JPEG_MAGIC, start("grid.jpg", 3));
        assertArrayEquals(JPEG_MAGIC, start("grid.JPEG", 3));
        BufferedImage jpeg = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(tmp.resolve("grid.jpg"))));
        BufferedImage png = ImageIO.read(tmp.resolve("grid.png").toFile());
        assertNotNull(jpeg);
        assertEquals(png.getWidth(), jpeg.getWidth());
        assertEquals("\u0093NUMPY", new String(start("samples.npy", 6), java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(0, generate("raw.bin", "--format", "npy").status(), "--format names the format of a file without a known extension");
    }

    @Test
    void otherExtensionsAndContradictionsAreRefused() {
        CommandLine gif = generate("grid.gif");
        assertEquals(1, gif.status());
        assertEquals("gan4j: --out " + tmp.resolve("grid.gif") + ": end it in .png, .jpg or .npy (or give --format)\n", gif.err());
        CommandLine none = generate("grid");
        assertTrue(none.err().contains("end it in .png, .jpg or .npy"), none.err());
        CommandLine both = generate("grid2.png", "--format", "jpg");
        assertEquals(1, both.status());
        assertTrue(both.err().contains("--format jpg but --out " + tmp.resolve("grid2.png") + " names png"), both.err());
        assertTrue(generate("grid3.png", "--format", "tiff").err().contains("--format must be png, jpeg or npy, got 'tiff'"));
        assertFalse(Files.exists(tmp.resolve("grid.gif")) || Files.exists(tmp.resolve("grid2.png")) || Files.exists(tmp.resolve("grid3.png")));
    }

    @Test
    void aMissingFolderIsOneLineThatSaysWhatToDo() {
        for (String out : new String[] {"missing/grid.png", "missing/grid.jpg", "missing/samples.npy"}) {
            CommandLine g = generate(out);
            assertEquals(1, g.status(), out);
            assertEquals("gan4j: cannot write " + tmp.resolve(out) + ": folder " + tmp.resolve("missing") + " does not exist (create it first)\n", g.err(), out);
        }
        CommandLine export = CommandLine.run("export", run.toString(), "--out", tmp.resolve("missing/G.onnx").toString());
        assertEquals(1, export.status());
        assertEquals("gan4j: cannot write " + tmp.resolve("missing/G.onnx") + ": folder " + tmp.resolve("missing") + " does not exist (create it first)\n", export.err());
        CommandLine debug = CommandLine.run("--debug", "export", run.toString(), "--out", tmp.resolve("missing/G.onnx").toString());
        assertEquals(1, debug.status());
        assertTrue(debug.err().startsWith("gan4j: cannot write ") && debug.err().contains("\tat org.gan4j.io.AtomicFile"), debug.err());
    }

    @Test
    void fileSystemErrorsSayWhatWentWrongAndAnythingElseNamesItsType() {
        Path missing = tmp.resolve("nowhere/x.npy");
        assertEquals("cannot read " + missing + ": no such folder " + missing.getParent() + " (create it first)",
                Main.describe(new UncheckedIOException("cannot read " + missing + ": " + missing, new NoSuchFileException(missing.toString()))));
        assertEquals("cannot use " + run + "/nothing: no such file", Main.describe(new NoSuchFileException(run + "/nothing")));
        assertEquals("cannot write /etc/G.onnx: permission denied", Main.describe(new UncheckedIOException("cannot write /etc/G.onnx",
                new IOException("cannot write /etc/G.onnx: AccessDeniedException: /etc/.G.onnx.1.tmp", new AccessDeniedException("/etc/.G.onnx.1.tmp")))));
        assertEquals("cannot write /d/x.png: no space left on device (free some space)",
                Main.describe(new UncheckedIOException("cannot write /d/x.png", new IOException("No space left on device"))));
        assertEquals("cannot use /d/t: no space left on device (free some space)",
                Main.describe(new FileSystemException("/d/t", null, "No space left on device")));
        assertEquals("NullPointerException: Cannot read the array length because \"a\" is null",
                Main.describe(new NullPointerException("Cannot read the array length because \"a\" is null")));
        assertEquals("ArithmeticException", Main.describe(new ArithmeticException()));
        assertEquals("model width must be positive", Main.describe(new IllegalArgumentException("model width must be positive")));
    }
}
