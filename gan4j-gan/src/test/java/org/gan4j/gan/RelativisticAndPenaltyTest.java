package org.gan4j.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import org.gan4j.nn.Flatten;
import org.gan4j.nn.Linear;
import org.gan4j.nn.SafeTensors;
import org.gan4j.nn.Sequential;
import org.gan4j.nn.Tanh;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The relativistic pairing loss (rpgan) and the R1/R2 penalties: against central differences,
 * against PyTorch (resources/golden-losses, written by make_golden_losses.py), and in the step,
 * where lazy regularization adds them on every k-th step only, weighted by k.
 */
class RelativisticAndPenaltyTest {
    private final Random random = new Random(7);

    // ---- finite differences ----------------------------------------------------------------

    @Test
    void rpganGradientsMatchFiniteDifferences() {
        GanLoss rp = GanLoss.named("rpgan");
        float[] real = randn(6), fake = randn(6);
        checkLogits("D loss", v -> rp.discriminator(v[0], v[1], 1f), real, fake);
        // G's loss: D(x) is a constant for G, only its fakes' logits carry a gradient
        checkLogits("G loss", v -> rp.generator(Tensor.of(real, 6, 1), v[0]), fake);
    }

    @Test
    void r1AndR2GradientsInDsWeightsMatchFiniteDifferences() {
        Discriminator d = smallDiscriminator();
        Tensor x = Tensor.of(randn(8), 4, 2);
        checkWeights("γ/2·R1", d, () -> GradientPenalty.r1(d, x, null).mul(0.35f));
        checkWeights("γ/2·R2", d, () -> GradientPenalty.r2(d, x.mul(-0.5f), null).mul(0.35f));
    }

    /** R1 through an augmentation, as the trainer takes it: a gradient through the pixel gather, differentiated again in D's weights. */
    @Test
    void r1ThroughTheAugmentationMatchesFiniteDifferencesInDsWeights() {
        Rng rng = Rng.seeded(12);
        Discriminator d = Discriminator.packed(new Sequential().add(new Flatten()).add(new Linear(2 * 4 * 4, 3, rng))
                .add(new Tanh()).add(new Linear(3, 1, rng)), 1);
        Tensor x = Tensor.randn(Rng.seeded(13), 2, 2, 4, 4);
        AugmentParams a = new AugmentParams(true, new boolean[] {true, false}, new int[] {1, 2}, new int[] {1, -2}, new int[] {0, 1},
                new float[] {0.2f, -0.1f}, new float[] {1.3f, 0.7f}, new float[] {0.5f, 1.6f}, new int[] {1, 3}, new int[] {2, 0}, new int[] {2, 1});
        checkWeights("γ/2·R1 through ADA's transforms", d, () -> GradientPenalty.r1((in, labels) -> d.score(a.apply(in), labels), x, null).mul(0.35f));
    }

    /** Autograd's gradient of loss(logits) against central differences, logit by logit. */
    private static void checkLogits(String name, Function<Tensor[], Tensor> loss, float[]... values) {
        Tensor[] leaves = new Tensor[values.length];
        for (int i = 0; i < values.length; i++) leaves[i] = Tensor.of(values[i].clone(), values[i].length, 1).requiresGrad(true);
        loss.apply(leaves).backward();
        for (int i = 0; i < values.length; i++) {
            float[] analytic = leaves[i].grad().toArray();
            for (int j = 0; j < values[i].length; j++) {
                double numeric = FiniteDifferences.at(values[i], j, () -> loss.apply(constants(values)).item());
                FiniteDifferences.assertClose(name + " d/d(input " + i + ")[" + j + "]", analytic[j], numeric);
            }
        }
    }

    private static Tensor[] constants(float[][] values) {
        Tensor[] t = new Tensor[values.length];
        for (int i = 0; i < values.length; i++) t[i] = Tensor.of(values[i], values[i].length, 1);
        return t;
    }

