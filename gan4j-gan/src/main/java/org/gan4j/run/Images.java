package org.gan4j.run;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.gan4j.io.AtomicFile;
import org.gan4j.tensor.Tensor;

/** Turns image batches [n, c, h, w] in [-1, 1] into pictures. */
public final class Images {
    private static final int GAP = 2;

    private Images() {
    }

    /** A grid with {@code columns} images per row (gray gaps between them), small images enlarged. */
    public static BufferedImage grid(Tensor images, int columns) {
        int[] s = images.shape();
        if (s.length != 4 || (s[1] != 1 && s[1] != 3)) {
            throw new IllegalArgumentException("grid: expected images [n, 1 or 3, h, w], got " + Tensor.shapeString(s));
        }
        int n = s[0], c = s[1], h = s[2], w = s[3];
        int zoom = Math.max(1, 64 / Math.max(h, w));   // 28×28 digits are shown at 56×56
        int rows = (n + columns - 1) / columns;
        BufferedImage out = new BufferedImage(columns * (w * zoom + GAP) + GAP, rows * (h * zoom + GAP) + GAP, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) for (int x = 0; x < out.getWidth(); x++) out.setRGB(x, y, 0x404040);
        float[] v = images.toArray();
        for (int i = 0; i < n; i++) {
            int ox = GAP + (i % columns) * (w * zoom + GAP), oy = GAP + (i / columns) * (h * zoom + GAP);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int base = i * c * h * w + y * w + x;
                    int r = toByte(v[base]);
                    int g = c == 3 ? toByte(v[base + h * w]) : r;
                    int b = c == 3 ? toByte(v[base + 2 * h * w]) : r;
                    for (int dy = 0; dy < zoom; dy++) {
                        for (int dx = 0; dx < zoom; dx++) out.setRGB(ox + x * zoom + dx, oy + y * zoom + dy, (r << 16) | (g << 8) | b);
                    }
                }
            }
        }
        return out;
    }

    /** A square-ish grid. */
    public static BufferedImage grid(Tensor images) {
        return grid(images, (int) Math.ceil(Math.sqrt(images.size(0))));
    }

    private static int toByte(float v) {
        return Math.round(Math.max(0f, Math.min(1f, (v + 1f) / 2f)) * 255f);
    }

    public static void writePng(BufferedImage image, Path file) {
        try {
            AtomicFile.write(file, png(image));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(image, "png", bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a PNG", e);
        }
    }

    /** An endlessly looping animated GIF, {@code delayMs} per frame. */
    public static void writeGif(List<BufferedImage> frames, int delayMs, Path file) {
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.prepareWriteSequence(null);
                for (BufferedImage frame : frames) {
                    IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
                    String format = meta.getNativeMetadataFormatName();
                    IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
                    IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
                    control.setAttribute("disposalMethod", "none");
                    control.setAttribute("userInputFlag", "FALSE");
                    control.setAttribute("transparentColorFlag", "FALSE");
                    control.setAttribute("delayTime", Integer.toString(delayMs / 10));
                    control.setAttribute("transparentColorIndex", "0");
                    root.appendChild(control);
                    IIOMetadataNode apps = new IIOMetadataNode("ApplicationExtensions");
                    IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
                    loop.setAttribute("applicationID", "NETSCAPE");
                    loop.setAttribute("authenticationCode", "2.0");
                    loop.setUserObject(new byte[] {1, 0, 0});   // loop forever
                    apps.appendChild(loop);
                    root.appendChild(apps);
                    meta.setFromTree(format, root);
                    writer.writeToSequence(new IIOImage(frame, null, meta), null);
                }
                writer.endWriteSequence();
            }
            AtomicFile.write(file, bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
