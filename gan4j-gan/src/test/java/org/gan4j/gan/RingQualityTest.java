package org.gan4j.gan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gan4j.data.DataLoader;
import org.gan4j.data.Mixture;
import org.gan4j.data.Mixtures;
import org.gan4j.metrics.MixtureMetrics;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The seeds' GAN (non-saturating loss, mlp2d, batch 100) on the ring of 8 Gaussians: a seeded
 * run must cover most modes and put at least 80 % of its samples within 3σ of a mode.
 *
 * <p>The PacGAN protocol trains 400 epochs of 100,000 points (400,000 steps at Adam 1e-4, β1 0.8).
 * A CI run has about 5,000 steps; at the protocol's constant 1e-4 the samples are still spread
 * between the modes then (62 % within 3σ after 4,000 steps, 76 % after 6,000; evaluating with
 * batch statistics instead of running statistics is no better). What closes the gap is a larger
 * step that decays linearly to zero, so G first finds the modes and then settles on them: Adam
 * 5e-4, β1 0.5, lr·(1 - t/T). The weight average of G (EMA, with BatchNorm statistics
 * re-estimated for its own weights) must be as good. Measured with T = 5,000 (seeded): 8 of 8
 * modes, 84.9 % high quality for G, 84.6 % for its average (81.5 % for both before the CPU
 * kernels changed their order of summation); midway (step 3,000, rate still high) the
 * average was far ahead, 73.0 % against G's 47.4 %. -Dgan4j.ringSteps=N changes T.
 */
class RingQualityTest {
    private static final int STEPS = Integer.getInteger("gan4j.ringSteps", 5000);
    private static final float LEARNING_RATE = 5e-4f;

    @Test
    void plainGanFindsTheModesAndItsSamplesLieOnThem() {
        Mixture ring = Mixtures.ring8(100_000, 2018);
        GanModel m = Models.create("mlp2d", ModelOptions.defaults(), Rng.seeded(1));
        Generator emaCopy = Models.create("mlp2d", ModelOptions.defaults(), Rng.seeded(1)).generator();
        TrainOptions options = TrainOptions.defaults().withLearningRates(LEARNING_RATE, LEARNING_RATE).withEma(0.995f);
        Trainer trainer = new Trainer(m, GanLoss.nonSaturating(), options, emaCopy, Rng.seeded(2));
        DataLoader loader = new DataLoader(ring, 100, Rng.seeded(3), true, true);
        for (int step = 0; step < STEPS; step++) {
            float rate = LEARNING_RATE * (1f - (float) step / STEPS);
            trainer.generatorOptimizer().setLearningRate(rate);
            trainer.discriminatorOptimizer().setLearningRate(rate);
            trainer.step(loader.next().images(), null);
        }
        List<float[]> modes = ring.modes().stream().map(p -> new float[] {p.x(), p.y()}).toList();
        m.generator().eval();
        MixtureMetrics.Result plain = MixtureMetrics.evaluate(samples(m.generator()), modes, ring.sigma());
        MixtureMetrics.Result averaged = MixtureMetrics.evaluate(samples(trainer.samplingGenerator()), modes, ring.sigma());
        String result = "ring8 after " + STEPS + " steps: G " + plain + "; EMA of G " + averaged;
        System.out.println(result);
        assertTrue(plain.modesCovered() >= 6, result);
        assertTrue(plain.highQualityShare() >= 0.8, result);
        // the learning rate ends at zero, so G and its average end close: the average may lose at most 1 point
        assertTrue(averaged.modesCovered() >= 6 && averaged.highQualityShare() >= Math.max(0.8, plain.highQualityShare() - 0.01), result);
    }

    private static float[] samples(Generator g) {
        try (var ng = Autograd.noGrad()) {
            Tensor z = g.noise(2500, Rng.seeded(4));
            return g.generate(z, null).toArray();
        }
    }
}
