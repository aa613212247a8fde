package org.gan4j.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.gan4j.data.Batch;
import org.gan4j.data.DataLoader;
import org.gan4j.data.Dataset;
import org.gan4j.data.Mixture;
import org.gan4j.gan.DivergenceException;
import org.gan4j.gan.GanLoss;
import org.gan4j.gan.GanModel;
import org.gan4j.gan.Models;
import org.gan4j.gan.StepStats;
import org.gan4j.gan.Trainer;
import org.gan4j.metrics.DomainClassifier;
import org.gan4j.metrics.Metric;
import org.gan4j.nn.SafeTensors;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Scope;
import org.gan4j.tensor.Tensor;

/**
 * One training run in its directory: the loop around {@link Trainer#step}, with samples from
 * a fixed noise batch, metrics (also as TensorBoard events), quality metrics every --eval-every
 * steps, alarms, plots, atomic checkpoints, resume, and rollback on divergence.
 */
public final class TrainingRun {
    private static final int SAMPLE_COUNT = 64;
    /** Few enough to take seconds, not minutes; evaluate's 10,000 give the figures to report. */
    private static final int EVAL_SAMPLES = 1000;
    private static final Set<String> EVAL_METRICS = Set.of("fid", "kid", "pr", "is", "modes");

    private final RunDirectory dir;
    private final RunConfig config;
    private final Dataset data;
    private final PrintStream out;
    private final Trainer trainer;
    private final DataLoader loader;
    private final Tensor fixedNoise;
    private final int[] fixedLabels;
    private final List<Map<String, Object>> history = new ArrayList<>();
    private final Alarms alarms = new Alarms();
    /** The classifier behind --eval-every on images; null for mixtures, which need none, or when evaluation is off. */
    private final DomainClassifier evalClassifier;
    private final boolean evaluating;
    private TensorBoardEvents events;

    public TrainingRun(RunDirectory dir, RunConfig config, Dataset data, PrintStream out) {
        this.dir = dir;
        this.config = config;
        this.data = data;
        this.out = out;
        GanModel model = Models.create(config.model(), config.modelOptions(), Rng.seeded(config.seed()));
        requireCompatible(model, data);
        GanModel emaCopy = config.ema() > 0 ? Models.create(config.model(), config.modelOptions(), Rng.seeded(config.seed())) : null;
        Rng rng = Rng.seeded(config.seed());
        this.trainer = new Trainer(model, GanLoss.named(config.loss()), config.trainOptions(),
                emaCopy == null ? null : emaCopy.generator(), rng.fork(1));
        this.loader = new DataLoader(data, config.batchSize(), rng.fork(2), true, true);
        this.fixedNoise = model.generator().noise(SAMPLE_COUNT, rng.fork(3)).keep();
        this.fixedLabels = model.generator().classesInTurn(SAMPLE_COUNT, 0);
        DomainClassifier.Loaded cached = config.evalEvery() > 0 && !(data instanceof Mixture) ? Classifiers.cachedFor(config.data()) : null;
        this.evalClassifier = cached == null ? null : cached.classifier();
        this.evaluating = config.evalEvery() > 0 && (data instanceof Mixture || cached != null);
        if (config.evalEvery() > 0 && !evaluating) {
            out.println("--eval-every: skipped, " + Classifiers.missing(config.data()));
        }
    }

    private static void requireCompatible(GanModel model, Dataset data) {
        int[] produced = model.generator().outputShape();
        if (!Arrays.equals(produced, data.itemShape())) {
            throw new CliException("model " + model.name() + " makes samples of shape " + Tensor.shapeString(produced)
                    + " but the data has shape " + Tensor.shapeString(data.itemShape()));
        }
        if (model.conditional() && data.classes() == 0) {
            throw new CliException("model " + model.name() + " is class-conditional but " + data.describe() + " has no labels");
        }
    }

    /** Continues from the run's latest checkpoint, if it has one. */
    public void resume() {
        Path latest = dir.latestCheckpoint();
        if (latest == null) return;
        restore(latest);
        readHistory();
        out.println("resumed from " + dir.root().relativize(latest) + " at step " + trainer.steps());
    }

    private void restore(Path checkpoint) {
        SafeTensors.Contents c = SafeTensors.read(checkpoint);
        trainer.loadStateDict(c.tensors(), c.metadata());
        loader.seek(Long.parseLong(c.metadata().get("batches")));
    }

