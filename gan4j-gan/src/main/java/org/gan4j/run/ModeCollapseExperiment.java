package org.gan4j.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.gan4j.data.Dataset;
import org.gan4j.data.Datasets;
import org.gan4j.data.Mixture;
import org.gan4j.data.Mixtures;
import org.gan4j.data.StackedMnist;
import org.gan4j.gan.Countermeasures;
import org.gan4j.gan.GanLoss;
import org.gan4j.gan.Generator;
import org.gan4j.gan.StepStats;
import org.gan4j.metrics.ClassMetrics;
import org.gan4j.metrics.DomainClassifier;
import org.gan4j.metrics.FeatureMetrics;
import org.gan4j.metrics.MixtureMetrics;
import org.gan4j.metrics.SampleEvaluation;
import org.gan4j.optim.OptimizerSpec;
import org.gan4j.tensor.Scope;

/**
 * The mode-collapse benchmarks of VEEGAN and PacGAN (Lin et al. 2018), for the plain GAN and each
 * countermeasure, with the non-saturating loss:
 * <ul>
 * <li>ring8 and grid25 (Table 1): mlp2d (G 4×400 ReLU + BatchNorm, z = 2; D 3×200 ReLU), Adam 1e-4
 * with β1 0.8, batch 100, 100,000 training points; 2,500 samples from G judged by {@link MixtureMetrics}.
 * <li>stacked-mnist (Table 2): dcgan28 on three channels, z = 100, Adam 2e-4 with β1 0.5, batch 64,
 * 128,000 stacks of the shipped digits; each channel of 26,000 samples labelled by an MNIST
 * classifier, giving the modes covered of 1,000 and the KL to uniform.
 * </ul>
 * PacGAN's packs are formed within the batch, whose size is rounded down to a multiple of the pack
 * (100 samples make 50 packs of 2, 99 make 33 packs of 3).
 */
public final class ModeCollapseExperiment {
    public static final String STACKED = "stacked-mnist";
    public static final List<String> DATASETS = List.of("ring8", "grid25", STACKED);
    public static final int SAMPLES = 2500, TRAINING_POINTS = 100_000, STACKED_TRAINING = 128_000, STACKED_SAMPLES = 26_000;
    private static final long DATA_SEED = 2018;

    private ModeCollapseExperiment() {
    }

    /** How one dataset is trained: the model, batch, both networks' Adam, and the default length. */
    record Protocol(String model, int batch, OptimizerSpec adam, long defaultSteps) {
    }

    static Protocol protocol(String dataset) {
        requireKnown(dataset);
        return dataset.equals(STACKED)
                ? new Protocol("dcgan28", 64, OptimizerSpec.adam(2e-4f, 0.5f, 0.999f), STACKED_TRAINING / 64)
                : new Protocol("mlp2d", 100, OptimizerSpec.adam(1e-4f, 0.8f, 0.999f), 10_000);
    }

    /** Steps of a run when none are asked for: 10,000 on the mixtures, one pass over the 128,000 stacks. */
    public static long defaultSteps(String dataset) {
        return protocol(dataset).defaultSteps();
    }

    /** One arm of the experiment: D's countermeasures, G's weight average (0 = none) and D's look-ahead steps. */
    public record Variant(String name, Countermeasures countermeasures, float emaDecay, int unrollSteps) {
    }

    private static final Countermeasures NONE = Countermeasures.none();
    public static final List<Variant> VARIANTS = List.of(
            new Variant("gan", NONE, 0f, 0),
            new Variant("pacgan2", NONE.withPack(2), 0f, 0),
            new Variant("pacgan3", NONE.withPack(3), 0f, 0),
            new Variant("pacgan4", NONE.withPack(4), 0f, 0),
            new Variant("minibatch-discrimination", NONE.withMinibatchDiscrimination(32), 0f, 0),
            new Variant("minibatch-std", NONE.withMinibatchStd(true), 0f, 0),
            new Variant("spectral-norm", NONE.withSpectralNorm(true), 0f, 0),
            new Variant("ema", NONE, 0.999f, 0),
            new Variant("unrolled5", NONE, 0f, 5));

