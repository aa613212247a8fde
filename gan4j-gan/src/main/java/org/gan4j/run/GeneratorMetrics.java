package org.gan4j.run;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.gan4j.data.Dataset;
import org.gan4j.data.Mixture;
import org.gan4j.gan.Generator;
import org.gan4j.metrics.DomainClassifier;
import org.gan4j.metrics.Metric;
import org.gan4j.metrics.MixtureMetrics;
import org.gan4j.metrics.SampleEvaluation;
import org.gan4j.tensor.Tensor;

/**
 * The quality figures of a generator against its data, shared by evaluate, train --eval-every
 * and sweep: mode statistics for 2-D mixtures, a domain classifier's metrics for images.
 */
public final class GeneratorMetrics {
    private GeneratorMetrics() {
    }

    /**
     * @param classifier the domain classifier for image data; unused (may be null) for mixtures
     * @param n          generated samples; mixtures always use PacGAN's 2,500
     */
    public static List<Metric> evaluate(Generator g, Dataset real, DomainClassifier classifier, Set<String> metrics, int n, long seed) {
        if (real instanceof Mixture mixture) return mixture(g, mixture, seed);
        return SampleEvaluation.evaluate(classifier, real, g.sample(n, seed), metrics, seed);
    }

    /**
     * Scores images made elsewhere (another program's samples, read from .npy) as {@link #evaluate}
     * scores a generator's: the same classifier, the same figures.
     *
     * @param samples at least 10 images [n, C, H, W] of {@code real}'s item shape, in [-1, 1]
     */
    public static List<Metric> evaluateSamples(Tensor samples, Dataset real, DomainClassifier classifier, Set<String> metrics, long seed) {
        SampleEvaluation.requireKnown(metrics);
        int[] shape = samples.shape(), item = real.itemShape();
        if (shape.length != item.length + 1 || !Arrays.equals(Arrays.copyOfRange(shape, 1, shape.length), item) || shape[0] < 10) {
            String images = Tensor.shapeString(item).replace("[", "[n, ");
            throw new IllegalArgumentException("samples of shape " + Tensor.shapeString(shape) + " cannot be scored against the data's images: expected "
                    + images + " with n ≥ 10");
        }
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (float v : samples.toArray()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        // a little room for rounding; images in [0, 255] are refused, and so is a NaN
        if (!(min >= -1.001f && max <= 1.001f)) {
            throw new IllegalArgumentException("samples must lie in [-1, 1] as gan4j's images do; these span [" + min + ", " + max + "]");
        }
        return SampleEvaluation.evaluate(classifier, real, samples, metrics, seed);
    }

    private static List<Metric> mixture(Generator g, Mixture mixture, long seed) {
        MixtureMetrics.Result r = ModeCollapseExperiment.evaluate(g, mixture, seed);
        String extractor = "nearest of " + mixture.modes().size() + " modes, 3 sigma";
        int n = ModeCollapseExperiment.SAMPLES;
        return List.of(new Metric("modes_covered", r.modesCovered(), Double.NaN, extractor, 0, n),
                new Metric("high_quality_share", r.highQualityShare(), Double.NaN, extractor, 0, n),
                new Metric("reverse_kl", r.reverseKl(), Double.NaN, extractor, 0, n));
    }
}
