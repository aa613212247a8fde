package org.gan4j.gan;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gan4j.optim.Optimizer;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Replay;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Scope;
import org.gan4j.tensor.Tensor;

/**
 * Trains a generator G against a discriminator D, each with its own optimizer (Adam unless the
 * options say otherwise) over its own parameters. {@link #step} is the textbook algorithm, phase by phase.
 */
public final class Trainer {
    /**
     * A loss this large means training has diverged even while it stays finite: GAN losses live
     * within tens (WGAN's critic within thousands), and a run past this only grows to infinity.
     */
    public static final float LOSS_LIMIT = 1e6f;
    private static final long AUGMENT_STREAM = 1;
    private final GanModel model;
    private final GanLoss loss;
    private final TrainOptions options;
    private final Optimizer optG, optD;
    /** The networks' parameters by name, for the gradient checks of every step (built once: the names are new strings each time). */
    private final Map<String, Tensor> namedG, namedD;
    private final Ema ema;
    /** Augments what D sees (null: no augmentation, and no work for it on the step's path). */
    private final Augmenter augmenter;
    private Rng rng;
    private long step;
    /** What rollbacks have done to the learning rates (halved each time), applied on top of a schedule. */
    private float lrScale = 1f;
    /** The last step's statistics, set as it ends (by a live action when it is replayed). */
    private StepStats stats;
    /** Steps are recorded and replayed (on by default); off, every step runs eagerly. */
    private boolean replay = true;
    private final Map<StepKind, Recorded> recorded = new HashMap<>();
    private long replayedSteps;

    /** What a replayed step's kernels depend on besides the values in memory. */
    private record StepKind(String batchShape, boolean trainG, boolean regularize, boolean gTraining,
                            boolean dTraining, long learningParameters) {
    }

    /** One kind of step: the batch memory its kernels read, and its recording (null until its second step). */
    private static final class Recorded {
        final Tensor batch;
        Replay replay;

        Recorded(Tensor batch) {
            this.batch = batch;
        }
    }

    /**
     * @param emaCopy a second generator of G's architecture to hold the weight average, or null
     *                when {@code options.emaDecay()} is 0
     */
    public Trainer(GanModel model, GanLoss loss, TrainOptions options, Generator emaCopy, Rng rng) {
        this.model = model;
        this.loss = loss;
        this.options = options;
        this.rng = rng;
        this.optG = options.optimizerG().create(model.generator().parameters());
        this.optD = options.optimizerD().create(model.discriminator().parameters());
        this.namedG = model.generator().namedParameters();
        this.namedD = model.discriminator().namedParameters();
        this.ema = options.emaDecay() > 0 ? new Ema(model.generator(), emaCopy, options.emaDecay()) : null;
        // a stream of its own: the noise z and the data's order stay those of a run without augmentation
        this.augmenter = options.augment().enabled() ? new Augmenter(options.augment(), rng.fork(AUGMENT_STREAM)) : null;
    }

