package org.gan4j.gan;

import java.util.List;
import java.util.function.Consumer;
import org.gan4j.optim.OptimizerSpec;

/**
 * How the two players learn.
 *
 * @param optimizerG      G's optimizer
 * @param optimizerD      D's optimizer
 * @param dSteps          D updates per G update (k)
 * @param realTarget      D's target for real data: 1, or e.g. 0.9 for one-sided label smoothing
 * @param instanceNoise   σ of Gaussian noise added to D's inputs, annealed linearly to 0 over {@code noiseSteps}
 * @param noiseSteps      steps over which the instance noise fades
 * @param emaDecay        decay of the exponential moving average of G's weights (0 = none)
 * @param gradientPenalty λ of WGAN-GP's penalty (used by the wgan-gp loss)
 * @param unrollSteps     look-ahead D updates G is trained against, undone after each G step (the unrolled GAN of
 *                        Metz et al. 2017, first order: G's gradient does not flow back through those updates); 0 = none
 * @param r1Gamma         γ of R1, γ/2·E‖∇ₓD(x)‖² on real samples added to D's loss (0 = none); works with any loss
 * @param r2Gamma         γ of R2, the same on fake samples (0 = none)
 * @param regEvery        lazy regularization (StyleGAN2): R1 and R2 only on every k-th step, scaled by k; 1 = every step
 * @param lrSchedule      how both learning rates change over the run, one of {@link Schedule#NAMES}
 * @param gammaSchedule   how R1 and R2's γ change over the run, one of {@link Schedule#NAMES}
 * @param scheduleSteps   the steps the schedules span (the run's length); needed by any schedule but "constant"
 * @param augment         the augmentation of every batch D sees, real and fake ({@link Augmentation#none()}: none)
 * @param gNoise          what G learns on, one of {@link #G_NOISE}: "fresh", a new noise batch (as PyTorch DCGAN loops
 *                        commonly draw; G's BatchNorm then sees two batches per step), or "reuse", the fakes D has just judged
 */
