package org.gan4j.gan;

/**
 * How the two players learn.
 *
 * @param lrG             G's Adam learning rate
 * @param lrD             D's Adam learning rate
 * @param betasG          G's Adam (β1, β2)
 * @param betasD          D's Adam (β1, β2)
 * @param dSteps          D updates per G update (k)
 * @param realTarget      D's target for real data: 1, or e.g. 0.9 for one-sided label smoothing
 * @param instanceNoise   σ of Gaussian noise added to D's inputs, annealed linearly to 0 over {@code noiseSteps}
 * @param noiseSteps      steps over which the instance noise fades
 * @param emaDecay        decay of the exponential moving average of G's weights (0 = none)
 * @param gradientPenalty λ of WGAN-GP's penalty (used by the wgan-gp loss)
 * @param unrollSteps     look-ahead D updates G is trained against, undone after each G step (the unrolled GAN of
 *                        Metz et al. 2017, first order: G's gradient does not flow back through those updates); 0 = none
 */
public record TrainOptions(float lrG, float lrD, float[] betasG, float[] betasD, int dSteps, float realTarget,
                           float instanceNoise, int noiseSteps, float emaDecay, float gradientPenalty, int unrollSteps) {

    /** DCGAN's settings: Adam 2e-4, β = (0.5, 0.999), one D step per G step, no tricks. */
    public static TrainOptions defaults() {
        return new TrainOptions(2e-4f, 2e-4f, new float[] {0.5f, 0.999f}, new float[] {0.5f, 0.999f}, 1, 1f, 0f, 0, 0f, 10f, 0);
    }

    public TrainOptions withLearningRates(float g, float d) {
        return new TrainOptions(g, d, betasG, betasD, dSteps, realTarget, instanceNoise, noiseSteps, emaDecay, gradientPenalty, unrollSteps);
    }

    public TrainOptions withBetas(float[] g, float[] d) {
        return new TrainOptions(lrG, lrD, g, d, dSteps, realTarget, instanceNoise, noiseSteps, emaDecay, gradientPenalty, unrollSteps);
    }

    public TrainOptions withDSteps(int k) {
        return new TrainOptions(lrG, lrD, betasG, betasD, k, realTarget, instanceNoise, noiseSteps, emaDecay, gradientPenalty, unrollSteps);
    }

    public TrainOptions withRealTarget(float t) {
        return new TrainOptions(lrG, lrD, betasG, betasD, dSteps, t, instanceNoise, noiseSteps, emaDecay, gradientPenalty, unrollSteps);
    }

    public TrainOptions withInstanceNoise(float sigma, int overSteps) {
        return new TrainOptions(lrG, lrD, betasG, betasD, dSteps, realTarget, sigma, overSteps, emaDecay, gradientPenalty, unrollSteps);
    }

    public TrainOptions withEma(float decay) {
        return new TrainOptions(lrG, lrD, betasG, betasD, dSteps, realTarget, instanceNoise, noiseSteps, decay, gradientPenalty, unrollSteps);
    }

    public TrainOptions withGradientPenalty(float lambda) {
        return new TrainOptions(lrG, lrD, betasG, betasD, dSteps, realTarget, instanceNoise, noiseSteps, emaDecay, lambda, unrollSteps);
    }

    public TrainOptions withUnrollSteps(int k) {
        return new TrainOptions(lrG, lrD, betasG, betasD, dSteps, realTarget, instanceNoise, noiseSteps, emaDecay, gradientPenalty, k);
    }
}