    /**
     * One D update on a real batch and, every {@code dSteps}-th call, one G update. Conditional
     * models draw their fakes with the real batch's classes.
     *
     * <p>Unless {@link #setReplay} turned it off, a step whose kind was seen before runs as a {@link Replay}
     * of that kind's recorded kernels: the first step of a kind runs eagerly (it makes the gradients and the
     * optimizers' state), the second is recorded as it runs, the others replay it, with the same bits. A kind is
     * the batch's shape, whether G learns and R1/R2 apply, the networks' modes and which parameters learn; a
     * step with per-step host work in its kernels (classes, augmentation, instance noise, a look-ahead, a γ
     * schedule) always runs eagerly.
     */
    public StepStats step(Tensor real, int[] labels) {
        boolean trainG = (step + 1) % options.dSteps() == 0;
        // a schedule or a rollback drives the rates; otherwise they are the optimizers' own (a caller may set them)
        if (lrScale != 1f || !options.lrSchedule().equals("constant")) setLearningRates();
        step++;
        if (!replay || !replayable()) {
            phases(real, labels, trainG);
            return stats;
        }
        StepKind kind = new StepKind(Tensor.shapeString(real.shape()), trainG, step % options.regEvery() == 0,
                model.generator().isTraining(), model.discriminator().isTraining(), learningParameters());
        Recorded r = recorded.get(kind);
        if (r == null) {
            recorded.put(kind, new Recorded(Scope.outside(real::copy)));
            phases(real, labels, trainG);
        } else if (r.replay != null && r.replay.failure() != null) {
            phases(real, labels, trainG);   // the step read values back as it was recorded: it runs eagerly
        } else {
            r.batch.assign(real);   // the memory the recorded kernels read
            if (r.replay == null) {
                r.replay = Replay.record(() -> phases(r.batch, labels, trainG));
                if (r.replay.failure() != null) r.replay.close();
            } else {
                r.replay.run();
                replayedSteps++;
            }
        }
        return stats;
    }

    /** The textbook algorithm, phase by phase, in a scope of its own; sets {@link #stats}. */
    private void phases(Tensor real, int[] labels, boolean trainG) {
        Generator g = model.generator();
        Discriminator d = model.discriminator();
        int n = real.size(0);
        int[] fakeLabels = model.conditional() ? labels : null;
        try (Scope scope = Scope.open()) {
            // 1. z ~ N(0, 1); f = G(z)   (G's graph is only kept when G learns on this f)
            boolean freshNoise = options.gNoise().equals("fresh");
            Tensor fake = fakes(n, fakeLabels, trainG && !freshNoise);

            // 2-4. D's update on the real batch and f.detach(): no gradient reaches G
            DiscriminatorStep ds = updateDiscriminator(real, fake.detach(), labels, fakeLabels);
            if (augmenter != null) augmenter.observe(ds.yReal(), n);

            Tensor lossG = null;
            if (trainG) {
                // unrolled GAN (Metz et al. 2017): G answers the D of k more updates; D goes back afterwards
                SavedDiscriminator beforeLookAhead = options.unrollSteps() > 0 ? lookAhead(real, labels, fakeLabels) : null;

                // 5. y_f = D(f) with D's parameters frozen; loss_G = -log(y_f) (non-saturating),
                //    on the f D judged or on a fresh f = G(z')
                if (freshNoise) fake = fakes(n, fakeLabels, true);
                d.requiresGrad(false);
                try {
                    Tensor yFake = d.score(seen(fake), fakeLabels);
                    // a relativistic loss compares with D(x) too, judged by this same (updated) D: a constant for G
                    Tensor lg = loss.pairsRealWithFake() ? loss.generator(judge(real, labels), yFake) : loss.generator(yFake);
                    Replay.live(() -> finiteValue(lg, "G's loss"));
                    optG.zeroGrad();
                    lg.backward();
                    lossG = lg;
                } finally {
                    d.requiresGrad(true);
                }
                Replay.live(() -> checkGradients(namedG, "generator"));
                if (beforeLookAhead != null) beforeLookAhead.restore();

                // 6. step only G's optimizer
                optG.step();
                if (ema != null) ema.update(g);
            }
            setStats(ds, lossG);
        }
    }

    /**
     * Whether this step's kernels can be recorded: its per-step values all reach them through live work
     * (noise, learning rates, losses). A conditional model's classes index an embedding (an unconditional one
     * ignores them), augmentation draws its transforms on the host, and instance noise, a look-ahead or a γ
     * schedule change scalars inside the step.
     */
    private boolean replayable() {
        boolean gammaChanges = !options.gammaSchedule().equals("constant") && (options.r1Gamma() > 0 || options.r2Gamma() > 0);
        return !model.conditional() && augmenter == null && options.instanceNoise() == 0 && options.unrollSteps() == 0 && !gammaChanges;
    }

