package org.gan4j.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.gan4j.optim.OptimizerSpec;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A replayed step gives the bits of the eager one: the same statistics at every step and the same
 * state at the end (weights, optimizer moments and counts, noise generator), for each feature a
 * replayed step must carry from step to step (noise, schedules, lazy R1, two step kinds, a batch
 * of another size, EMA, batch norm, spectral norm, the penalty's random mix).
 */
class ReplayTest {
    /** Batch sizes of a run: a smaller batch now and then makes a second kind of step. */
    private static final int[] BATCHES = {16, 16, 16, 8, 16, 16, 8, 8, 16, 16};

    private record Run(List<StepStats> stats, Map<String, float[]> state, Map<String, String> metadata, long replayed) {
    }

    private static Run train(Supplier<Trainer> make, boolean replay, int[] shape) {
        Trainer t = make.get();
        t.setReplay(replay);
        Rng data = Rng.seeded(3);
        List<StepStats> stats = new ArrayList<>();
        for (int n : BATCHES) {
            int[] s = shape.clone();
            s[0] = n;
            int[] classes = new int[n];   // as a data loader gives them; unconditional models ignore them
            for (int i = 0; i < n; i++) classes[i] = data.nextInt(10);
            stats.add(t.step(Tensor.rand(data, s).mul(2f).sub(1f), classes));
        }
        Map<String, String> meta = new HashMap<>();
        Map<String, float[]> state = new HashMap<>();
        t.stateDict(meta).forEach((k, v) -> state.put(k, v.toArray()));
        return new Run(stats, state, meta, t.replayedSteps());
    }

    /** Trains with replay off and on; asserts the same bits, and that some steps really were replayed. */
    private static void assertReplayGivesTheEagerBits(Supplier<Trainer> make, int[] shape, int expectedReplays) {
        Run eager = train(make, false, shape), replayed = train(make, true, shape);
        assertEquals(0, eager.replayed());
        assertEquals(expectedReplays, replayed.replayed(), "steps run as replays");
        assertEquals(eager.stats(), replayed.stats());
        assertEquals(eager.metadata(), replayed.metadata());
        assertEquals(eager.state().keySet(), replayed.state().keySet());
        eager.state().forEach((k, v) -> assertArrayEquals(v, replayed.state().get(k), k));
    }

    private static Trainer trainer(String model, ModelOptions m, GanLoss loss, TrainOptions o, boolean ema) {
        GanModel net = Models.create(model, m, Rng.seeded(1));
        Generator copy = ema ? Models.create(model, m, Rng.seeded(1)).generator() : null;
        return new Trainer(net, loss, o, copy, Rng.seeded(2));
    }

    private static final ModelOptions SMALL_MLP = ModelOptions.defaults().withGHidden(32, 32).withDHidden(32);
    private static final int[] DIGITS = {0, 1, 28, 28};

    @Test
    void mlpWithTwoBatchSizes() {
        // the 16-batches: first eager, second recorded, 5 replays; the 8-batches: eager, recorded, 1 replay
        assertReplayGivesTheEagerBits(() -> trainer("mlp", SMALL_MLP, GanLoss.nonSaturating(), TrainOptions.defaults(), false),
                DIGITS, 6);
    }

    @Test
    void dcganWithBatchNormEmaFreshNoiseAndTwoDStepsPerGStep() {
        TrainOptions o = TrainOptions.defaults().withEma(0.9f).withGNoise("fresh").withDSteps(2);
        assertReplayGivesTheEagerBits(() -> trainer("dcgan28", ModelOptions.defaults().withWidth(4), GanLoss.nonSaturating(), o, true),
                DIGITS, 3);
    }

    @Test
    void lazyR1WithACosineScheduleHingeLossAndAdamW() {
        OptimizerSpec adamW = OptimizerSpec.adamW(1e-3f, 0.5f, 0.99f, 0.01f);
        TrainOptions o = TrainOptions.defaults().withOptimizers(adamW, adamW).withGradientRegularization(0.5f, 0.2f, 2)
                .withSchedules("cosine", "constant", BATCHES.length);
        assertReplayGivesTheEagerBits(() -> trainer("mlp", SMALL_MLP, GanLoss.hinge(), o, false), DIGITS, 3);
    }

    @Test
    void wganGpWithItsRandomMixAndOtherOptimizers() {
        TrainOptions o = TrainOptions.defaults().withOptimizers(OptimizerSpec.rmsprop(1e-3f, 0.9f), OptimizerSpec.sgd(1e-2f, 0.9f))
                .withGradientPenalty(5f);
        assertReplayGivesTheEagerBits(() -> trainer("mlp", SMALL_MLP, GanLoss.wasserstein(), o, false), DIGITS, 6);
    }

    @Test
    void spectralNormMinibatchStdAndARelativisticLoss() {
        ModelOptions m = SMALL_MLP.withCountermeasures(Countermeasures.none().withSpectralNorm(true).withMinibatchStd(true));
        assertReplayGivesTheEagerBits(() -> trainer("mlp", m, GanLoss.relativisticPairing(), TrainOptions.defaults(), false), DIGITS, 6);
    }

    @Test
    void aStepThatReadsValuesBackWhileRecordedRunsEagerly() {
        Autograd.setAnomalyMode(true);   // every op then reads its output back to check it
        try {
            assertReplayGivesTheEagerBits(() -> trainer("mlp", SMALL_MLP, GanLoss.nonSaturating(), TrainOptions.defaults(), false),
                    DIGITS, 0);
        } finally {
            Autograd.setAnomalyMode(false);
        }
    }

    @Test
    void conditionalModelsAndInstanceNoiseRunEagerly() {
        TrainOptions noisy = TrainOptions.defaults().withInstanceNoise(0.1f, 100);
        assertReplayGivesTheEagerBits(() -> trainer("mlp", SMALL_MLP, GanLoss.nonSaturating(), noisy, false), DIGITS, 0);
        assertReplayGivesTheEagerBits(() -> trainer("cgan-mlp", SMALL_MLP, GanLoss.nonSaturating(), TrainOptions.defaults(), false),
                DIGITS, 0);
    }
}
