package org.gan4j.cli;

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
import org.gan4j.metrics.SampleEvaluation;
import org.gan4j.run.Classifiers;
import org.gan4j.run.DataSources;
import org.gan4j.run.GeneratorMetrics;
import org.gan4j.run.ModeCollapseExperiment;
import org.gan4j.run.RunDirectory;
import org.gan4j.run.TrainedGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score a trained generator: FID-style distance, KID, precision/recall, IS analogue and mode coverage in a domain classifier's features; mode statistics for 2-D mixtures.")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    TrainedRun run;

    @Option(names = "--metrics", defaultValue = "fid,kid,pr,is,modes", split = ",", description = "which (default: ${DEFAULT-VALUE})")
    List<String> metrics;

    @Option(names = "--count", description = "generated samples (default: 10000 images, 26000 Stacked MNIST; mixtures always 2500, as PacGAN)")
    Integer count;


    @Option(names = "--json", description = "print one JSON object instead of a table")
    boolean json;

    @Option(names = "--train-classifier", description = "train the domain classifier when none is cached (default: stop with a message)")
    boolean trainClassifier;

    @Option(names = "--seed", defaultValue = "0", description = "noise and subset seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        TrainedGenerator m = run.load();
        List<Metric> results = evaluate(m, new LinkedHashSet<>(metrics), count, trainClassifier, seed);
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("run", run.dir.toString());
            out.put("step", m.step());
            out.put("metrics", results);
            System.out.println(RunDirectory.JSON.writeValueAsString(out));
        } else {
            System.out.printf("%s at step %d%n", run.dir, m.step());
            for (Metric r : results) System.out.println("  " + r);
        }
        return 0;
    }

    /** Scores a loaded generator against the data it was trained on. */
    static List<Metric> evaluate(TrainedGenerator m, Set<String> metrics, Integer count, boolean trainClassifier, long seed) {
        SampleEvaluation.requireKnown(metrics);   // before sampling, or training a classifier, finds a typo
        String data = m.config().data();
        java.nio.file.Path dataDir = m.config().dataDir() == null ? null : java.nio.file.Path.of(m.config().dataDir());
        Dataset real = DataSources.open(m.config());
        if (real instanceof Mixture) return GeneratorMetrics.evaluate(m.generator(), real, null, metrics, 0, seed);
        int n = count != null ? count : data.equals(ModeCollapseExperiment.STACKED) ? ModeCollapseExperiment.STACKED_SAMPLES : 10_000;
        if (n < 10) throw new CliException("--count must be at least 10, got " + n);
        String name = Classifiers.forDataset(data);
        DomainClassifier.Loaded loaded = Classifiers.cached(name);
        if (loaded == null) {
            if (!trainClassifier) {
                throw new CliException("no " + name + " classifier in " + Classifiers.cacheFile(name) + "; train it with './gan4j classifier train --data "
                        + name + "' or pass --train-classifier");
            }
            loaded = Classifiers.train(name, dataDir, Classifiers.recipe(name), 1, Classifiers.cacheFile(name), System.err::println);
        }
        return GeneratorMetrics.evaluate(m.generator(), real, loaded.classifier(), metrics, n, seed);
    }
}
