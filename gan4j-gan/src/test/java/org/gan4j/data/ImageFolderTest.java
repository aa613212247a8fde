package org.gan4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path tmp;

    /** 40x20: left half red, right half blue. */
    private static BufferedImage redBlue() {
        BufferedImage img = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 20, 20);
        g.setColor(Color.BLUE);
        g.fillRect(20, 0, 20, 20);
        g.dispose();
        return img;
    }

    private static BufferedImage gray(int w, int h, int value) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, value);
        return img;
    }

    private static void png(BufferedImage img, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    @Test
    void resizesShorterSideAndCropsTheCentre() throws IOException {
        png(redBlue(), tmp.resolve("a.png"));
        Dataset d = ImageFolder.read(tmp, 8, true);
        assertEquals(1, d.size());
        assertArrayEquals(new int[] {3, 8, 8}, d.itemShape());
        assertEquals(0, d.classes());
        assertEquals(-1, d.label(0));
        float[] v = new float[d.itemLength()];
        d.copyItem(0, v, 0);
        // 40x20 -> 16x8; the centre 8 columns are 4 red then 4 blue
        int red = 0, green = 64, blue = 128;
        assertEquals(1f, v[red + 0], 1e-6f);
        assertEquals(-1f, v[blue + 0], 1e-6f);
        assertEquals(-1f, v[red + 7], 1e-6f);
        assertEquals(1f, v[blue + 7], 1e-6f);
        assertEquals(-1f, v[green + 3], 1e-6f);
    }

    @Test
    void grayscaleKeepsGrayLevelsAndConvertsColour() throws IOException {
        png(gray(30, 50, 100), tmp.resolve("g.png"));
        png(redBlue(), tmp.resolve("rb.png"));
        Dataset d = ImageFolder.read(tmp, 10, false);
        assertArrayEquals(new int[] {1, 10, 10}, d.itemShape());
        float[] v = new float[d.itemLength()];
        d.copyItem(0, v, 0); // g.png sorts first
        for (float x : v) assertEquals(100 / 127.5f - 1f, x, 1.5f / 127.5f);
        d.copyItem(1, v, 0);
        assertTrue(v[0] > -1f && v[0] < 0.2f, "red becomes a dark gray, was " + v[0]);
    }

    @Test
    void subDirectoriesAreClasses() throws IOException {
        png(gray(8, 8, 10), tmp.resolve("cats/1.png"));
        png(gray(8, 8, 20), tmp.resolve("dogs/x/2.png"));
        png(gray(8, 8, 30), tmp.resolve("cats/3.png"));
        Dataset d = ImageFolder.read(tmp, 4, false);
        assertEquals(2, d.classes());
        assertArrayEquals(new int[] {0, 0, 1}, new int[] {d.label(0), d.label(1), d.label(2)});
    }

    @Test
    void unreadableFileIsNamed() throws IOException {
        png(gray(8, 8, 10), tmp.resolve("ok.png"));
        Path bad = Files.writeString(tmp.resolve("zz.jpg"), "not an image");
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.read(tmp, 4, true));
        assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
    }
}
