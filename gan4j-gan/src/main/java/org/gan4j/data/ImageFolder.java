package org.gan4j.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * PNG and JPEG files under a directory, each scaled so its shorter side is {@code size} and
 * cropped to the centre square. When the directory has sub-directories, the first one on a
 * file's path names its class (classes numbered in sorted order); otherwise the set is unlabelled.
 */
public final class ImageFolder {

    private ImageFolder() {}

    public static Dataset read(Path dir, int size, boolean rgb) {
        if (!Files.isDirectory(dir)) throw new DatasetException(dir + ": not a directory");
        if (size <= 0) throw new IllegalArgumentException("size must be positive, was " + size);
        List<Path> files = imageFiles(dir);
        if (files.isEmpty()) throw new DatasetException(dir + ": no .png, .jpg or .jpeg files");

        List<String> classNames = files.stream().map(f -> dir.relativize(f))
                .filter(r -> r.getNameCount() > 1).map(r -> r.getName(0).toString()).distinct().sorted().toList();
        int channels = rgb ? 3 : 1;
        int itemLength = channels * size * size;
        byte[] pixels = new byte[files.size() * itemLength];
        int[] labels = classNames.isEmpty() ? null : new int[files.size()];
        MessageDigest sha = Source.digest("SHA-256");

        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            Source src = Source.of(file);
            sha.update(src.bytes());
            BufferedImage square = centreCrop(decode(src), size, rgb);
            copyPlanes(square.getRaster(), channels, size, pixels, i * itemLength);
            if (labels != null) {
                Path rel = dir.relativize(file);
                if (rel.getNameCount() == 1) {
                    throw new DatasetException(file + ": outside every class directory of " + dir + " (it has class sub-directories)");
                }
                labels[i] = classNames.indexOf(rel.getName(0).toString());
            }
        }
        return new ByteImages("images:" + dir.getFileName(), new int[] {channels, size, size}, pixels, labels,
                classNames.size(), List.of(dir.toString()), HexFormat.of().formatHex(sha.digest()));
    }

    private static List<Path> imageFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(ImageFolder::isImage).sorted().toList();
        } catch (IOException e) {
            throw new DatasetException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    private static BufferedImage decode(Source src) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(src.bytes()));
            if (img == null) throw new DatasetException(src.location() + ": not a readable PNG or JPEG image");
            return img;
        } catch (IOException e) {
            throw new DatasetException(src.location() + ": cannot decode image: " + e.getMessage(), e);
        }
    }

    /** Bilinear scaling of the shorter side to {@code size}, drawn so that the centre square lands on the canvas. */
    static BufferedImage centreCrop(BufferedImage img, int size, boolean rgb) {
        double scale = (double) size / Math.min(img.getWidth(), img.getHeight());
        int w = Math.max(size, (int) Math.round(img.getWidth() * scale));
        int h = Math.max(size, (int) Math.round(img.getHeight() * scale));
        // Drawing into a gray or RGB canvas lets Java2D do the colour conversion; samples are read raw.
        BufferedImage out = new BufferedImage(size, size, rgb ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.drawImage(img, -(w - size) / 2, -(h - size) / 2, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Writes the raster as channel planes (CHW), as the networks expect. */
    private static void copyPlanes(Raster r, int channels, int size, byte[] dst, int offset) {
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) dst[offset + (c * size + y) * size + x] = (byte) r.getSample(x, y, c);
            }
        }
    }
}
