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
 * The seeds' GAN (non-saturating loss, mlp2d, the PacGAN protocol's Adam 1e-4, β1 0.8, batch
 * 100) on the ring of 8 Gaussians: a seeded, CI-sized run must find most modes. Its samples
 * are not yet as sharp as the published ones after full training (98 % within 3σ): this short
 * run reaches about 40 %, which is what the second assertion holds it to.
 */
class RingQualityTest {

    @Test
    void plainGanCoversMostOfTheRing() {
        Mixture ring = Mixtures.ring8(100_000, 2018);
        GanModel m = Models.create("mlp2d", ModelOptions.defaults(), Rng.seeded(1));
        TrainOptions options = TrainOptions.defaults().withLearningRates(1e-4f, 1e-4f)
                .withBetas(new float[] {0.8f, 0.999f}, new float[] {0.8f, 0.999f});
        Trainer trainer = new Trainer(m, GanLoss.nonSaturating(), options, null, Rng.seeded(2));
        DataLoader loader = new DataLoader(ring, 100, Rng.seeded(3), true, true);
        for (int step = 0; step < STEPS; step++) {
            var batch = loader.next();
            trainer.step(batch.images(), null);
        }
        float[] samples;
        try (var ng = Autograd.noGrad()) {
            m.generator().eval();
            samples = m.generator().generate(m.generator().noise(2500, Rng.seeded(4)), null).toArray();
        }
        List<float[]> modes = ring.modes().stream().map(p -> new float[] {p.x(), p.y()}).toList();
        MixtureMetrics.Result r = MixtureMetrics.evaluate(samples, modes, ring.sigma());
        System.out.println("ring8, plain GAN, " + STEPS + " steps: " + r);
        assertTrue(r.modesCovered() >= 6, r.toString());
        assertTrue(r.highQualityShare() >= 0.3, r.toString());
    }

    private static final int STEPS = 3000;
}