    /** The penalty's gradient in each of D's weights (through ∇ₓD: double backward) against central differences. */
    private static void checkWeights(String name, Discriminator d, Supplier<Tensor> penalty) {
        Map<String, Tensor> params = d.namedParameters();
        params.values().forEach(p -> p.zeroGrad());
        penalty.get().backward();
        Map<String, float[]> analytic = new LinkedHashMap<>();
        params.forEach((k, p) -> analytic.put(k, p.grad() == null ? new float[p.numel()] : p.grad().toArray()));
        for (String k : params.keySet()) {
            float[] v = params.get(k).toArray();
            for (int j = 0; j < v.length; j++) {
                double numeric = FiniteDifferences.at(v, j, () -> valueWith(d, k, v, penalty));
                valueWith(d, k, v, penalty);   // D's weights as they were
                FiniteDifferences.assertClose(name + " d/d" + k + "[" + j + "]", analytic.get(k)[j], numeric);
            }
        }
    }

    private static double valueWith(Discriminator d, String name, float[] values, Supplier<Tensor> penalty) {
        d.loadStateDict(Map.of(name, Tensor.of(values, d.namedParameters().get(name).shape())), false);
        return penalty.get().item();
    }

    // ---- PyTorch ---------------------------------------------------------------------------

    private static Map<String, Tensor> golden(String name) throws URISyntaxException {
        return SafeTensors.read(Path.of(RelativisticAndPenaltyTest.class.getResource("/golden-losses/" + name + ".safetensors").toURI())).tensors();
    }

    @Test
    void rpganMatchesPyTorch() throws Exception {
        Map<String, Tensor> g = golden("rpgan");
        GanLoss rp = GanLoss.relativisticPairing();
        Tensor real = g.get("in.real").requiresGrad(true), fake = g.get("in.fake").requiresGrad(true);
        Tensor lossD = rp.discriminator(real, fake, 1f);
        assertEquals(g.get("loss_d").item(), lossD.item(), 1e-6f);
        lossD.backward();
        assertArrayEquals(g.get("grad_d.real").toArray(), real.grad().toArray(), 1e-7f);
        assertArrayEquals(g.get("grad_d.fake").toArray(), fake.grad().toArray(), 1e-7f);
        Tensor fakeG = g.get("in.fake").copy().requiresGrad(true);   // a leaf of its own: the D check left its gradient on in.fake
        Tensor lossG = rp.generator(g.get("in.real"), fakeG);
        assertEquals(g.get("loss_g").item(), lossG.item(), 1e-6f);
        lossG.backward();
        assertArrayEquals(g.get("grad_g.fake").toArray(), fakeG.grad().toArray(), 1e-7f);
    }

    @Test
    void penaltyAndItsWeightGradientsMatchPyTorch() throws Exception {
        Map<String, Tensor> g = golden("penalty");
        Discriminator d = smallDiscriminator();
        d.loadStateDict(Map.of("main.0.weight", g.get("in.w1"), "main.0.bias", g.get("in.b1"),
                "main.2.weight", g.get("in.w2"), "main.2.bias", g.get("in.b2")), true);
        float gamma = 0.7f;
        for (boolean real : new boolean[] {true, false}) {   // R1 and R2 are one formula on different samples
            d.namedParameters().values().forEach(p -> p.zeroGrad());
            Tensor p = (real ? GradientPenalty.r1(d, g.get("in.x"), null) : GradientPenalty.r2(d, g.get("in.x"), null)).mul(gamma / 2);
            assertEquals(g.get("out").item(), p.item(), 1e-5f * Math.abs(g.get("out").item()));
            p.backward();
            Map<String, Tensor> params = d.namedParameters();
            String[][] names = {{"main.0.weight", "w1"}, {"main.0.bias", "b1"}, {"main.2.weight", "w2"}};
            for (String[] n : names) {
                assertArrayEquals(g.get("grad." + n[1]).toArray(), params.get(n[0]).grad().toArray(), 1e-5f, n[0]);
            }
            Tensor b2 = params.get("main.2.bias").grad();
            assertTrue(b2 == null || b2.toArray()[0] == 0f, "D's output bias does not move its input gradient");
        }
    }

    // ---- in the step -----------------------------------------------------------------------

    @Test
    void lazyRegularizationAddsTheScaledPenaltyOnEveryKthStepOnly() {
        float gamma = 0.5f;
        int k = 4;
        Trainer lazy = mlp2dTrainer(TrainOptions.defaults().withGradientRegularization(gamma, 0f, k));
        Trainer plain = mlp2dTrainer(TrainOptions.defaults());
        for (int step = 1; step <= k; step++) {
            Tensor real = Tensor.randn(Rng.seeded(100 + step), 16, 2);
            // what the lazy step should add: k·γ/2·R1 under D as it stands before this step
            float expected = k * gamma / 2 * GradientPenalty.r1(plain.model().discriminator(), real, null).item();
            StepStats a = lazy.step(real, null), b = plain.step(real, null);
            if (step < k) {
                assertEquals(b.lossD(), a.lossD(), "step " + step + ": no penalty, the same bits");
            } else {
                assertTrue(expected > 0, "the penalty is there to see");
                assertEquals(expected, a.lossD() - b.lossD(), 1e-5f * expected + 1e-6f, "step " + step + ": k·γ/2·R1");
            }
        }
    }