    /** A fingerprint of which parameters learn: freezing a layer changes the kernels of a step. */
    private long learningParameters() {
        long h = 1;
        for (Tensor p : namedG.values()) h = 31 * h + (p.requiresGrad() ? 1 : 0);
        for (Tensor p : namedD.values()) h = 31 * h + (p.requiresGrad() ? 1 : 0);
        return h;
    }

    /**
     * Turns step replay on (the default) or off. Both give the same bits; off, every step builds its
     * graph anew (for debugging, or for code that changes the step between calls in ways {@link #step} cannot see).
     */
    public void setReplay(boolean on) {
        replay = on;
        if (!on) forgetRecordings();
    }

    /** Drops every recording (their memory goes back to the pool): the next steps of each kind record anew. */
    private void forgetRecordings() {
        for (Recorded r : recorded.values()) if (r.replay != null) r.replay.close();
        recorded.clear();
    }

    /** G(z) for a fresh z ~ N(0, 1); G's graph is kept only when G will learn from it. */
    private Tensor fakes(int n, int[] labels, boolean forG) {
        Generator g = model.generator();
        Tensor z = g.noise(n, rng);
        try (var ng = forG ? null : Autograd.noGrad()) {
            return g.generate(z, labels);
        }
    }

    /** lr = lr₀ · scale · schedule(t), from the step and the rollbacks' scale alone, so that a resumed run continues exactly. */
    private void setLearningRates() {
        double f = Schedule.factor(options.lrSchedule(), step, options.scheduleSteps()) * lrScale;
        optG.setLearningRate((float) (options.optimizerG().lr() * f));
        optD.setLearningRate((float) (options.optimizerD().lr() * f));
    }

    /** D's loss and its outputs, for the step's statistics (unused after the look-ahead updates). */
    private record DiscriminatorStep(Tensor loss, Tensor yReal, Tensor yFake) {
    }

    /** Phases 2 to 4: D judges the real batch and the (detached) fakes, and only D's optimizer steps. */
    private DiscriminatorStep updateDiscriminator(Tensor real, Tensor fake, int[] labels, int[] fakeLabels) {
        Discriminator d = model.discriminator();
        // 2. y_x = D(x) on the real batch, y_f = D(f)
        Tensor yReal = d.score(seen(real), labels);
        Tensor yFake = d.score(seen(fake), fakeLabels);

        // 3. loss_D = -log(y_x) - log(1 - y_f), from logits (or the chosen loss's D side)
        Tensor lossD = loss.discriminator(yReal, yFake, options.realTarget());
        if (loss.needsGradientPenalty()) {
            lossD = lossD.add(GradientPenalty.wgan(critic(), real, fake, labels, rng).mul(options.gradientPenalty()));
        }
        Tensor regularized = withGradientRegularization(lossD, real, fake, labels, fakeLabels);
        Replay.live(() -> finiteValue(regularized, "D's loss"));

        // 4. step only D's optimizer: it holds only D's parameters
        optD.zeroGrad();
        regularized.backward();
        Replay.live(() -> checkGradients(namedD, "discriminator"));
        optD.step();
        return new DiscriminatorStep(regularized, yReal, yFake);
    }

    /**
     * R1 and R2, γ/2·E‖∇ₓD‖² on real and on fake samples: they keep D flat around the data, so it
     * cannot push G with steep gradients. Lazy (StyleGAN2) with regEvery = k: every k-th step only,
     * weighted by k, so that the average penalty stays the same at a k-th of the double-backward cost.
     */
    private Tensor withGradientRegularization(Tensor lossD, Tensor real, Tensor fake, int[] labels, int[] fakeLabels) {
        int k = options.regEvery();
        if (step % k != 0) return lossD;
        Critic d = critic();
        // γ·1f is γ exactly: a constant schedule changes no bit
        float s = (float) Schedule.factor(options.gammaSchedule(), step - 1, options.scheduleSteps());
        if (options.r1Gamma() > 0) lossD = lossD.add(GradientPenalty.r1(d, real, labels).mul(options.r1Gamma() * s / 2 * k));
        if (options.r2Gamma() > 0) lossD = lossD.add(GradientPenalty.r2(d, fake, fakeLabels).mul(options.r2Gamma() * s / 2 * k));
        return lossD;
    }

