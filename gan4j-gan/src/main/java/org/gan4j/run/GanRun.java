package org.gan4j.run;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * One training run in its directory: the loop around {@link Trainer#step}, with samples from a
 * fixed noise batch, metrics.jsonl, quality metrics every {@code evalEvery} steps, alarms, atomic
 * checkpoints, exact resume, and rollback on divergence. Made by {@link #builder()}; observers
 * attach as {@link RunListener}s.
 *
 * <pre>{@code
 * GanRun run = GanRun.builder().model("dcgan28").data("mnist-test").steps(2_000).directory(Path.of("runs/digits")).build();
 * run.fit();
 * Tensor images = TrainedGenerator.load(Path.of("runs/digits")).sample(64, 7);
 * }</pre>
 */
public final class GanRun {
    private static final int SAMPLE_COUNT = 64;
    /** Few enough to take seconds, not minutes; evaluate's 10,000 give the figures to report. */
    private static final int EVAL_SAMPLES = 1000;
    private static final Set<String> EVAL_METRICS = Set.of("fid", "kid", "pr", "is", "modes");

    private final RunDirectory dir;
    private final RunConfig config;
    private final Dataset data;
    /** D's logits on trained against left-out images at every evaluation; null without a data limit. */
    private final OverfitCheck overfitCheck;
    private final List<RunListener> listeners;
    private final Trainer trainer;
    private final DataLoader loader;
    private final Tensor fixedNoise;
    private final int[] fixedLabels;
    private final List<Map<String, Object>> history = new ArrayList<>();
    private final Alarms alarms = new Alarms();
    /** The classifier behind evalEvery on images; null for mixtures, which need none, or when evaluation is off. */
    private final DomainClassifier evalClassifier;
    private final boolean evaluating;
    private long startStep;
    private long startNanos;

    GanRun(RunDirectory dir, RunConfig config, Dataset data, OverfitCheck overfitCheck, GanModel model, GanModel emaCopy,
            List<RunListener> listeners) {
        this.dir = dir;
        this.config = config;
        this.data = data;
        this.overfitCheck = overfitCheck;
        this.listeners = List.copyOf(listeners);
        Rng rng = Rng.seeded(config.seed());
        this.trainer = new Trainer(model, GanLoss.named(config.loss()), config.trainOptions(),
                emaCopy == null ? null : emaCopy.generator(), rng.fork(1));
        this.loader = new DataLoader(data, config.batchSize(), rng.fork(2), true, true);
        this.fixedNoise = model.generator().noise(SAMPLE_COUNT, rng.fork(3)).keep();
        this.fixedLabels = model.generator().classesInTurn(SAMPLE_COUNT, 0);
        DomainClassifier.Loaded cached = config.evalEvery() > 0 && !(data instanceof Mixture) ? Classifiers.cachedFor(config.data()) : null;
        this.evalClassifier = cached == null ? null : cached.classifier();
        this.evaluating = config.evalEvery() > 0 && (data instanceof Mixture || cached != null);
    }

    /** A new run, or with {@link RunBuilder#resume} the continuation of one. */
    public static RunBuilder builder() {
        return new RunBuilder();
    }

    /**
     * Trains up to the configured number of steps: writes config.json, continues from the latest
     * checkpoint when there is one, and checkpoints as configured and at the end.
     */
    public void fit() {
        dir.create();
        dir.writeConfig(Provenance.of(config));
        if (config.evalEvery() > 0 && !evaluating) tell("evalEvery: skipped, " + Classifiers.missing(config.data()));
        resume();
        startStep = trainer.steps();
        startNanos = System.nanoTime();
        listeners.forEach(l -> l.started(this));
        try {
            train();
        } finally {
            listeners.forEach(l -> l.finished(this));
        }
    }

    /** Continues from the newest whole checkpoint, if there is one, after repairing what a kill can leave behind. */
    private void resume() {
        RunDirectory.Checkpoint latest = dir.newestCheckpoint(this::tell);
        dir.repair(latest == null ? 0 : latest.step(), this::tell);
        if (latest == null) return;
        restore(latest);
        history.addAll(dir.readMetrics());
        tell("resumed from " + dir.root().relativize(latest.file()) + " at step " + trainer.steps());
    }

    private void restore(RunDirectory.Checkpoint checkpoint) {
        trainer.loadStateDict(checkpoint.contents().tensors(), checkpoint.contents().metadata());
        loader.seek(Long.parseLong(checkpoint.contents().metadata().get("batches")));
    }

    private void train() {
        int rollbacks = 0;
        while (trainer.steps() < config.steps()) {
            try {
                Batch batch = loader.next();
                StepStats stats = trainer.step(batch.images(), batch.labels());
                long step = stats.step();
                Double diversity = step % config.sampleEvery() == 0 || step == config.steps() ? saveSamples(step) : null;
                boolean evalStep = config.evalEvery() > 0 && (step % config.evalEvery() == 0 || step == config.steps());
                List<Metric> quality = evaluating && evalStep ? evaluate() : List.of();
                OverfitCheck.Logits logits = overfitCheck != null && evalStep ? overfitCheck.measure(trainer.model().discriminator()) : null;
                Map<String, Object> line = record(stats, diversity, quality, logits);
                listeners.forEach(l -> l.stepped(stats, line));
                alarms.step(step, stats.lossD(), stats.lossG(), stats.dFake()).forEach(this::sound);
                if (diversity != null) alarms.diversity(step, diversity).forEach(this::sound);
                if (step % config.checkpointEvery() == 0 || step == config.steps()) checkpoint(step);
            } catch (DivergenceException e) {
                sound(alarms.diverged(e.step(), e.getMessage()));
                rollbacks = rollBack(e, rollbacks);
            }
        }
    }

    private void tell(String line) {
        listeners.forEach(l -> l.message(line));
    }

    /** An alarm goes to the listeners and to alarms.jsonl, where the dashboard shows it. */
    private void sound(Alarms.Alarm alarm) {
        dir.appendAlarm(alarm);
        listeners.forEach(l -> l.alarm(alarm));
    }

    /** Back to the last good checkpoint with halved learning rates, a limited number of times. */
    private int rollBack(DivergenceException e, int rollbacks) {
        tell("diverged: " + e.getMessage());
        RunDirectory.Checkpoint latest = config.onNan().equals("rollback") ? dir.newestCheckpoint(this::tell) : null;
        if (!config.onNan().equals("rollback")) throw new RunException("training diverged (" + e.getMessage() + "); stopped (on NaN: stop)");
        if (latest == null) throw new RunException("training diverged (" + e.getMessage() + ") before the first checkpoint; nothing to roll back to");
        if (rollbacks >= config.maxRollbacks()) {
            throw new RunException("training diverged " + (rollbacks + 1) + " times; giving up (last: " + e.getMessage()
                    + "). Try lower learning rates.");
        }
        float scale = trainer.learningRateScale() / 2;   // the checkpoint holds the scale of its own time
        restore(latest);
        trainer.setLearningRateScale(scale);
        tell(String.format(Locale.ROOT, "rolled back to step %d (%s); learning rates halved to %s of the configured ones",
                trainer.steps(), dir.root().relativize(latest.file()), trainer.learningRateScale()));
        return rollbacks + 1;
    }

    private Map<String, Object> record(StepStats s, Double sampleDiversity, List<Metric> quality, OverfitCheck.Logits logits) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", s.step());
        line.put("loss_d", finiteOrNull(s.lossD()));
        line.put("loss_g", finiteOrNull(s.lossG()));
        line.put("d_real", finiteOrNull(s.dReal()));
        line.put("d_fake", finiteOrNull(s.dFake()));
        line.put("images_per_s", Math.round(imagesPerSecond(s.step()) * 10) / 10.0);
        if (trainer.augmenter() != null && trainer.augmenter().spec().adaptive()) line.put("ada_p", trainer.augmenter().probability());
        if (sampleDiversity != null) line.put("sample_diversity", Math.round(sampleDiversity * 1e4) / 1e4);
        if (logits != null) {
            line.put("d_logit_seen", finiteOrNull((float) logits.seen()));
            line.put("d_logit_unseen", finiteOrNull((float) logits.unseen()));
        }
        for (Metric m : quality) line.put(m.name(), Double.isFinite(m.value()) ? Math.round(m.value() * 1e4) / 1e4 : null);
        // the numbers' provenance as one string, which the dashboard does not chart
        if (!quality.isEmpty()) {
            Metric first = quality.getFirst();
            line.put("eval_on", first.extractor() + ", " + (first.nReal() > 0 ? first.nReal() + " real, " : "") + first.nFake() + " generated");
        }
        history.add(line);
        dir.appendMetrics(line);
        return line;
    }

    /** Images per second since this run (or resume) started. */
    private double imagesPerSecond(long step) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return seconds > 0 ? (step - startStep) * (double) config.batchSize() / seconds : 0;
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

    /** Writes the fixed noise batch's picture and returns the samples' mean pairwise distance. */
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
        dir.write(dir.samples().resolve(String.format(Locale.ROOT, "step-%06d.png", step)), png);
        listeners.forEach(l -> l.sampled(step, picture, png));
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
        meta.put("provenance", Provenance.of(config).withoutTime().toJson());
        String name = String.format(Locale.ROOT, "step-%06d.safetensors", step);
        Path file = dir.checkpoints().resolve(name);
        SafeTensors.write(file, state, meta);
        dir.write(dir.checkpoints().resolve("latest"), (name + "\n").getBytes(StandardCharsets.UTF_8));
        listeners.forEach(l -> l.checkpointed(step, file));
    }

    public RunConfig config() {
        return config;
    }

    public RunDirectory directory() {
        return dir;
    }

    public Dataset data() {
        return data;
    }

    public Trainer trainer() {
        return trainer;
    }

    /** The metrics.jsonl lines of this run so far, oldest first (after a resume, also those before it). */
    public List<Map<String, Object>> history() {
        return List.copyOf(history);
    }

    /** The step this session started from: 0 for a new run, the checkpoint's step after a resume. */
    public long startStep() {
        return startStep;
    }

    /** Steps in one pass over the data. */
    public int stepsPerEpoch() {
        return loader.batchesPerEpoch();
    }
}