    public static Variant variant(String name) {
        return VARIANTS.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "unknown variant '" + name + "' (known: " + String.join(", ", VARIANTS.stream().map(Variant::name).toList()) + ")"));
    }

    /**
     * A published row: PacGAN's Table 1 (modes and high-quality percent) and Table 2 (modes and KL
     * to uniform, Stacked MNIST); NaN where the table has no such column.
     */
    public record Published(String dataset, String variant, double modes, double highQualityPercent, double kl) {
    }

    public static final List<Published> PUBLISHED = List.of(
            new Published("ring8", "gan", 6.3, 98.2, Double.NaN),
            new Published("ring8", "pacgan2", 7.9, 95.6, Double.NaN),
            new Published("grid25", "gan", 17.3, 94.8, Double.NaN),
            new Published("grid25", "pacgan4", 24.8, 93.6, Double.NaN),
            new Published(STACKED, "gan", 99, Double.NaN, 3.4),
            new Published(STACKED, "pacgan2", 1000, Double.NaN, 0.06));

    /**
     * One training run and its evaluation.
     *
     * @param highQualityShare share of samples within 3σ of a mode (NaN for Stacked MNIST)
     * @param kl               KL of the generated modes' distribution to the data's: reverse KL on the
     *                         mixtures, KL to uniform on Stacked MNIST
     */
    public record Outcome(String dataset, String variant, long seed, long steps, int modes, int modesPossible,
                          double highQualityShare, double kl, double seconds) {
        public String describe() {
            return String.format(Locale.ROOT, "%d of %d modes, %sKL %.3f", modes, modesPossible,
                    Double.isNaN(highQualityShare) ? "" : String.format(Locale.ROOT, "%.1f %% high quality, ", 100 * highQualityShare), kl);
        }
    }

    /** Fails on a dataset name the experiment does not know, without building the data. */
    public static void requireKnown(String dataset) {
        if (!DATASETS.contains(dataset)) {
            throw new IllegalArgumentException("unknown dataset '" + dataset + "' (known: " + String.join(", ", DATASETS) + ")");
        }
    }

    public static Dataset data(String dataset) {
        requireKnown(dataset);
        return switch (dataset) {
            case "ring8" -> Mixtures.ring8(TRAINING_POINTS, DATA_SEED);
            case "grid25" -> Mixtures.grid25(TRAINING_POINTS, DATA_SEED);
            default -> StackedMnist.of(Datasets.mnistShipped(), STACKED_TRAINING, DATA_SEED);
        };
    }

    /** Trains ring8 or grid25 for {@code steps} steps of {@code v} from {@code seed} under {@code folder} and evaluates 2,500 samples. */
    public static Outcome run(Path folder, String dataset, Variant v, long seed, long steps) {
        return run(folder, dataset, v, seed, steps, null, SAMPLES, line -> { });
    }

    /** Where {@link #run} trains one arm: {@code folder/dataset/variant-seedN}. */
    public static Path runDirectory(Path folder, String dataset, Variant v, long seed) {
        return folder.resolve(dataset).resolve(v.name() + "-seed" + seed);
    }

    /**
     * Trains {@code steps} steps of {@code v} on {@code dataset} from {@code seed} as a {@link GanRun}
     * in {@link #runDirectory}, then judges {@code samples} samples: a mixture's by the distance to
     * its modes (PacGAN: 2,500), Stacked MNIST's by {@code digits}, the MNIST classifier (PacGAN:
     * 26,000). A run left there by an earlier call continues where it stopped, and one that
     * finished is judged without training again. {@code progress} hears of every tenth of the steps.
     */
    public static Outcome run(Path folder, String dataset, Variant v, long seed, long steps, DomainClassifier digits, int samples,
                              Consumer<String> progress) {
        long start = System.nanoTime();
        requireKnown(dataset);
        if (dataset.equals(STACKED) && digits == null) {
            throw new IllegalArgumentException(STACKED + " needs an MNIST classifier to judge its samples");
        }
        GanRun run = arm(runDirectory(folder, dataset, v, seed), dataset, v, seed, steps, progress).build();
        run.fit();

        Generator g = run.trainer().samplingGenerator();
        long sampleSeed = seed + 1_000_003;   // noise of its own, apart from the training streams
        int modes, possible;
        double highQuality, kl;
        if (run.data() instanceof Mixture mixture) {
            MixtureMetrics.Result r = evaluate(g, mixture, sampleSeed, samples);
            modes = r.modesCovered();
            possible = r.modes();
            highQuality = r.highQualityShare();
            kl = r.reverseKl();
        } else {
            ClassMetrics.Modes m;
            try (Scope scope = Scope.open()) {
                m = SampleEvaluation.stackedModes(digits, g.sample(samples, sampleSeed));
            }
            modes = m.covered();
            possible = m.classes();
            highQuality = Double.NaN;
            kl = m.kl();
        }
        return new Outcome(dataset, v.name(), seed, steps, modes, possible, highQuality, kl, (System.nanoTime() - start) / 1e9);
    }

    /** The arm's run: new, or the one already in {@code dir}, which may be lengthened to {@code steps} but not cut short. */
    private static RunBuilder arm(Path dir, String dataset, Variant v, long seed, long steps, Consumer<String> progress) {
        RunBuilder b = GanRun.builder();
        if (new RunDirectory(dir).exists()) {
            long trained = new RunDirectory(dir).readConfig().steps();
            if (trained > steps) throw new RunException(dir + " holds a run of " + trained + " steps, not " + steps + "; choose another folder");
            b.resume(dir);
        } else {
            Protocol p = protocol(dataset);
            b.directory(dir).model(p.model()).data(dataset).loss(GanLoss.nonSaturating()).countermeasures(v.countermeasures())
                    .ema(v.emaDecay()).unrollSteps(v.unrollSteps()).optimizerG(p.adam()).optimizerD(p.adam())
                    .batchSize(p.batch() - p.batch() % v.countermeasures().pack()).seed(seed)
                    .init("dcgan-conv");   // the initialisation QUALITY.md's Stacked MNIST tables were measured with
        }
        // a sample picture each tenth; one checkpoint, at the end, keeps a whole experiment's arms one model each on disk
        // (a killed arm trains again from its start)
        int tenth = (int) Math.min(Integer.MAX_VALUE, Math.max(1, steps / 10));
        String name = String.format(Locale.ROOT, "%s %s seed %d", dataset, v.name(), seed);
        return b.steps(steps).sampleEvery(tenth).checkpointEvery((int) Math.min(Integer.MAX_VALUE, steps)).listener(new RunListener() {
            @Override
            public void message(String line) {
                progress.accept(name + ": " + line);
            }

            @Override
            public void stepped(StepStats stats, Map<String, Object> metrics) {
                if (stats.step() % tenth == 0 && stats.step() < steps) {
                    progress.accept(String.format(Locale.ROOT, "%s: step %d of %d", name, stats.step(), steps));
                }
            }
        });
    }

    /** The PacGAN/VEEGAN protocol: 2,500 samples from G in evaluation mode against the mixture's modes. */
    public static MixtureMetrics.Result evaluate(Generator g, Mixture data, long seed) {
        return evaluate(g, data, seed, SAMPLES);
    }

    private static MixtureMetrics.Result evaluate(Generator g, Mixture data, long seed, int samples) {
        float[] points;
        try (Scope scope = Scope.open()) {
            points = g.sample(samples, seed).toArray();
        }
        List<float[]> modes = data.modes().stream().map(m -> new float[] {m.x(), m.y()}).toList();
        return MixtureMetrics.evaluate(points, modes, data.sigma());
    }

    /** Mean and sample standard deviation (NaN for one run) over the seeds of one dataset and variant. */
    public record Summary(String dataset, String variant, int runs, long steps, double modes, double modesStd,
                          double highQuality, double highQualityStd, double kl, double klStd, double seconds) {
    }

    public static List<Summary> summarize(List<Outcome> outcomes) {
        Map<String, List<Outcome>> groups = new LinkedHashMap<>();
        for (Outcome o : outcomes) groups.computeIfAbsent(o.dataset() + "/" + o.variant(), k -> new ArrayList<>()).add(o);
        List<Summary> rows = new ArrayList<>();
        for (List<Outcome> g : groups.values()) {
            var modes = FeatureMetrics.meanAndStd(g.stream().mapToDouble(Outcome::modes).toArray());
            var hq = FeatureMetrics.meanAndStd(g.stream().mapToDouble(o -> 100 * o.highQualityShare()).toArray());
            var kl = FeatureMetrics.meanAndStd(g.stream().mapToDouble(Outcome::kl).toArray());
            rows.add(new Summary(g.get(0).dataset(), g.get(0).variant(), g.size(), g.get(0).steps(), modes.mean(), modes.std(),
                    hq.mean(), hq.std(), kl.mean(), kl.std(), g.stream().mapToDouble(Outcome::seconds).average().orElse(0)));
        }
        return rows;
    }

    /** A markdown table of the summaries, with PacGAN's published figures beside the rows they match. */
    public static String table(List<Summary> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| data | variant | runs | steps | modes covered | high quality % | KL | s / run | published modes | published HQ % | published KL |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Summary s : rows) {
            Published p = PUBLISHED.stream().filter(x -> x.dataset().equals(s.dataset()) && x.variant().equals(s.variant()))
                    .findFirst().orElse(null);
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s | %s | %s | %.0f | %s | %s | %s |%n",
                    s.dataset(), s.variant(), s.runs(), s.steps(), spread(s.modes(), s.modesStd(), "%.1f"),
                    spread(s.highQuality(), s.highQualityStd(), "%.1f"), spread(s.kl(), s.klStd(), "%.3f"), s.seconds(),
                    p == null ? "" : number(p.modes(), "%.1f"), p == null ? "" : number(p.highQualityPercent(), "%.1f"),
                    p == null ? "" : number(p.kl(), "%.2f")));
        }
        return b.toString();
    }

    private static String spread(double mean, double std, String format) {
        return Double.isNaN(mean) ? "–" : Double.isNaN(std) ? number(mean, format) : number(mean, format) + " ± " + number(std, format);
    }

    private static String number(double v, String format) {
        return Double.isNaN(v) ? "" : Double.isInfinite(v) ? "∞" : String.format(Locale.ROOT, format, v);
    }
}
