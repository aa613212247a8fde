package org.gan4j.cli;

import org.gan4j.gan.Countermeasures;
import org.gan4j.gan.ModelOptions;
import org.gan4j.gan.TrainOptions;

/**
 * A run's resolved configuration, written to config.json so that the run can be understood,
 * repeated and resumed. Every field has its final value (no "default" left to resolve).
 */
public record RunConfig(
        String version,
        String model,
        String data,
        String dataDir,
        int batchSize,
        long steps,
        String loss,
        float lrG,
        float lrD,
        float beta1,
        float beta2,
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
        Countermeasures countermeasures) {

    public ModelOptions modelOptions() {
        return new ModelOptions(gHidden, dHidden, activation, width, dWidth, channels, 0, countermeasures);
    }

    public TrainOptions trainOptions() {
        return TrainOptions.defaults()
                .withLearningRates(lrG, lrD)
                .withBetas(new float[] {beta1, beta2}, new float[] {beta1, beta2})
                .withDSteps(dSteps)
                .withUnrollSteps(unrollSteps)
                .withRealTarget(1f - labelSmoothing)
                .withInstanceNoise(instanceNoise, (int) Math.min(Integer.MAX_VALUE, steps))
                .withEma(ema);
    }

    public RunConfig withSteps(long newSteps) {
        return new RunConfig(version, model, data, dataDir, batchSize, newSteps, loss, lrG, lrD, beta1, beta2, dSteps, unrollSteps,
                labelSmoothing, instanceNoise, ema, seed, device, sampleEvery, checkpointEvery, evalEvery, gHidden,
                dHidden, activation, width, dWidth, channels, onNan, maxRollbacks, dataChecksum, countermeasures);
    }

    public RunConfig withDataChecksum(String checksum) {
        return new RunConfig(version, model, data, dataDir, batchSize, steps, loss, lrG, lrD, beta1, beta2, dSteps, unrollSteps,
                labelSmoothing, instanceNoise, ema, seed, device, sampleEvery, checkpointEvery, evalEvery, gHidden,
                dHidden, activation, width, dWidth, channels, onNan, maxRollbacks, checksum, countermeasures);
    }
}