    /** Trains up to the configured number of steps. */
    public void run() {
        try (TensorBoardEvents tensorBoard = TensorBoardEvents.create(dir.root(), trainer.steps() + 1)) {
            events = tensorBoard;
            train();
        }
    }

    private void train() {
        boolean terminal = System.console() != null && System.console().isTerminal();
        int stepsPerEpoch = Math.max(1, data.size() / config.batchSize());
        Progress progress = new Progress(out, terminal, config.steps(), stepsPerEpoch, config.batchSize(), trainer.steps());
        int rollbacks = 0;
        while (trainer.steps() < config.steps()) {
            try {
                Batch batch = loader.next();
                StepStats stats = trainer.step(batch.images(), batch.labels());
                long step = stats.step();
                Double diversity = step % config.sampleEvery() == 0 || step == config.steps() ? saveSamples(step) : null;
                List<Metric> quality = evaluating && (step % config.evalEvery() == 0 || step == config.steps()) ? evaluate() : List.of();
                record(stats, progress.imagesPerSecond(step), diversity, quality);
                progress.update(stats);
                alarms.step(step, stats.lossD(), stats.lossG(), stats.dFake()).forEach(this::sound);
                if (diversity != null) alarms.diversity(step, diversity).forEach(this::sound);
                if (step % config.checkpointEvery() == 0 || step == config.steps()) {
                    checkpoint(step);
                    plot();
                }
            } catch (DivergenceException e) {
                sound(alarms.diverged(e.step(), e.getMessage()));
                rollbacks = rollBack(e, rollbacks);
            }
        }
    }

    /** An alarm goes to the log and to alarms.jsonl, where the dashboard shows it. */
    private void sound(Alarms.Alarm alarm) {
        out.println();
        out.println("alarm at step " + alarm.step() + ": " + alarm.message());
        dir.appendAlarm(alarm);
    }

    /** Back to the last good checkpoint with halved learning rates, a limited number of times. */
    private int rollBack(DivergenceException e, int rollbacks) {
        out.println();
        out.println("diverged: " + e.getMessage());
        Path latest = dir.latestCheckpoint();
        if (!config.onNan().equals("rollback")) throw new CliException("training diverged (" + e.getMessage() + "); stopped (--on-nan stop)");
        if (latest == null) throw new CliException("training diverged (" + e.getMessage() + ") before the first checkpoint; nothing to roll back to");
        if (rollbacks >= config.maxRollbacks()) {
            throw new CliException("training diverged " + (rollbacks + 1) + " times; giving up (last: " + e.getMessage()
                    + "). Try lower learning rates.");
        }
        float lrG = trainer.generatorOptimizer().learningRate() / 2, lrD = trainer.discriminatorOptimizer().learningRate() / 2;
        restore(latest);
        trainer.generatorOptimizer().setLearningRate(lrG);
        trainer.discriminatorOptimizer().setLearningRate(lrD);
        out.printf(Locale.ROOT, "rolled back to step %d (%s); learning rates halved to G %.3g, D %.3g%n",
                trainer.steps(), dir.root().relativize(latest), lrG, lrD);
        return rollbacks + 1;
    }

