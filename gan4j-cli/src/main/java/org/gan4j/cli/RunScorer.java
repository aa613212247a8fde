package org.gan4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gan4j.data.Dataset;
import org.gan4j.data.Mixture;
import org.gan4j.metrics.DomainClassifier;
import org.gan4j.metrics.Metric;
import org.gan4j.run.Classifiers;
import org.gan4j.run.DataSources;
import org.gan4j.run.GeneratorMetrics;
import org.gan4j.run.RunConfig;
import org.gan4j.run.TrainedGenerator;

/**
 * Judges a finished run so that a sweep can rank its runs: 2-D mixtures by modes covered, then
 * high-quality share, then reverse KL (PacGAN's protocol); images by the Fréchet distance, then
 * KID, in the cached domain classifier's features; Stacked MNIST by its modes covered, then KL
 * to uniform. Runs on other data, or without a cached classifier, are not scored.
 */
final class RunScorer {
    /** Enough for a stable ranking at a few seconds per run (evaluate defaults to 10,000). */
    static final int IMAGE_SAMPLES = 2000, STACKED_SAMPLES = 10_000;

    private RunScorer() {
    }

    /**
     * @param values  every figure, by name, for the table (e.g. modes_covered, fid)
     * @param rankKey figures compared in order, higher is better (lower-is-better ones negated)
     */
    record Score(Map<String, Double> values, double[] rankKey) {
    }

    /** The score of the run in {@code dir}, or null when gan4j cannot judge its data. */
    static Score score(Path dir, RunConfig config) {
        Dataset data = DataSources.open(config);
        DomainClassifier.Loaded classifier = data instanceof Mixture ? null : Classifiers.cachedFor(config.data());
        if (!(data instanceof Mixture) && classifier == null) return null;
        TrainedGenerator trained = TrainedGenerator.load(dir, config.ema() > 0);
        int n = config.data().equals("stacked-mnist") ? STACKED_SAMPLES : IMAGE_SAMPLES;
        List<Metric> metrics = GeneratorMetrics.evaluate(trained.generator(), data, classifier == null ? null : classifier.classifier(),
                Set.of("fid", "kid", "modes"), n, config.seed());
        Map<String, Double> values = new LinkedHashMap<>();
        for (Metric m : metrics) values.put(m.name(), m.value());
        double[] rankKey = data instanceof Mixture
                ? new double[] {values.get("modes_covered"), values.get("high_quality_share"), -values.get("reverse_kl")}
                : values.containsKey("fid") ? new double[] {-values.get("fid"), -values.get("kid")}
                : new double[] {values.get("stacked_modes_covered"), -values.get("stacked_kl_to_uniform")};
        return new Score(values, rankKey);
    }
}
