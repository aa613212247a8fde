package org.gan4j.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gan4j.nn.Module;
import org.gan4j.optim.Adam;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrainerTest {

    private static Trainer trainer(String model, TrainOptions options, long seed) {
        GanModel m = Models.create(model, ModelOptions.defaults().withGHidden(16, 16).withDHidden(16), Rng.seeded(seed));
        return new Trainer(m, GanLoss.nonSaturating(), options, null, Rng.seeded(seed + 1));
    }

    private static Map<String, float[]> snapshot(Module m) {
        Map<String, float[]> s = new LinkedHashMap<>();
        m.namedParameters().forEach((k, v) -> s.put(k, v.toArray()));
        return s;
    }

    private static boolean same(Map<String, float[]> a, Map<String, float[]> b) {
        return a.keySet().stream().allMatch(k -> java.util.Arrays.equals(a.get(k), b.get(k)));
    }

    /** Points on the unit circle. */
    private static Tensor ringBatch(int n, Rng rng) {
        float[] u = Tensor.rand(rng, n).toArray();
        float[] xy = new float[2 * n];
        for (int i = 0; i < n; i++) {
            xy[2 * i] = (float) Math.cos(2 * Math.PI * u[i]);
            xy[2 * i + 1] = (float) Math.sin(2 * Math.PI * u[i]);
        }
        return Tensor.of(xy, n, 2);
    }

    @Test
    void aCosineScheduleSetsTheRatesEachStepAndARollbackHalvesThemOnTop() {
        TrainOptions o = TrainOptions.defaults().withLearningRates(1e-3f, 4e-3f).withSchedules("cosine", "constant", 4);
        Trainer t = trainer("mlp2d", o, 3);
        Rng data = Rng.seeded(9);
        t.step(ringBatch(16, data), null);
        assertEquals(1e-3f, t.generatorOptimizer().learningRate(), "step t = 0 runs at the full rate");
        t.setLearningRateScale(0.5f);   // what a rollback does
        t.step(ringBatch(16, data), null);
        double f = 0.5 * (1 + Math.cos(Math.PI / 4)) * 0.5;
        assertEquals((float) (1e-3f * f), t.generatorOptimizer().learningRate());
        assertEquals((float) (4e-3f * f), t.discriminatorOptimizer().learningRate());
        Map<String, String> metadata = new LinkedHashMap<>();
        var state = t.stateDict(metadata);
        Trainer back = trainer("mlp2d", o, 3);
        back.loadStateDict(state, metadata);
        assertEquals(0.5f, back.learningRateScale(), "the halving survives a checkpoint");

        // a checkpoint from before the scale: a rolled-back run's rate sat halved in the optimizer alone
        Trainer old = trainer("mlp2d", TrainOptions.defaults(), 3);
        old.step(ringBatch(16, data), null);
        old.generatorOptimizer().setLearningRate(1e-4f);
        Map<String, String> oldMetadata = new LinkedHashMap<>();
        var oldState = old.stateDict(oldMetadata);
        oldMetadata.remove("lr_scale");
        Trainer resumed = trainer("mlp2d", TrainOptions.defaults(), 3);
        resumed.loadStateDict(oldState, oldMetadata);
        assertEquals(0.5f, resumed.learningRateScale());
        resumed.step(ringBatch(16, data), null);
        assertEquals(1e-4f, resumed.discriminatorOptimizer().learningRate(), "both networks continue at half their rate");
        assertThrows(IllegalArgumentException.class, () -> TrainOptions.defaults().withSchedules("linear", "constant", 4));
        assertThrows(IllegalArgumentException.class, () -> TrainOptions.defaults().withSchedules("cosine", "constant", 0));
    }

    @Test
    void phaseOneChangesOnlyTheDiscriminator() {
        Trainer t = trainer("mlp2d", TrainOptions.defaults().withDSteps(2), 3);
        var g0 = snapshot(t.model().generator());
        var d0 = snapshot(t.model().discriminator());
        StepStats s = t.step(ringBatch(32, Rng.seeded(9)), null);
        assertTrue(Float.isNaN(s.lossG()), "a D-only step reports no G loss");
        assertTrue(same(g0, snapshot(t.model().generator())), "G must not change in phase 1");
        assertFalse(same(d0, snapshot(t.model().discriminator())), "D must change in phase 1");
        t.model().generator().parameters().forEach(p -> assertEquals(null, p.grad(), "G receives no gradient in phase 1"));
    }

    @Test
    void phaseTwoChangesOnlyTheGenerator() {
        // the same first D update with and without a G update after it: D must end up identical
        Trainer dOnly = trainer("mlp2d", TrainOptions.defaults().withDSteps(2), 3);
        Trainer both = trainer("mlp2d", TrainOptions.defaults(), 3);
        var g0 = snapshot(both.model().generator());
        dOnly.step(ringBatch(32, Rng.seeded(9)), null);
        StepStats s = both.step(ringBatch(32, Rng.seeded(9)), null);
        assertFalse(Float.isNaN(s.lossG()));
        var dAfterPhase1 = snapshot(dOnly.model().discriminator());
        var dAfterBoth = snapshot(both.model().discriminator());
        dAfterPhase1.forEach((k, v) -> assertArrayEquals(v, dAfterBoth.get(k), "phase 2 changed D's " + k));
        assertFalse(same(g0, snapshot(both.model().generator())), "G must change in phase 2");
    }

    @Test
    void unrolledLookAheadIsUndoneAfterTheGeneratorStep() {
        // D must end the step exactly as phase 1 left it (a D-only step shows that state): weights, BatchNorm
        // statistics, Adam's moments and step counts; only G differs from a step without the look-ahead
        ModelOptions small = ModelOptions.defaults().withWidth(4);
        Tensor real = Tensor.rand(Rng.seeded(4), 8, 1, 28, 28).mul(2f).sub(1f);
        Trainer dOnly = dcgan28Trainer(small, TrainOptions.defaults().withDSteps(2));
        Trainer plain = dcgan28Trainer(small, TrainOptions.defaults());
        Trainer unrolled = dcgan28Trainer(small, TrainOptions.defaults().withUnrollSteps(3));
        for (Trainer t : List.of(dOnly, plain, unrolled)) t.step(real, null);
        Map<String, Tensor> expected = discriminatorState(dOnly), actual = discriminatorState(unrolled);
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertArrayEquals(v.toArray(), actual.get(k).toArray(), "D's " + k + " after the look-ahead"));
        assertFalse(same(snapshot(plain.model().generator()), snapshot(unrolled.model().generator())), "G learned against another D");
    }

    private static Trainer dcgan28Trainer(ModelOptions o, TrainOptions train) {
        return new Trainer(Models.create("dcgan28", o, Rng.seeded(1)), GanLoss.nonSaturating(), train, null, Rng.seeded(2));
    }

    private static Map<String, Tensor> discriminatorState(Trainer t) {
        Map<String, Tensor> state = new LinkedHashMap<>(t.model().discriminator().stateDict());
        t.discriminatorOptimizer().stateDict().forEach((k, v) -> state.put("optimizer." + k, v));
        return state;
    }

    @Test
    void unrolledGeneratorStepFollowsTheLookedAheadDiscriminator() {
        Tensor real = ringBatch(16, Rng.seeded(9));
        Trainer t = trainer("mlp2d", TrainOptions.defaults().withUnrollSteps(1).withGNoise("reuse"), 3);
        t.step(real, null);
        assertSameState(handWrittenStep(real, 1, false), t.model().generator().stateDict());
    }

    @ParameterizedTest
    @ValueSource(strings = {"fresh", "reuse"})
    void theGeneratorLearnsOnFreshNoiseOrOnTheFakesDJudged(String gNoise) {
        Tensor real = ringBatch(16, Rng.seeded(9));
        Trainer t = trainer("mlp2d", TrainOptions.defaults().withGNoise(gNoise), 3);
        t.step(real, null);
        // G's BatchNorm statistics too: with fresh noise they have seen two batches
        assertSameState(handWrittenStep(real, 0, gNoise.equals("fresh")), t.model().generator().stateDict());
    }

    /**
     * The step of {@code trainer("mlp2d", ..., 3)} written out by hand: D's update on f = G(z), {@code lookAheads}
     * more D updates on fresh fakes (the unrolled GAN), then G's update against that D on f, or on G(z') for a new z'.
     * Returns G's state: weights and BatchNorm statistics.
     */
    private static Map<String, Tensor> handWrittenStep(Tensor real, int lookAheads, boolean freshNoise) {
        GanModel m = Models.create("mlp2d", ModelOptions.defaults().withGHidden(16, 16).withDHidden(16), Rng.seeded(3));
        Generator g = m.generator();
        Discriminator d = m.discriminator();
        Rng rng = Rng.seeded(4);
        int n = real.size(0);
        var optG = new Adam(g.parameters(), 2e-4f, 0.5f, 0.999f);
        var optD = new Adam(d.parameters(), 2e-4f, 0.5f, 0.999f);
        Tensor fake = g.generate(g.noise(n, rng), null);
        discriminatorStep(d, optD, real, fake.detach());
        for (int k = 0; k < lookAheads; k++) {
            Tensor lookAhead;
            try (var ng = Autograd.noGrad()) {
                lookAhead = g.generate(g.noise(n, rng), null);
            }
            discriminatorStep(d, optD, real, lookAhead);
        }
        if (freshNoise) fake = g.generate(g.noise(n, rng), null);
        d.requiresGrad(false);
        optG.zeroGrad();
        GanLoss.nonSaturating().generator(d.score(fake, null)).backward();
        optG.step();
        return g.stateDict();
    }

    private static void assertSameState(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertArrayEquals(v.toArray(), actual.get(k).toArray(), 1e-7f, "G's " + k));
    }

    private static void discriminatorStep(Discriminator d, Adam opt, Tensor real, Tensor fake) {
        opt.zeroGrad();
        GanLoss.nonSaturating().discriminator(d.score(real, null), d.score(fake, null), 1f).backward();
        opt.step();
    }

    @Test
    void batchNormStatisticsFollowEveryTrainingModeForwardPass() {
        // BatchNorm runs in training mode in both phases, as in PyTorch's DCGAN example: each
        // forward pass updates its own network's running statistics, never the other network's
        GanModel m = Models.create("dcgan28", ModelOptions.defaults().withWidth(4), Rng.seeded(1));
        Trainer t = new Trainer(m, GanLoss.nonSaturating(), TrainOptions.defaults().withDSteps(2), null, Rng.seeded(2));
        Tensor dMean = m.discriminator().namedBuffers().get("main.3.running_mean");
        Tensor gMean = m.generator().namedBuffers().get("main.5.running_mean");
        float[] d0 = dMean.toArray(), g0 = gMean.toArray();
        var gParams = snapshot(m.generator());
        t.step(Tensor.rand(Rng.seeded(4), 8, 1, 28, 28).mul(2f).sub(1f), null);
        assertFalse(java.util.Arrays.equals(d0, dMean.toArray()), "D's statistics see the real and fake batches");
        assertFalse(java.util.Arrays.equals(g0, gMean.toArray()), "G's statistics see G's forward pass");
        assertTrue(same(gParams, snapshot(m.generator())), "yet G's parameters stay as they were");
    }

    @Test
    void everyLossTrainsWithoutErrorAndConditionalModelsTakeLabels() {
        for (String loss : GanLoss.NAMES) {
            GanModel m = Models.create("cgan-mlp", ModelOptions.defaults().withGHidden(8, 8).withDHidden(8), Rng.seeded(1));
            Trainer t = new Trainer(m, GanLoss.named(loss), TrainOptions.defaults().withEma(0.9f).withInstanceNoise(0.1f, 10),
                    Models.create("cgan-mlp", ModelOptions.defaults().withGHidden(8, 8).withDHidden(8), Rng.seeded(2)).generator(),
                    Rng.seeded(5));
            Tensor real = Tensor.rand(Rng.seeded(4), 4, 1, 28, 28).mul(2f).sub(1f);
            StepStats s = t.step(real, new int[] {0, 1, 2, 3});
            assertTrue(Float.isFinite(s.lossD()) && Float.isFinite(s.lossG()), loss + ": " + s);
            boolean probability = s.dReal() > 0 && s.dReal() < 1;
            assertTrue(GanLoss.named(loss).hasProbabilities() ? probability : Float.isNaN(s.dReal()), loss + ": D(x) is a probability or, for raw scores, NaN");
        }
    }

    @Test
    void conditionalModelsNeedLabels() {
        Trainer t = trainer("cgan-mlp", TrainOptions.defaults(), 1);
        var e = assertThrows(IllegalArgumentException.class, () -> t.step(Tensor.zeros(2, 1, 28, 28), null));
        assertTrue(e.getMessage().contains("needs one class per"), e.getMessage());
    }

    @Test
    void hugeLearningRateIsCaughtAsDivergence() {
        Trainer t = trainer("mlp2d", TrainOptions.defaults().withLearningRates(1e30f, 1e30f), 3);
        assertThrows(DivergenceException.class, () -> {
            for (int i = 0; i < 20; i++) t.step(ringBatch(32, Rng.seeded(i)), null);
        });
    }

    @Test
    void aNonFiniteLossNamesItself() {
        Trainer t = trainer("mlp2d", TrainOptions.defaults(), 3);
        float[] real = ringBatch(32, Rng.seeded(1)).toArray();
        real[5] = Float.NaN;
        var e = assertThrows(DivergenceException.class, () -> t.step(Tensor.of(real, 32, 2), null));
        assertEquals("step 1: D's loss is NaN", e.getMessage());
    }

    /** A D whose logit sqrt(relu(x·w)), with w = 0, is finite while its gradient is not (the square root's slope at 0). */
    private static final class SqrtOfZero extends Module {
        private final Tensor weight = parameter("weight", 2, 1);

        @Override
        public Tensor forward(Tensor x) {
            return x.matmul(weight).relu().sqrt();
        }
    }

    @Test
    void aNonFiniteGradientNamesItsParameter() {
        GanModel ring = Models.create("mlp2d", ModelOptions.defaults().withGHidden(16, 16), Rng.seeded(3));
        GanModel m = new GanModel("sqrt", ring.generator(), Discriminator.packed(new SqrtOfZero(), 1));
        Trainer t = new Trainer(m, GanLoss.nonSaturating(), TrainOptions.defaults(), null, Rng.seeded(4));
        var e = assertThrows(DivergenceException.class, () -> t.step(ringBatch(32, Rng.seeded(1)), null));
        assertEquals("step 1: gradient of discriminator.main.weight has 2 non-finite values", e.getMessage());
    }

    @Test
    void unknownNamesAreRejectedWithTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Models.create("resnet", ModelOptions.defaults(), Rng.seeded(1)));
        assertTrue(e.getMessage().contains("mlp, dcgan28"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GanLoss.named("l1"));
        e = assertThrows(IllegalArgumentException.class, () -> ModelOptions.defaults().withInit("xavier"));
        assertEquals("unknown initialisation 'xavier' (known: dcgan, dcgan-conv)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainOptions.defaults().withGNoise("same"));
        assertEquals("unknown G noise 'same' (known: fresh, reuse)", e.getMessage());
    }
}