    @Test
    void rpganWithR1AndR2TrainsWithFiniteLosses() {
        Trainer t = mlp2dTrainer(TrainOptions.defaults().withGradientRegularization(0.1f, 0.1f, 1), GanLoss.named("rpgan"));
        for (int step = 1; step <= 5; step++) {
            StepStats s = t.step(Tensor.randn(Rng.seeded(step), 16, 2), null);
            assertTrue(Float.isFinite(s.lossD()) && Float.isFinite(s.lossG()), s.toString());
        }
    }

    @Test
    void rpganReportsDsProbabilitiesOfRankingPairsWhichNoShiftOfItsOutputChanges() {
        Trainer plain = mlp2dTrainer(TrainOptions.defaults(), GanLoss.named("rpgan"));
        Trainer shifted = mlp2dTrainer(TrainOptions.defaults(), GanLoss.named("rpgan"));
        // D's last bias moves every output alike: sigmoid(D) would read 1 everywhere, a ranking of pairs does not change
        Map<String, Tensor> named = shifted.model().discriminator().namedParameters();
        Tensor lastBias = named.get(named.keySet().stream().filter(k -> k.endsWith("bias")).reduce((a, b) -> b).orElseThrow());
        try (var ng = Autograd.noGrad()) {
            lastBias.assign(lastBias.add(20f));
        }
        Tensor real = Tensor.randn(Rng.seeded(7), 16, 2);
        StepStats a = plain.step(real, null), b = shifted.step(real, null);
        assertEquals(1f, a.dReal() + a.dFake(), 1e-6f, "x ranked above its fake, or below");
        assertTrue(a.dFake() > 0.05f && a.dFake() < 0.95f, "an untrained D ranks pairs near chance: " + a);
        assertEquals(a.dReal(), b.dReal(), 1e-4f);
        assertEquals(a.lossD(), b.lossD(), 1e-4f);
    }

    @Test
    void lossesOfRawScoresReportNoProbabilities() {
        for (String name : List.of("lsgan", "hinge", "wgan-gp")) {
            StepStats s = mlp2dTrainer(TrainOptions.defaults(), GanLoss.named(name)).step(Tensor.randn(Rng.seeded(7), 16, 2), null);
            assertTrue(Float.isNaN(s.dReal()) && Float.isNaN(s.dFake()) && Float.isFinite(s.lossD()), name + ": " + s);
        }
        StepStats bce = mlp2dTrainer(TrainOptions.defaults()).step(Tensor.randn(Rng.seeded(7), 16, 2), null);
        assertTrue(bce.dReal() > 0 && bce.dReal() < 1 && bce.dFake() > 0 && bce.dFake() < 1, bce.toString());
    }

    @Test
    void negativeGammaOrAZeroIntervalIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> TrainOptions.defaults().withGradientRegularization(-1f, 0f, 1));
        assertThrows(IllegalArgumentException.class, () -> TrainOptions.defaults().withGradientRegularization(0f, 0.1f, 0));
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static Trainer mlp2dTrainer(TrainOptions options) {
        return mlp2dTrainer(options, GanLoss.nonSaturating());
    }

    private static Trainer mlp2dTrainer(TrainOptions options, GanLoss loss) {
        GanModel m = Models.create("mlp2d", ModelOptions.defaults().withGHidden(16, 16).withDHidden(16), Rng.seeded(3));
        return new Trainer(m, loss, options, null, Rng.seeded(4));
    }

    /** D = Linear(2, 5), tanh, Linear(5, 1): smooth, so that second derivatives have no kinks. */
    private static Discriminator smallDiscriminator() {
        Rng rng = Rng.seeded(11);
        return Discriminator.packed(new Sequential().add(new Linear(2, 5, rng)).add(new Tanh()).add(new Linear(5, 1, rng)), 1);
    }

    private float[] randn(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextGaussian();
        return v;
    }
}
