package org.gan4j.cli;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.gan4j.tensor.Tensor;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/** The picture of a batch of samples: an image grid, or a scatter plot for 2-D points. */
public final class Samples {
    private Samples() {
    }

    public static BufferedImage picture(Tensor samples) {
        if (samples.dim() == 2 && samples.size(1) == 2) return scatter(samples);
        return Images.grid(samples);
    }

    private static BufferedImage scatter(Tensor points) {
        float[] v = points.toArray();
        List<Double> x = new ArrayList<>(), y = new ArrayList<>();
        for (int i = 0; i < v.length; i += 2) {
            x.add((double) v[i]);
            y.add((double) v[i + 1]);
        }
        XYChart chart = new XYChartBuilder().width(480).height(480).title("samples").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setLegendVisible(false);
        chart.addSeries("G(z)", x, y);
        return BitmapEncoder.getBufferedImage(chart);
    }
}