    /** D's logits for the real batch, as constants (D is frozen in phase 2). */
    private Tensor judge(Tensor real, int[] labels) {
        try (var ng = Autograd.noGrad()) {
            return model.discriminator().score(seen(real), labels);
        }
    }

    /** D's weights, buffers and optimizer state, copied in the step's scope. */
    private final class SavedDiscriminator {
        private final Map<String, Tensor> weights = new LinkedHashMap<>();
        private final Optimizer.Saved optimizer = optD.save();

        SavedDiscriminator() {
            model.discriminator().stateDict().forEach((k, v) -> weights.put(k, v.copy()));
        }

        void restore() {
            model.discriminator().loadStateDict(weights, true);
            optD.restore(optimizer);
        }
    }

    /** Saves D, then gives it {@code unrollSteps} more updates on the real batch, each against fresh fakes. */
    private SavedDiscriminator lookAhead(Tensor real, int[] labels, int[] fakeLabels) {
        SavedDiscriminator saved = new SavedDiscriminator();
        for (int k = 0; k < options.unrollSteps(); k++) {
            updateDiscriminator(real, fakes(real.size(0), fakeLabels, false), labels, fakeLabels);
        }
        return saved;
    }

    /** What D is shown of a batch: augmented (when on), then with instance noise (when on). */
    private Tensor seen(Tensor x) {
        return withInstanceNoise(augmenter == null ? x : augmenter.apply(x));
    }

    /** D as the penalties differentiate it: through the augmentation, as D sees its inputs (without the instance noise). */
    private Critic critic() {
        Discriminator d = model.discriminator();
        return augmenter == null ? d : (x, labels) -> d.score(augmenter.apply(x), labels);
    }

    /** Adds N(0, σ²) noise to D's input, σ fading linearly to 0 (Sønderby et al. 2017). */
    private Tensor withInstanceNoise(Tensor x) {
        if (options.instanceNoise() <= 0) return x;
        float fade = options.noiseSteps() > 0 ? Math.max(0f, 1f - (float) step / options.noiseSteps()) : 1f;
        float sigma = options.instanceNoise() * fade;
        return sigma == 0f ? x : x.add(Tensor.randn(rng, x.shape()).to(x.backend()).mul(sigma));
    }

    /**
     * Sets {@link #stats}: the step's losses and D's mean probabilities on the real and the fake batch (NaN
     * for a loss of raw scores). A relativistic D judges pairs, not samples: there they are the chances that
     * D ranks x above its fake, and the reverse. The means are kernels; reading them back is live work.
     */
    private void setStats(DiscriminatorStep ds, Tensor lossG) {
        if (!loss.hasProbabilities()) {
            Replay.live(() -> stats = new StepStats(step, ds.loss().item(), value(lossG), Float.NaN, Float.NaN));
            return;
        }
        Tensor pReal, pFake;
        try (var ng = Autograd.noGrad()) {
            Tensor real = ds.yReal(), fake = ds.yFake();
            if (loss.pairsRealWithFake()) {
                Tensor margin = real.sub(fake);
                real = margin;
                fake = margin.neg();
            }
            pReal = real.sigmoid().meanAll();
            pFake = fake.sigmoid().meanAll();
        }
        Replay.live(() -> stats = new StepStats(step, ds.loss().item(), value(lossG), pReal.item(), pFake.item()));
    }

    private static float value(Tensor lossOrNull) {
        return lossOrNull == null ? Float.NaN : lossOrNull.item();
    }

