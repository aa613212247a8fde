package org.gan4j.metrics;

/** Statistics of a classifier's outputs on generated samples: an Inception-Score analogue and mode coverage. */
public final class ClassMetrics {
    private ClassMetrics() {
    }

    /** How many of {@code classes} the predictions reach and KL(predicted histogram ‖ reference distribution). */
    public record Modes(int covered, int classes, double kl, int[] counts) {
    }

    /**
     * exp(E_x KL(p(y|x) ‖ p(y))) over {@code splits} equal splits (Salimans et al. 2016), mean ± std:
     * high when each sample is confidently one class and the classes are varied; at most the number of classes.
     */
    public static FeatureMetrics.Estimate inceptionScore(double[][] probabilities, int splits) {
        int n = probabilities.length;
        if (splits < 1 || n < splits) throw new IllegalArgumentException("need at least " + splits + " samples for " + splits + " splits");
        double[] scores = new double[splits];
        for (int s = 0; s < splits; s++) {
            int from = s * n / splits, to = (s + 1) * n / splits;
            int c = probabilities[0].length;
            double[] marginal = new double[c];
            for (int i = from; i < to; i++) for (int j = 0; j < c; j++) marginal[j] += probabilities[i][j] / (to - from);
            double kl = 0;
            for (int i = from; i < to; i++) {
                for (int j = 0; j < c; j++) {
                    double p = probabilities[i][j];
                    if (p > 0) kl += p * Math.log(p / marginal[j]);
                }
            }
            scores[s] = Math.exp(kl / (to - from));
        }
        return FeatureMetrics.meanAndStd(scores);
    }

    /**
     * Histogram of {@code predicted} over {@code reference.length} classes, the number of classes
     * hit at least once, and KL(histogram ‖ reference): 0 when the samples spread over the classes
     * as the data do. Pass a uniform reference for "KL to uniform".
     */
    public static Modes modes(int[] predicted, double[] reference) {
        int[] counts = new int[reference.length];
        for (int p : predicted) counts[p]++;
        int covered = 0;
        double kl = 0;
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] == 0) continue;
            covered++;
            double q = counts[c] / (double) predicted.length;
            kl += q * Math.log(q / reference[c]);
        }
        return new Modes(covered, counts.length, kl, counts);
    }

    /** The share of samples whose most likely class has probability at least {@code threshold}: how many look clearly like one class. */
    public static double confidentShare(double[][] probabilities, double threshold) {
        int confident = 0;
        for (double[] p : probabilities) {
            double top = 0;
            for (double v : p) top = Math.max(top, v);
            if (top >= threshold) confident++;
        }
        return confident / (double) probabilities.length;
    }

    /** The class distribution of a labelled set, as a reference for {@link #modes}. */
    public static double[] distribution(int[] labels, int classes) {
        double[] p = new double[classes];
        for (int l : labels) p[l] += 1.0 / labels.length;
        return p;
    }

    public static double[] uniform(int classes) {
        double[] p = new double[classes];
        java.util.Arrays.fill(p, 1.0 / classes);
        return p;
    }

    /** Stacked MNIST's mode of each sample: the three channels' digits read as one number 0..999 (red the hundreds). */
    public static int[] stackedModes(int[] red, int[] green, int[] blue) {
        int[] modes = new int[red.length];
        for (int i = 0; i < modes.length; i++) modes[i] = 100 * red[i] + 10 * green[i] + blue[i];
        return modes;
    }
}
