package org.gan4j.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.gan4j.run.Images;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Charts of a run's curves, drawn with XChart. */
public final class Plots {
    /** Ten colours that stay apart when many lines share a chart (matplotlib's "tab10"; XChart's own repeat shades of yellow). */
    private static final Color[] LINE_COLORS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };

    private Plots() {
    }

    /** One line series: its name and (x, y) points. */
    public record Series(String name, List<Double> x, List<Double> y) {
    }

    /** A PNG of charts stacked vertically, each with a title and its series. */
    public static void write(Path file, List<String> titles, List<List<Series>> charts) {
        int width = 900, height = 320;
        BufferedImage page = new BufferedImage(width, height * charts.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = page.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, page.getWidth(), page.getHeight());
        for (int i = 0; i < charts.size(); i++) {
            XYChart chart = new XYChartBuilder().width(width).height(height).title(titles.get(i)).xAxisTitle("step").build();
            chart.getStyler().setMarkerSize(0);
            chart.getStyler().setXAxisDecimalPattern("#,###");   // five-digit steps need the separators to stay apart
            chart.getStyler().setSeriesColors(LINE_COLORS);
            for (Series s : charts.get(i)) {
                if (s.x().isEmpty()) continue;
                XYSeries series = chart.addSeries(s.name(), s.x(), s.y());
                series.setMarker(SeriesMarkers.NONE);
            }
            if (chart.getSeriesMap().isEmpty()) continue;
            g.drawImage(BitmapEncoder.getBufferedImage(chart), 0, i * height, null);
        }
        g.dispose();
        Images.writePng(page, file);
    }
}
