package org.gan4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.gan4j.data.Dataset;
import org.gan4j.data.Mixture;
import org.gan4j.metrics.DomainClassifier;
import org.gan4j.metrics.Metric;
import org.gan4j.metrics.MixtureMetrics;
import org.gan4j.metrics.SampleEvaluation;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score a trained generator: FID-style distance, KID, precision/recall, IS analogue and mode coverage in a domain classifier's features; mode statistics for 2-D mixtures.")
final class EvaluateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "run directory")
    java.nio.file.Path dir;

    @Option(names = "--metrics", defaultValue = "fid,kid,pr,is,modes", split = ",", description = "which (default: ${DEFAULT-VALUE})")
    List<String> metrics;

    @Option(names = "--count", description = "generated samples (default: 10000 images, 2500 mixture points as PacGAN, 26000 Stacked MNIST)")
    Integer count;

    @Option(names = "--ema", description = "use the exponential moving average of G's weights")
    boolean ema;

    @Option(names = "--json", description = "print one JSON object instead of a table")
    boolean json;

    @Option(names = "--train-classifier", description = "train the domain classifier when none is cached (default: stop with a message)")
    boolean trainClassifier;

    @Option(names = "--seed", defaultValue = "0", description = "noise and subset seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        TrainedModel m = TrainedModel.load(dir, ema);
        List<Metric> results = evaluate(m, new LinkedHashSet<>(metrics), count, trainClassifier, seed);
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("run", dir.toString());
            out.put("step", m.step());
            out.put("metrics", results);
            System.out.println(RunDirectory.JSON.writeValueAsString(out));
        } else {
            System.out.printf("%s at step %d%n", dir, m.step());
            for (Metric r : results) System.out.println("  " + r);
        }
        return 0;
    }

    /** Scores a loaded generator against the data it was trained on. */
    static List<Metric> evaluate(TrainedModel m, Set<String> metrics, Integer count, boolean trainClassifier, long seed) {
        String data = m.config().data();
        java.nio.file.Path dataDir = m.config().dataDir() == null ? null : java.nio.file.Path.of(m.config().dataDir());
        Dataset real = DataSources.open(data, dataDir);
        if (real instanceof Mixture mixture) return mixtureMetrics(m, mixture, count != null ? count : 2500, seed);
        int n = count != null ? count : data.equals("stacked-mnist") ? 26_000 : 10_000;
        if (n < 10) throw new CliException("--count must be at least 10, got " + n);
        String name = Classifiers.forDataset(data);
        DomainClassifier.Loaded loaded = Classifiers.cached(name);
        if (loaded == null) {
            if (!trainClassifier) {
                throw new CliException("no " + name + " classifier in " + Classifiers.cacheFile(name) + "; train it with './gan4j classifier train --data "
                        + name + "' or pass --train-classifier");
            }
            loaded = Classifiers.train(name, dataDir, Classifiers.DEFAULT_EPOCHS, 1, Classifiers.cacheFile(name), System.err::println);
        }
        Tensor fake = samples(m, n, seed);
        return SampleEvaluation.evaluate(loaded.classifier(), real, fake, metrics, seed);
    }

    private static List<Metric> mixtureMetrics(TrainedModel m, Mixture mixture, int n, long seed) {
        List<float[]> modes = new ArrayList<>();
        for (Mixture.Mode mode : mixture.modes()) modes.add(new float[] {mode.x(), mode.y()});
        MixtureMetrics.Result r = MixtureMetrics.evaluate(samples(m, n, seed).toArray(), modes, mixture.sigma());
        String extractor = "nearest of " + modes.size() + " modes, 3 sigma";
        return List.of(new Metric("modes_covered", r.modesCovered(), Double.NaN, extractor, 0, n),
                new Metric("high_quality_share", r.highQualityShare(), Double.NaN, extractor, 0, n),
                new Metric("reverse_kl", r.reverseKl(), Double.NaN, extractor, 0, n));
    }

    /** n samples in batches of 500, classes in turn for conditional models. */
    static Tensor samples(TrainedModel m, int n, long seed) {
        Rng rng = Rng.seeded(seed);
        try (var ng = Autograd.noGrad()) {
            List<Tensor> parts = new ArrayList<>();
            for (int from = 0; from < n; from += 500) {
                int size = Math.min(500, n - from);
                parts.add(m.generator().generate(m.generator().noise(size, rng.fork(from)), m.labels(size, null)));
            }
            return parts.size() == 1 ? parts.getFirst() : Tensor.concat(0, parts.toArray(Tensor[]::new));
        }
    }
}
