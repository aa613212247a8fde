package org.gan4j.run;

import java.util.List;
import java.util.Set;
import org.gan4j.data.Dataset;
import org.gan4j.data.Mixture;
import org.gan4j.gan.Generator;
import org.gan4j.metrics.DomainClassifier;
import org.gan4j.metrics.Metric;
import org.gan4j.metrics.MixtureMetrics;
import org.gan4j.metrics.SampleEvaluation;

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

    private static List<Metric> mixture(Generator g, Mixture mixture, long seed) {
        MixtureMetrics.Result r = ModeCollapseExperiment.evaluate(g, mixture, seed);
        String extractor = "nearest of " + mixture.modes().size() + " modes, 3 sigma";
        int n = ModeCollapseExperiment.SAMPLES;
        return List.of(new Metric("modes_covered", r.modesCovered(), Double.NaN, extractor, 0, n),
                new Metric("high_quality_share", r.highQualityShare(), Double.NaN, extractor, 0, n),
                new Metric("reverse_kl", r.reverseKl(), Double.NaN, extractor, 0, n));
    }
}
