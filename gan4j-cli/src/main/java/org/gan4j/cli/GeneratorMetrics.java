package org.gan4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.gan4j.data.Dataset;
import org.gan4j.data.Mixture;
import org.gan4j.gan.Generator;
import org.gan4j.gan.ModeCollapseExperiment;
import org.gan4j.metrics.DomainClassifier;
import org.gan4j.metrics.Metric;
import org.gan4j.metrics.MixtureMetrics;
import org.gan4j.metrics.SampleEvaluation;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;

/**
 * The quality figures of a generator against its data, shared by evaluate, train --eval-every
 * and sweep: mode statistics for 2-D mixtures, a domain classifier's metrics for images.
 */
final class GeneratorMetrics {
    private GeneratorMetrics() {
    }

    /**
     * @param classifier the domain classifier for image data; unused (may be null) for mixtures
     * @param n          generated samples; mixtures always use PacGAN's 2,500
     */
    static List<Metric> evaluate(Generator g, Dataset real, DomainClassifier classifier, Set<String> metrics, int n, long seed) {
        if (real instanceof Mixture mixture) return mixture(g, mixture, seed);
        return SampleEvaluation.evaluate(classifier, real, samples(g, n, seed), metrics, seed);
    }

    private static List<Metric> mixture(Generator g, Mixture mixture, long seed) {
        MixtureMetrics.Result r = ModeCollapseExperiment.evaluate(g, mixture, Rng.seeded(seed));
        String extractor = "nearest of " + mixture.modes().size() + " modes, 3 sigma";
        int n = ModeCollapseExperiment.SAMPLES;
        return List.of(new Metric("modes_covered", r.modesCovered(), Double.NaN, extractor, 0, n),
                new Metric("high_quality_share", r.highQualityShare(), Double.NaN, extractor, 0, n),
                new Metric("reverse_kl", r.reverseKl(), Double.NaN, extractor, 0, n));
    }

    /** n samples of G in evaluation mode, 500 at a time; a conditional G is asked for its classes in turn. */
    static Tensor samples(Generator g, int n, long seed) {
        Rng rng = Rng.seeded(seed);
        boolean wasTraining = g.isTraining();
        try (var ng = Autograd.noGrad()) {
            g.eval();
            List<Tensor> parts = new ArrayList<>();
            for (int from = 0; from < n; from += 500) {
                int size = Math.min(500, n - from);
                int[] labels = null;
                if (g.classes() > 0) {
                    labels = new int[size];
                    for (int i = 0; i < size; i++) labels[i] = (from + i) % g.classes();
                }
                parts.add(g.generate(g.noise(size, rng.fork(from)), labels));
            }
            return parts.size() == 1 ? parts.getFirst() : Tensor.concat(0, parts.toArray(Tensor[]::new));
        } finally {
            g.train(wasTraining);
        }
    }
}
