package org.gan4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.gan4j.data.Dataset;
import org.gan4j.data.Mixture;
import org.gan4j.io.Npy;
import org.gan4j.metrics.DomainClassifier;
import org.gan4j.metrics.Metric;
import org.gan4j.metrics.SampleEvaluation;
import org.gan4j.run.Classifiers;
import org.gan4j.run.DataSources;
import org.gan4j.run.GeneratorMetrics;
import org.gan4j.run.ModeCollapseExperiment;
import org.gan4j.run.RunDirectory;
import org.gan4j.run.TrainedGenerator;
import org.gan4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score a trained generator, or samples from a .npy file (--samples), in a domain classifier's features: FID-style distance, KID, "
                + "precision/recall, IS analogue and mode coverage; mode statistics for 2-D mixtures.")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    TrainedRun run;

    @Option(names = "--metrics", defaultValue = "fid,kid,pr,is,modes", split = ",", description = "which (default: ${DEFAULT-VALUE})")
    List<String> metrics;

    @Option(names = "--samples", paramLabel = "FILE.npy",
            description = "score these images [N, C, H, W] in [-1, 1] (another program's samples) against --data's test split, instead of a run")
    Path samples;

    @Option(names = "--data", description = "with --samples: the dataset whose classifier and test split judge them (mnist, fashion-mnist, kmnist)")
    String data;

    @Option(names = "--data-dir", description = "with --samples: folder with the dataset's files (instead of the cache)")
    Path dataDir;

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
        if (samples != null) return scoreSamples();
        if (data != null || dataDir != null) throw new CliException("--data and --data-dir go with --samples; a run is scored against its own data");
        TrainedGenerator m = run.load();
        List<Metric> results = evaluate(m, new LinkedHashSet<>(metrics), count, trainClassifier, seed);
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("run", run.dir.toString());
        about.put("step", m.step());
        print(run.dir + " at step " + m.step(), about, results);
        return 0;
    }

    /** --samples: a .npy file's images against the test split of --data. */
    private int scoreSamples() throws Exception {
        if (run.dir != null) throw new CliException("--samples scores a file, not the run in " + run.dir + "; give one of them");
        if (data == null) throw new CliException("--samples needs --data: the dataset whose classifier and test split judge them");
        if (count != null) throw new CliException("--samples scores every image in " + samples + "; --count does not apply");
        Set<String> chosen = new LinkedHashSet<>(metrics);
        SampleEvaluation.requireKnown(chosen);
        Dataset test = DataSources.openTest(data, dataDir);
        Tensor images = Npy.read(samples);
        List<Metric> results = GeneratorMetrics.evaluateSamples(images, test, classifier(data, dataDir, trainClassifier), chosen, seed);
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("samples", samples.toString());
        about.put("data", test.describe());
        print(samples + " against " + test.describe(), about, results);
        return 0;
    }

    /** A table under {@code title}, or with --json one object: {@code about}'s entries and the metrics. */
    private void print(String title, Map<String, Object> about, List<Metric> results) throws Exception {
        if (json) {
            about.put("metrics", results);
            System.out.println(RunDirectory.JSON.writeValueAsString(about));
        } else {
            System.out.println(title);
            for (Metric r : results) System.out.println("  " + r);
        }
    }

    /** Scores a loaded generator against the data it was trained on. */
    static List<Metric> evaluate(TrainedGenerator m, Set<String> metrics, Integer count, boolean trainClassifier, long seed) {
        SampleEvaluation.requireKnown(metrics);   // before sampling, or training a classifier, finds a typo
        String data = m.config().data();
        Path dataDir = m.config().dataDir() == null ? null : Path.of(m.config().dataDir());
        Dataset real = DataSources.open(m.config());
        if (real instanceof Mixture) return GeneratorMetrics.evaluate(m.generator(), real, null, metrics, 0, seed);
        int n = count != null ? count : data.equals(ModeCollapseExperiment.STACKED) ? ModeCollapseExperiment.STACKED_SAMPLES : 10_000;
        if (n < 10) throw new CliException("--count must be at least 10, got " + n);
        return GeneratorMetrics.evaluate(m.generator(), real, classifier(data, dataDir, trainClassifier), metrics, n, seed);
    }

    /** The cached classifier that judges {@code data}, trained first when asked to. */
    private static DomainClassifier classifier(String data, Path dataDir, boolean trainClassifier) {
        String name = Classifiers.forDataset(data);
        DomainClassifier.Loaded loaded = Classifiers.cached(name);
        if (loaded == null) {
            if (!trainClassifier) {
                throw new CliException("no " + name + " classifier in " + Classifiers.cacheFile(name) + "; train it with './gan4j classifier train --data "
                        + name + "' or pass --train-classifier");
            }
            loaded = Classifiers.train(name, dataDir, Classifiers.recipe(name), 1, Classifiers.cacheFile(name), System.err::println);
        }
        return loaded.classifier();
    }
}