public record TrainOptions(OptimizerSpec optimizerG, OptimizerSpec optimizerD, int dSteps, float realTarget,
                           float instanceNoise, int noiseSteps, float emaDecay, float gradientPenalty, int unrollSteps,
                           float r1Gamma, float r2Gamma, int regEvery, String lrSchedule, String gammaSchedule,
                           long scheduleSteps, Augmentation augment, String gNoise) {
    public static final List<String> G_NOISE = List.of("fresh", "reuse");

    public TrainOptions {
        if (augment == null) throw new IllegalArgumentException("augment: give Augmentation.none() for none");
        if (r1Gamma < 0 || r2Gamma < 0) throw new IllegalArgumentException("R1 and R2's γ must not be negative");
        if (regEvery < 1) throw new IllegalArgumentException("the regularization interval must be at least 1 step, got " + regEvery);
        for (String s : new String[] {lrSchedule, gammaSchedule}) {
            if (!Schedule.NAMES.contains(s)) throw new IllegalArgumentException("unknown schedule '" + s + "' (known: " + String.join(", ", Schedule.NAMES) + ")");
            if (!s.equals("constant") && scheduleSteps < 1) throw new IllegalArgumentException("a " + s + " schedule needs the run's length in steps");
        }
        if (!G_NOISE.contains(gNoise)) throw new IllegalArgumentException("unknown G noise '" + gNoise + "' (known: " + String.join(", ", G_NOISE) + ")");
    }

    /** DCGAN's settings: Adam 2e-4, β = (0.5, 0.999), one D step per G step, G on the fakes D judged, no tricks. */
    public static TrainOptions defaults() {
        OptimizerSpec adam = OptimizerSpec.adam(2e-4f, 0.5f, 0.999f);
        return new TrainOptions(adam, adam, 1, 1f, 0f, 0, 0f, 10f, 0, 0f, 0f, 1, "constant", "constant", 0, Augmentation.none(), "reuse");
    }

    public TrainOptions withOptimizers(OptimizerSpec g, OptimizerSpec d) {
        return edit(o -> {
            o.optimizerG = g;
            o.optimizerD = d;
        });
    }

    public TrainOptions withLearningRates(float g, float d) {
        return withOptimizers(optimizerG.withLearningRate(g), optimizerD.withLearningRate(d));
    }

    /** The same (β1, β2) for both players' optimizers. */
    public TrainOptions withBetas(float beta1, float beta2) {
        return withOptimizers(optimizerG.withBetas(beta1, beta2), optimizerD.withBetas(beta1, beta2));
    }

    public TrainOptions withDSteps(int k) {
        return edit(o -> o.dSteps = k);
    }

    public TrainOptions withRealTarget(float t) {
        return edit(o -> o.realTarget = t);
    }

    public TrainOptions withInstanceNoise(float sigma, int overSteps) {
        return edit(o -> {
            o.instanceNoise = sigma;
            o.noiseSteps = overSteps;
        });
    }

    public TrainOptions withEma(float decay) {
        return edit(o -> o.emaDecay = decay);
    }

    public TrainOptions withGradientPenalty(float lambda) {
        return edit(o -> o.gradientPenalty = lambda);
    }

    public TrainOptions withUnrollSteps(int k) {
        return edit(o -> o.unrollSteps = k);
    }

    /** R1 and R2 with weights γ (0 turns one off), applied every k-th step with weight k·γ. */
    public TrainOptions withGradientRegularization(float r1, float r2, int k) {
        return edit(o -> {
            o.r1Gamma = r1;
            o.r2Gamma = r2;
            o.regEvery = k;
        });
    }

    /** Learning-rate and γ schedules ({@link Schedule#NAMES}) over a run of {@code steps}. */
    public TrainOptions withSchedules(String lr, String gamma, long steps) {
        return edit(o -> {
            o.lrSchedule = lr;
            o.gammaSchedule = gamma;
            o.scheduleSteps = steps;
        });
    }

    public TrainOptions withAugmentation(Augmentation a) {
        return edit(o -> o.augment = a);
    }

    /** What G learns on: "fresh" noise or the fakes D has just judged ("reuse"). */
    public TrainOptions withGNoise(String g) {
        return edit(o -> o.gNoise = g);
    }

    /** These options with {@code change} applied to a copy of their fields, checked again as new ones are. */
    private TrainOptions edit(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return f.build();
    }

    /** The record's fields, editable, so each {@code with…} names only what it changes. */
    private static final class Fields {
        OptimizerSpec optimizerG, optimizerD;
        int dSteps, noiseSteps, unrollSteps, regEvery;
        float realTarget, instanceNoise, emaDecay, gradientPenalty, r1Gamma, r2Gamma;
        String lrSchedule, gammaSchedule, gNoise;
        long scheduleSteps;
        Augmentation augment;

        Fields(TrainOptions o) {
            optimizerG = o.optimizerG;
            optimizerD = o.optimizerD;
            dSteps = o.dSteps;
            realTarget = o.realTarget;
            instanceNoise = o.instanceNoise;
            noiseSteps = o.noiseSteps;
            emaDecay = o.emaDecay;
            gradientPenalty = o.gradientPenalty;
            unrollSteps = o.unrollSteps;
            r1Gamma = o.r1Gamma;
            r2Gamma = o.r2Gamma;
            regEvery = o.regEvery;
            lrSchedule = o.lrSchedule;
            gammaSchedule = o.gammaSchedule;
            scheduleSteps = o.scheduleSteps;
            augment = o.augment;
            gNoise = o.gNoise;
        }

        TrainOptions build() {
            return new TrainOptions(optimizerG, optimizerD, dSteps, realTarget, instanceNoise, noiseSteps, emaDecay, gradientPenalty,
                    unrollSteps, r1Gamma, r2Gamma, regEvery, lrSchedule, gammaSchedule, scheduleSteps, augment, gNoise);
        }
    }
}
