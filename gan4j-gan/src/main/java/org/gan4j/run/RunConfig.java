package org.gan4j.run;

import org.gan4j.gan.Augmentation;
import org.gan4j.gan.Countermeasures;
import org.gan4j.gan.ModelOptions;
import org.gan4j.gan.TrainOptions;
import org.gan4j.optim.OptimizerSpec;

/**
 * A run's resolved configuration, written to config.json so that the run can be understood,
 * repeated and resumed. Every field has its final value (no "default" left to resolve); make one
 * with {@link GanRun#builder()}. Fields added later come last, so that older config.json files
 * still read (a field they lack reads as 0 or null): {@code imageSize}, the side of the data's
 * images (0 in older runs: a folder then loaded at 64); {@code r1}, {@code r2} and
 * {@code regEvery} (0 means every step); {@code lrSchedule} and {@code gammaSchedule} (null means
 * constant); {@code emaHalfLife}, the weight average's half-life in images when it was given so
 * ({@code ema} holds the decay per G step it resolved to, 0.5^(batch/half-life)); {@code augment}, the
 * augmentation of D's inputs (null means none); {@code dataLimit}, the number of images trained on
 * (0 means all), the first of the data shuffled with the run's seed ({@link org.gan4j.metrics.ShuffledSubset});
 * {@code init}, the DCGAN models' initialisation, and {@code gNoise}, what G learns on (null: "dcgan-conv" and
 * "reuse", the recipe of runs made before these fields).
 */
public record RunConfig(
        String version,
        String model,
        String data,
        String dataDir,
        int batchSize,
        long steps,
        String loss,
        OptimizerSpec optimizerG,
        OptimizerSpec optimizerD,
        int dSteps,
        int unrollSteps,
        float labelSmoothing,
        float instanceNoise,
        float ema,
        long seed,
        String device,
        int sampleEvery,
        int checkpointEvery,
        int evalEvery,
        int[] gHidden,
        int[] dHidden,
        String activation,
        int width,
        int dWidth,
        int channels,
        String onNan,
        int maxRollbacks,
        String dataChecksum,
        Countermeasures countermeasures,
        int imageSize,
        float r1,
        float r2,
        int regEvery,
        String lrSchedule,
        String gammaSchedule,
        long emaHalfLife,
        Augmentation augment,
        int dataLimit,
        String init,
        String gNoise) {
    /** What runs recorded before {@code init} and {@code gNoise} were trained with. */
    private static final String OLD_INIT = "dcgan-conv", OLD_G_NOISE = "reuse";


    public ModelOptions modelOptions() {
        return new ModelOptions(gHidden, dHidden, activation, width, dWidth, channels, 0, countermeasures, init == null ? OLD_INIT : init);
    }

    public TrainOptions trainOptions() {
        return TrainOptions.defaults()
                .withOptimizers(optimizerG, optimizerD)
                .withDSteps(dSteps)
                .withUnrollSteps(unrollSteps)
                .withRealTarget(1f - labelSmoothing)
                .withInstanceNoise(instanceNoise, (int) Math.min(Integer.MAX_VALUE, steps))
                .withEma(ema)
                .withGradientRegularization(r1, r2, Math.max(1, regEvery))
                .withSchedules(orConstant(lrSchedule), orConstant(gammaSchedule), steps)
                .withAugmentation(orNone(augment))
                .withGNoise(gNoise == null ? OLD_G_NOISE : gNoise);
    }

    static Augmentation orNone(Augmentation augment) {
        return augment == null ? Augmentation.none() : augment;
    }

    static String orConstant(String schedule) {
        return schedule == null ? "constant" : schedule;
    }

    public RunConfig withSteps(long newSteps) {
        return new RunConfig(version, model, data, dataDir, batchSize, newSteps, loss, optimizerG, optimizerD, dSteps, unrollSteps,
                labelSmoothing, instanceNoise, ema, seed, device, sampleEvery, checkpointEvery, evalEvery, gHidden,
                dHidden, activation, width, dWidth, channels, onNan, maxRollbacks, dataChecksum, countermeasures, imageSize,
                r1, r2, regEvery, lrSchedule, gammaSchedule, emaHalfLife, augment, dataLimit, init, gNoise);
    }
}
