package org.gan4j.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.gan4j.data.Dataset;
import org.gan4j.tensor.Scope;
import org.gan4j.tensor.Tensor;

/**
 * The image metrics of a generator's samples against the real data, all through one domain
 * classifier: "fid" (Fréchet distance of penultimate features), "kid" (kernel distance, mean ±
 * std over subsets), "pr" (precision and recall, k = 3), "is" (Inception-Score analogue) and
 * "modes" (classes covered, KL to the data's class distribution, and the share of samples the
 * classifier gives one class with probability ≥ 0.9). For Stacked MNIST samples
 * (three channels judged by a one-channel classifier) only "modes" applies: 1,000 modes, KL to uniform.
 */
public final class SampleEvaluation {
    public static final List<String> ALL = List.of("fid", "kid", "pr", "is", "modes");
    private static final int KID_SUBSETS = 10, KID_SUBSET_SIZE = 1000, IS_SPLITS = 10, PR_K = 3;
    /** The top-class probability from which a sample counts as clearly one class. */
    private static final double CONFIDENT = 0.9;

    private SampleEvaluation() {
    }

    /**
     * @param real    the real data; up to {@code fake}'s count of its items, drawn with {@code seed}, are compared
     * @param fake    generated images [n, C, H, W] in [-1, 1]
     * @param metrics names from {@link #ALL}
     */
    public static List<Metric> evaluate(DomainClassifier classifier, Dataset real, Tensor fake, Set<String> metrics, long seed) {
        requireKnown(metrics);
        int nFake = fake.shape()[0];
        int classes = classifier.architecture().classes();
        String extractor = classifier.extractor();
        String classes_ = extractor.replace("/penultimate", "/softmax");
        List<Metric> out = new ArrayList<>();
        if (fake.shape()[1] == 3 && classifier.architecture().channels() == 1) {
            if (metrics.contains("modes")) {
                var modes = stackedModes(classifier, fake);
                out.add(new Metric("stacked_modes_covered", modes.covered(), Double.NaN, classes_ + " per channel", 0, nFake));
                out.add(new Metric("stacked_kl_to_uniform", modes.kl(), Double.NaN, classes_ + " per channel", 0, nFake));
            }
            return out;
        }
        DomainClassifier.Outputs f = classifier.apply(fake);
        DomainClassifier.Outputs r = metrics.stream().anyMatch(m -> !m.equals("is") && !m.equals("modes"))
                ? classifier.apply(new ShuffledSubset(real, Math.min(nFake, real.size()), seed), nFake) : null;
        int nReal = r == null ? 0 : r.features().length;
        if (metrics.contains("fid")) {
            out.add(new Metric("fid", FeatureMetrics.frechetDistance(r.features(), f.features()), Double.NaN, extractor, nReal, nFake));
        }
        if (metrics.contains("kid")) {
            var kid = FeatureMetrics.kernelDistance(r.features(), f.features(), KID_SUBSETS, KID_SUBSET_SIZE, seed);
            out.add(new Metric("kid", kid.mean(), kid.std(), extractor, nReal, nFake));
        }
        if (metrics.contains("pr")) {
            var pr = FeatureMetrics.precisionRecall(r.features(), f.features(), PR_K);
            out.add(new Metric("precision", pr.precision(), Double.NaN, extractor, nReal, nFake));
            out.add(new Metric("recall", pr.recall(), Double.NaN, extractor, nReal, nFake));
        }
        if (metrics.contains("is")) {
            var is = ClassMetrics.inceptionScore(f.probabilities(), Math.min(IS_SPLITS, nFake));
            out.add(new Metric("is", is.mean(), is.std(), classes_, 0, nFake));
        }
        if (metrics.contains("modes") && real.classes() > 0) {
            int[] labels = new int[real.size()];
            for (int i = 0; i < labels.length; i++) labels[i] = real.label(i);
            var modes = ClassMetrics.modes(f.predicted(), ClassMetrics.distribution(labels, classes));
            out.add(new Metric("classes_covered", modes.covered(), Double.NaN, classes_, real.size(), nFake));
            out.add(new Metric("class_kl", modes.kl(), Double.NaN, classes_, real.size(), nFake));
            out.add(new Metric("confident_share", ClassMetrics.confidentShare(f.probabilities(), CONFIDENT), Double.NaN, classes_, 0, nFake));
        }
        return out;
    }

    /** Stacked MNIST's figures: each channel of {@code fake} [n, 3, H, W] labelled by {@code digits}, 1,000 modes against uniform. */
    public static ClassMetrics.Modes stackedModes(DomainClassifier digits, Tensor fake) {
        int[][] labels = new int[3][];
        for (int c = 0; c < 3; c++) {
            try (Scope scope = Scope.open()) {
                labels[c] = digits.apply(fake.slice(1, c, c + 1)).predicted();
            }
        }
        return ClassMetrics.modes(ClassMetrics.stackedModes(labels[0], labels[1], labels[2]), ClassMetrics.uniform(1000));
    }

    /** Fails on a name not in {@link #ALL}; callers check before the costly sampling. */
    public static void requireKnown(Set<String> metrics) {
        for (String m : metrics) if (!ALL.contains(m)) throw new IllegalArgumentException("unknown metric '" + m + "' (known: " + String.join(", ", ALL) + ")");
    }
}