    /** A loss's value, read back and checked. */
    private float finiteValue(Tensor loss, String what) {
        float value = loss.item();
        if (!Float.isFinite(value)) throw new DivergenceException(step, what + " is " + value);
        if (Math.abs(value) > LOSS_LIMIT) throw new DivergenceException(step, what + " is " + value + ", beyond ±" + LOSS_LIMIT);
        return value;
    }

    private void checkGradients(Map<String, Tensor> parameters, String network) {
        parameters.forEach((name, p) -> {
            if (p.grad() != null && !p.grad().allFinite()) {
                throw new DivergenceException(step, "gradient of " + network + "." + name + " has "
                        + p.grad().nonFiniteCount() + " non-finite values");
            }
        });
    }

    /**
     * Everything a resumed run needs to continue exactly: both networks (and the weight
     * average), both optimizers' state, under prefixes; the step count and the noise
     * generator's position go into {@code metadata}.
     */
    public Map<String, Tensor> stateDict(Map<String, String> metadata) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        model.generator().stateDict().forEach((k, v) -> state.put("generator." + k, v));
        model.discriminator().stateDict().forEach((k, v) -> state.put("discriminator." + k, v));
        if (ema != null) ema.generator().stateDict().forEach((k, v) -> state.put("ema." + k, v));
        optG.stateDict().forEach((k, v) -> state.put("optimizer_g." + k, v));
        optD.stateDict().forEach((k, v) -> state.put("optimizer_d." + k, v));
        metadata.put("step", Long.toString(step));
        metadata.put("lr_scale", Float.toString(lrScale));
        long[] r = rng.state();
        metadata.put("rng", r[0] + "," + r[1] + "," + r[2]);
        if (augmenter != null) augmenter.save(metadata);
        return state;
    }

    /** Restores what {@link #stateDict} saved (strictly: every name and shape must match). */
    public void loadStateDict(Map<String, Tensor> state, Map<String, String> metadata) {
        forgetRecordings();   // they read the old noise generator and optimizer state
        model.generator().loadStateDict(part(state, "generator."), true);
        model.discriminator().loadStateDict(part(state, "discriminator."), true);
        if (ema != null) ema.loadStateDict(part(state, "ema."));
        optG.loadStateDict(part(state, "optimizer_g."));
        optD.loadStateDict(part(state, "optimizer_d."));
        step = Long.parseLong(metadata.get("step"));
        // checkpoints from before the scale (constant rates only) held a rolled-back run's halved rate in the optimizer alone
        lrScale = metadata.containsKey("lr_scale") ? Float.parseFloat(metadata.get("lr_scale"))
                : optG.learningRate() / options.optimizerG().lr();
        String[] r = metadata.get("rng").split(",");
        rng = Rng.fromState(new long[] {Long.parseLong(r[0]), Long.parseLong(r[1]), Long.parseLong(r[2])});
        if (augmenter != null) augmenter.restore(metadata);
    }

    private static Map<String, Tensor> part(Map<String, Tensor> state, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((k, v) -> {
            if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
        });
        return out;
    }

    public GanModel model() {
        return model;
    }

    /** The augmentation of D's inputs, with ADA's current p; null when there is none. */
    public Augmenter augmenter() {
        return augmenter;
    }

    public long steps() {
        return step;
    }

    /** How many of the steps so far ran as replays of a recorded step. */
    public long replayedSteps() {
        return replayedSteps;
    }

    /** The generator to sample from: the weight average when there is one. */
    public Generator samplingGenerator() {
        return ema != null ? ema.generator() : model.generator();
    }

    /** The factor rollbacks put on the learning rates (1, ½, ¼, …); it survives checkpoints and multiplies any schedule. */
    public float learningRateScale() {
        return lrScale;
    }

    /** Sets that factor from the next step on: a rollback halves it. */
    public void setLearningRateScale(float scale) {
        this.lrScale = scale;
    }

    public Optimizer generatorOptimizer() {
        return optG;
    }

    public Optimizer discriminatorOptimizer() {
        return optD;
    }
}
