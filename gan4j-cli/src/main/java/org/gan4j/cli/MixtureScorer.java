package org.gan4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gan4j.data.Dataset;
import org.gan4j.data.Mixture;
import org.gan4j.gan.ModeCollapseExperiment;
import org.gan4j.metrics.MixtureMetrics;
import org.gan4j.tensor.Rng;

/** Runs on ring8 or grid25: 2,500 samples judged as PacGAN does; ranked by modes, then high-quality share, then reverse KL. */
final class MixtureScorer implements RunScorer {

    @Override
    public Score score(Path dir, RunConfig config) {
        Dataset data = DataSources.open(config.data(), config.dataDir() == null ? null : Path.of(config.dataDir()));
        if (!(data instanceof Mixture mixture)) return null;
        TrainedModel trained = TrainedModel.load(dir, config.ema() > 0);
        MixtureMetrics.Result r = ModeCollapseExperiment.evaluate(trained.generator(), mixture, Rng.seeded(config.seed()).fork(4));
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("modes_covered", (double) r.modesCovered());
        values.put("high_quality", r.highQualityShare());
        values.put("reverse_kl", r.reverseKl());
        return new Score(values, new double[] {r.modesCovered(), r.highQualityShare(), -r.reverseKl()});
    }
}
