package org.gan4j.metrics;

import java.util.Locale;

/**
 * One reported number with what it was measured on: FID-style figures are only comparable when
 * the feature extractor and the sample counts match, so every metric carries both.
 *
 * @param std       spread over subsets or splits; NaN when the metric has none
 * @param extractor the network (and layer) that gave the features or classes, e.g. "mnist-lenet/penultimate"
 */
public record Metric(String name, double value, double std, String extractor, int nReal, int nFake) {

    @Override
    public String toString() {
        String spread = Double.isNaN(std) ? "" : String.format(Locale.ROOT, " ± %.4f", std);
        return String.format(Locale.ROOT, "%s = %.4f%s  [%s; %d real, %d generated]", name, value, spread, extractor, nReal, nFake);
    }
}
