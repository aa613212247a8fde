package org.gan4j.gan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gan4j.data.DataLoader;
import org.gan4j.data.Mixture;
import org.gan4j.data.Mixtures;
import org.gan4j.metrics.MixtureMetrics;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;

/**
 * The 2-D mode-collapse benchmark of VEEGAN and PacGAN (Lin et al. 2018, Table 1), for the plain
 * GAN and each countermeasure: mlp2d (G 4×400 ReLU + BatchNorm, z = 2; D 3×200 ReLU), Adam 1e-4
 * with β1 0.8, batch 100, 100,000 training points, non-saturating loss; then 2,500 samples from G
 * (evaluation mode) judged by {@link MixtureMetrics}. PacGAN's packs are formed within the batch:
 * 100 samples make 50 packs of 2.
 */
public final class ModeCollapseExperiment {
    public static final List<String> DATASETS = List.of("ring8", "grid25");
    public static final int BATCH = 100, SAMPLES = 2500, TRAINING_POINTS = 100_000;
    public static final float LEARNING_RATE = 1e-4f, BETA1 = 0.8f;
    private static final long DATA_SEED = 2018;

    private ModeCollapseExperiment() {
    }

    /** One arm of the experiment: the countermeasures built into D, and G's weight average (0 = none). */
    public record Variant(String name, Countermeasures countermeasures, float emaDecay) {
    }

    private static final Countermeasures NONE = Countermeasures.none();
    public static final List<Variant> VARIANTS = List.of(
            new Variant("gan", NONE, 0f),
            new Variant("pacgan2", NONE.withPack(2), 0f),
            new Variant("pacgan3", NONE.withPack(3), 0f),
            new Variant("pacgan4", NONE.withPack(4), 0f),
            new Variant("minibatch-discrimination", NONE.withMinibatchDiscrimination(32), 0f),
            new Variant("minibatch-std", NONE.withMinibatchStd(true), 0f),
            new Variant("spectral-norm", NONE.withSpectralNorm(true), 0f),
            new Variant("ema", NONE, 0.999f));

