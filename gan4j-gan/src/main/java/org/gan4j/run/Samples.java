package org.gan4j.run;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import org.gan4j.tensor.Tensor;

/** The picture of a batch of samples: an image grid, or a scatter plot for 2-D points. */
public final class Samples {
    private static final int SIZE = 480, MARGIN = 24;

    private Samples() {
    }

    public static BufferedImage picture(Tensor samples) {
        if (samples.dim() == 2 && samples.size(1) == 2) return scatter(samples.toArray());
        return Images.grid(samples);
    }

    /** Points on square axes that hold them all and the square [-1, 1]², with the axes through 0. */
    private static BufferedImage scatter(float[] xy) {
        double extent = 1;
        for (float v : xy) if (Float.isFinite(v)) extent = Math.max(extent, Math.abs(v));
        double scale = (SIZE / 2.0 - MARGIN) / (extent * 1.05);
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, SIZE, SIZE);
        g.setColor(Color.LIGHT_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawLine(MARGIN, SIZE / 2, SIZE - MARGIN, SIZE / 2);
        g.drawLine(SIZE / 2, MARGIN, SIZE / 2, SIZE - MARGIN);
        g.setColor(new Color(31, 119, 180));
        for (int i = 0; i + 1 < xy.length; i += 2) {
            if (!Float.isFinite(xy[i]) || !Float.isFinite(xy[i + 1])) continue;
            int px = (int) Math.round(SIZE / 2.0 + xy[i] * scale), py = (int) Math.round(SIZE / 2.0 - xy[i + 1] * scale);
            g.fillOval(px - 2, py - 2, 4, 4);
        }
        g.dispose();
        return image;
    }
}
