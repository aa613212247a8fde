package org.gan4j.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** A folder of images trains at the size and channels of the model, and a model that cannot take it is refused early. */
class FolderRunTest {
    @TempDir
    Path tmp;

    /** Six 40×30 pictures, each a coloured disc on a different background, so crops and colours differ. */
    private Path folder() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("pictures"));
        for (int i = 0; i < 6; i++) {
            BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(new Color(40 * i, 255 - 40 * i, 120));
            g.fillRect(0, 0, 40, 30);
            g.setColor(Color.WHITE);
            g.fillOval(5 + 3 * i, 5, 15, 15);
            g.dispose();
            ImageIO.write(img, "png", dir.resolve("p" + i + ".png").toFile());
        }
        return dir;
    }

    private RunBuilder tiny(String model, Path data, String name) {
        return GanRun.builder().model(model).data(data.toString()).batchSize(4).steps(2).directory(tmp.resolve(name));
    }

    @Test
    void dcgan28LearnsAFolderInGrayscaleAt28AndResumesAtIt() throws IOException {
        Path data = folder();
        GanRun run = tiny("dcgan28", data, "gray").widths(4, 0, 1).build();
        assertArrayEquals(new int[] {1, 28, 28}, run.data().itemShape());
        assertEquals(28, run.config().imageSize());
        assertEquals(1, run.config().channels());
        run.fit();

        GanRun resumed = GanRun.builder().resume(tmp.resolve("gray")).steps(3).build();
        assertArrayEquals(new int[] {1, 28, 28}, resumed.data().itemShape(), "the folder reopens as it was trained");
        resumed.fit();
        assertEquals(3, new RunDirectory(tmp.resolve("gray")).readConfig().steps());
    }

    @Test
    void dcgan64LearnsAFolderInColourAt64AndAnOlderRunWithoutASizeResumesAtTheModels() throws IOException {
        Path data = folder();
        GanRun run = tiny("dcgan64", data, "colour").widths(4, 0, 0).build();
        assertArrayEquals(new int[] {3, 64, 64}, run.data().itemShape());
        run.fit();

        // config.json from before the image size was recorded: the field is absent, so it reads 0, "the model's"
        Path config = tmp.resolve("colour/config.json");
        String json = Files.readString(config);
        assertTrue(json.contains("\"imageSize\""));
        Files.writeString(config, json.replaceAll(",\\s*\"imageSize\"\\s*:\\s*64", ""));
        assertEquals(0, new RunDirectory(tmp.resolve("colour")).readConfig().imageSize());
        GanRun resumed = GanRun.builder().resume(tmp.resolve("colour")).steps(3).build();
        assertArrayEquals(new int[] {3, 64, 64}, resumed.data().itemShape());
        resumed.fit();
    }

    @Test
    void theMlpReadsAFolderInGrayscaleByItself() throws IOException {
        GanRun run = tiny("mlp", folder(), "mlp").mlp(new int[] {8}, new int[] {8}, null).build();
        assertArrayEquals(new int[] {1, 28, 28}, run.data().itemShape());
    }

    @Test
    void aSizeOrChannelCountTheModelCannotTakeIsRefusedBeforeTheRunDirectoryExists() throws IOException {
        Path data = folder();
        var size = assertThrows(IllegalArgumentException.class, () -> tiny("dcgan28", data, "big").widths(4, 0, 1).imageSize(32).build());
        assertEquals("model dcgan28 makes 28×28 images, not 32×32", size.getMessage());
        assertFalse(Files.exists(tmp.resolve("big")));
        var channels = assertThrows(IllegalArgumentException.class, () -> tiny("mlp", data, "rgb").widths(0, 0, 3).build());
        assertEquals("model mlp makes 1-channel images, not 3", channels.getMessage());
        assertFalse(Files.exists(tmp.resolve("rgb")));
        assertThrows(IllegalArgumentException.class, () -> tiny("mlp2d", data, "points").build());
        var named = assertThrows(IllegalArgumentException.class, () -> tiny("dcgan28", data, "named").data("mnist-test").imageSize(64).build());
        assertEquals("the image size is chosen for folders only; mnist-test has 28×28 images", named.getMessage());
    }

    @Test
    void theResidualModelsTakeTheirOwnSizeOnly() throws IOException {
        Path data = folder();
        var small = assertThrows(IllegalArgumentException.class, () -> tiny("resnet28", data, "r28").widths(8, 0, 3).imageSize(64).build());
        assertEquals("model resnet28 makes 28×28 images, not 64×64", small.getMessage());
        var large = assertThrows(IllegalArgumentException.class, () -> tiny("resnet64", data, "r64").widths(8, 0, 3).imageSize(28).build());
        assertEquals("model resnet64 makes 64×64 images, not 28×28", large.getMessage());
        assertFalse(Files.exists(tmp.resolve("r28")) || Files.exists(tmp.resolve("r64")));
        GanRun run = tiny("resnet64", data, "colour").widths(8, 0, 0).build();
        assertArrayEquals(new int[] {3, 64, 64}, run.data().itemShape());
        run.fit();
        assertEquals(2, run.history().size());
    }
}