    private void record(StepStats s, double imagesPerSecond, Double sampleDiversity, List<Metric> quality) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", s.step());
        line.put("loss_d", finiteOrNull(s.lossD()));
        line.put("loss_g", finiteOrNull(s.lossG()));
        line.put("d_real", finiteOrNull(s.dReal()));
        line.put("d_fake", finiteOrNull(s.dFake()));
        line.put("images_per_s", Math.round(imagesPerSecond * 10) / 10.0);
        if (sampleDiversity != null) line.put("sample_diversity", Math.round(sampleDiversity * 1e4) / 1e4);
        for (Metric m : quality) line.put(m.name(), Double.isFinite(m.value()) ? Math.round(m.value() * 1e4) / 1e4 : null);
        // the numbers' provenance as one string, which the dashboard does not chart
        if (!quality.isEmpty()) {
            Metric first = quality.getFirst();
            line.put("eval_on", first.extractor() + ", " + (first.nReal() > 0 ? first.nReal() + " real, " : "") + first.nFake() + " generated");
        }
        history.add(line);
        dir.appendMetrics(line);
        Map<String, Object> scalars = new LinkedHashMap<>(line);
        scalars.remove("step");   // TensorBoard has the step already
        events.scalars(s.step(), scalars);
    }

    private static Object finiteOrNull(float v) {
        return Float.isFinite(v) ? (Object) v : null;
    }

    /** Quality metrics of fresh samples from the sampling generator (the EMA one when there is one). */
    private List<Metric> evaluate() {
        try (Scope scope = Scope.open()) {
            return GeneratorMetrics.evaluate(trainer.samplingGenerator(), data, evalClassifier, EVAL_METRICS, EVAL_SAMPLES, config.seed());
        }
    }

    /** Writes the fixed noise batch's picture (also to TensorBoard) and returns the samples' mean pairwise distance. */
    private double saveSamples(long step) {
        Tensor samples;
        var g = trainer.samplingGenerator();
        boolean wasTraining = g.isTraining();
        try (var ng = Autograd.noGrad()) {
            g.eval();
            samples = g.generate(fixedNoise, fixedLabels);
        } finally {
            g.train(wasTraining);
        }
        BufferedImage picture = Samples.picture(samples);
        byte[] png = Images.png(picture);
        try {
            RunDirectory.writeAtomically(dir.samples().resolve(String.format(Locale.ROOT, "step-%06d.png", step)), png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write samples of step " + step, e);
        }
        events.image(step, "samples", png, picture.getWidth(), picture.getHeight(), picture.getColorModel().hasAlpha() ? 4 : 3);
        return Alarms.meanPairwiseDistance(samples.toArray(), samples.size(0));
    }

    /** Writes the full training state, then points {@code latest} at it: never at a half-written or non-finite one. */
    private void checkpoint(long step) {
        Map<String, String> meta = new HashMap<>();
        Map<String, Tensor> state = trainer.stateDict(meta);
        state.forEach((name, t) -> {
            if (!t.allFinite()) throw new DivergenceException(step, name + " is not finite; checkpoint not written");
        });
        meta.put("batches", Long.toString(loader.position()));
        meta.put("model", config.model());
        meta.put("version", config.version());
        String name = String.format(Locale.ROOT, "step-%06d.safetensors", step);
        SafeTensors.write(dir.checkpoints().resolve(name), state, meta);
        try {
            RunDirectory.writeAtomically(dir.checkpoints().resolve("latest"), (name + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readHistory() {
        for (Map<String, Object> m : dir.readMetrics()) {
            if (((Number) m.get("step")).longValue() <= trainer.steps()) history.add(m);
        }
    }

    private void plot() {
        List<Double> steps = series("step");
        List<String> titles = new ArrayList<>(List.of("losses", "discriminator outputs"));
        List<List<Plots.Series>> panels = new ArrayList<>(List.of(
                List.of(new Plots.Series("D loss", steps, series("loss_d")), withoutNulls("G loss", steps, "loss_g")),
                List.of(new Plots.Series("D(x)", steps, series("d_real")), new Plots.Series("D(G(z))", steps, series("d_fake")))));
        // the headline quality figure, once --eval-every has measured it
        for (String key : List.of("fid", "modes_covered", "stacked_modes_covered")) {
            if (history.stream().anyMatch(m -> m.get(key) != null)) {
                titles.add(key.equals("fid") ? "Fréchet distance in the classifier's features" : key.replace('_', ' '));
                panels.add(List.of(withoutNulls(key, steps, key)));
                break;
            }
        }
        Plots.write(dir.plots().resolve("losses.png"), titles, panels);
    }

    private List<Double> series(String key) {
        List<Double> v = new ArrayList<>();
        for (Map<String, Object> m : history) v.add(m.get(key) == null ? Double.NaN : ((Number) m.get(key)).doubleValue());
        return v;
    }

    private Plots.Series withoutNulls(String name, List<Double> steps, String key) {
        List<Double> x = new ArrayList<>(), y = new ArrayList<>();
        List<Double> all = series(key);
        for (int i = 0; i < all.size(); i++) {
            if (!all.get(i).isNaN()) {
                x.add(steps.get(i));
                y.add(all.get(i));
            }
        }
        return new Plots.Series(name, x, y);
    }

    public Trainer trainer() {
        return trainer;
    }
}