    public static Variant variant(String name) {
        return VARIANTS.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "unknown variant '" + name + "' (known: " + String.join(", ", VARIANTS.stream().map(Variant::name).toList()) + ")"));
    }

    /** A row of PacGAN's Table 1 (Lin et al. 2018): mean modes covered and high-quality share in percent. */
    public record Published(String dataset, String variant, double modes, double highQualityPercent) {
    }

    public static final List<Published> PUBLISHED = List.of(
            new Published("ring8", "gan", 6.3, 98.2),
            new Published("ring8", "pacgan2", 7.9, 95.6),
            new Published("grid25", "gan", 17.3, 94.8),
            new Published("grid25", "pacgan4", 24.8, 93.6));

    /** One training run and its evaluation. */
    public record Outcome(String dataset, String variant, long seed, long steps, MixtureMetrics.Result result, double seconds) {
    }

    public static Mixture data(String dataset) {
        return switch (dataset) {
            case "ring8" -> Mixtures.ring8(TRAINING_POINTS, DATA_SEED);
            case "grid25" -> Mixtures.grid25(TRAINING_POINTS, DATA_SEED);
            default -> throw new IllegalArgumentException("unknown dataset '" + dataset + "' (known: " + String.join(", ", DATASETS) + ")");
        };
    }

    /** Trains {@code steps} steps of {@code v} on {@code dataset} from {@code seed} and evaluates 2,500 samples. */
    public static Outcome run(String dataset, Variant v, long seed, long steps) {
        long start = System.nanoTime();
        Mixture data = data(dataset);
        ModelOptions options = ModelOptions.defaults().withCountermeasures(v.countermeasures());
        Rng rng = Rng.seeded(seed);
        GanModel model = Models.create("mlp2d", options, rng.fork(0));
        Generator emaCopy = v.emaDecay() > 0 ? Models.create("mlp2d", options, rng.fork(0)).generator() : null;
        TrainOptions train = TrainOptions.defaults().withLearningRates(LEARNING_RATE, LEARNING_RATE)
                .withBetas(new float[] {BETA1, 0.999f}, new float[] {BETA1, 0.999f}).withEma(v.emaDecay());
        Trainer trainer = new Trainer(model, GanLoss.nonSaturating(), train, emaCopy, rng.fork(1));
        DataLoader loader = new DataLoader(data, BATCH, rng.fork(2), true, true);
        for (long s = 0; s < steps; s++) trainer.step(loader.next().images(), null);
        MixtureMetrics.Result result = evaluate(trainer.samplingGenerator(), data, rng.fork(3));
        return new Outcome(dataset, v.name(), seed, steps, result, (System.nanoTime() - start) / 1e9);
    }

    /** The PacGAN/VEEGAN protocol: 2,500 samples from G in evaluation mode against the mixture's modes. */
    public static MixtureMetrics.Result evaluate(Generator g, Mixture data, Rng rng) {
        float[] samples;
        boolean wasTraining = g.isTraining();
        try (var ng = Autograd.noGrad()) {
            g.eval();
            samples = g.generate(g.noise(SAMPLES, rng), null).toArray();
        } finally {
            g.train(wasTraining);
        }
        List<float[]> modes = data.modes().stream().map(m -> new float[] {m.x(), m.y()}).toList();
        return MixtureMetrics.evaluate(samples, modes, data.sigma());
    }

    /** Mean and sample standard deviation over the seeds of one dataset and variant. */
    public record Summary(String dataset, String variant, int runs, long steps, double modes, double modesStd,
                          double highQuality, double highQualityStd, double reverseKl, double reverseKlStd, double seconds) {
    }

    public static List<Summary> summarize(List<Outcome> outcomes) {
        Map<String, List<Outcome>> groups = new LinkedHashMap<>();
        for (Outcome o : outcomes) groups.computeIfAbsent(o.dataset() + "/" + o.variant(), k -> new ArrayList<>()).add(o);
        List<Summary> rows = new ArrayList<>();
        for (List<Outcome> g : groups.values()) {
            double[] modes = g.stream().mapToDouble(o -> o.result().modesCovered()).toArray();
            double[] hq = g.stream().mapToDouble(o -> 100 * o.result().highQualityShare()).toArray();
            double[] kl = g.stream().mapToDouble(o -> o.result().reverseKl()).toArray();
            rows.add(new Summary(g.get(0).dataset(), g.get(0).variant(), g.size(), g.get(0).steps(), mean(modes), std(modes),
                    mean(hq), std(hq), mean(kl), std(kl), g.stream().mapToDouble(Outcome::seconds).average().orElse(0)));
        }
        return rows;
    }

    /** A markdown table of the summaries, with PacGAN's published figures beside the rows they match. */
    public static String table(List<Summary> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| data | variant | runs | steps | modes covered | high quality % | reverse KL | s / run | published modes | published HQ % |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Summary s : rows) {
            Published p = PUBLISHED.stream().filter(x -> x.dataset().equals(s.dataset()) && x.variant().equals(s.variant()))
                    .findFirst().orElse(null);
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.1f ± %.1f | %.1f ± %.1f | %s ± %s | %.0f | %s | %s |%n",
                    s.dataset(), s.variant(), s.runs(), s.steps(), s.modes(), s.modesStd(), s.highQuality(), s.highQualityStd(),
                    number(s.reverseKl()), number(s.reverseKlStd()), s.seconds(),
                    p == null ? "" : String.format(Locale.ROOT, "%.1f", p.modes()),
                    p == null ? "" : String.format(Locale.ROOT, "%.1f", p.highQualityPercent())));
        }
        return b.toString();
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "∞";
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    private static double std(double[] v) {
        if (v.length < 2) return 0;
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / (v.length - 1));
    }
}
