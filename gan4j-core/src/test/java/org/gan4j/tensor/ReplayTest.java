package org.gan4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.gan4j.nn.BatchNorm1d;
import org.gan4j.nn.LeakyReLU;
import org.gan4j.nn.Linear;
import org.gan4j.nn.Sequential;
import org.gan4j.nn.Tanh;
import org.gan4j.optim.Adam;
import org.junit.jupiter.api.Test;

class ReplayTest {
    /** A small network, its optimizer and a noise source: one learning step is a forward, a backward and an update. */
    private static final class Learner {
        final Sequential net;
        final Adam adam;
        final Rng rng = Rng.seeded(11);
        final List<Float> losses = new ArrayList<>();

        Learner() {
            Rng init = Rng.seeded(3);
            net = new Sequential().add(new Linear(6, 16, init)).add(new BatchNorm1d(16)).add(new LeakyReLU(0.2f))
                    .add(new Linear(16, 4, init)).add(new Tanh());
            adam = new Adam(net.parameters(), 1e-2f, 0.5f, 0.999f);
        }

        /** Fits noise inputs to a target: a fresh noise batch each step, its loss read back live. */
        void step(Tensor target) {
            try (Scope scope = Scope.open()) {
                Tensor x = Tensor.randn(rng, 8, 6);
                Tensor error = net.forward(x).sub(target);
                Tensor loss = error.mul(error).meanAll();
                Replay.live(() -> losses.add(loss.item()));
                adam.zeroGrad();
                loss.backward();
                adam.step();
            }
        }

        List<float[]> state() {
            List<float[]> s = new ArrayList<>();
            net.stateDict().values().forEach(t -> s.add(t.toArray()));
            s.add(new float[] {rng.state()[2], adam.steps()});
            return s;
        }
    }

    private static void assertSameState(Learner a, Learner b) {
        assertEquals(a.losses, b.losses);
        List<float[]> sa = a.state(), sb = b.state();
        for (int i = 0; i < sa.size(); i++) assertArrayEquals(sa.get(i), sb.get(i), "state tensor " + i);
    }

    private static final Tensor TARGET = Tensor.rand(Rng.seeded(5), 8, 4);

    /** A learner after {@code steps} eager steps. */
    private static Learner trainedEagerly(int steps) {
        Learner l = new Learner();
        for (int i = 0; i < steps; i++) l.step(TARGET);
        return l;
    }

    /** Takes one eager step (it makes the optimizer's state), then records the second. */
    private static Replay recordSecondStep(Learner l) {
        l.step(TARGET);
        return Replay.record(() -> l.step(TARGET));
    }

    @Test
    void aReplayedStepGivesTheEagerBitsWithFreshNoiseAndTheOptimizersNewScalars() {
        Learner eager = trainedEagerly(6), replayed = new Learner();
        try (Replay step = recordSecondStep(replayed)) {
            assertNull(step.failure());
            for (int i = 0; i < 4; i++) step.run();
        }
        assertSameState(eager, replayed);
        assertEquals(6, replayed.losses.size(), "the live read ran once per step");
        assertTrue(replayed.losses.stream().distinct().count() > 1, "the loss moved: the replays learned");
    }

    @Test
    void memoryTheRecordingKeepsIsGivenToNothingElse() {
        Learner eager = trainedEagerly(3), replayed = new Learner();
        try (Replay step = recordSecondStep(replayed)) {
            // the step's scope has closed: had its memory gone to the pool, these would take it
            List<Tensor> others = new ArrayList<>();
            for (int i = 0; i < 40; i++) others.add(Tensor.full(7f, 8, 16));
            for (int i = 0; i < 40; i++) others.add(Tensor.full(7f, 8, 4));
            step.run();
            assertSameState(eager, replayed);
            for (Tensor t : others) for (float v : t.toArray()) assertEquals(7f, v);
        }
    }

    @Test
    void aValueReadBackOutsideLiveMakesTheRecordingUnusable() {
        Tensor x = Tensor.rand(Rng.seeded(1), 4);
        float[] seen = new float[1];
        Replay step = Replay.record(() -> seen[0] = x.mul(2f).sumAll().item());
        assertNotNull(step.failure());
        assertTrue(step.failure().contains("read back"), step.failure());
        IllegalStateException e = assertThrows(IllegalStateException.class, step::run);
        assertTrue(e.getMessage().contains("unusable"), e.getMessage());
        step.close();
    }

    @Test
    void aClosedRecordingRefusesToRunAndABodyThatThrowsLeavesNoneOpen() {
        Tensor x = Tensor.rand(Rng.seeded(1), 4);
        Replay step = Replay.record(() -> x.mul(2f));
        assertFalse(step.length() == 0);
        step.close();
        assertThrows(IllegalStateException.class, step::run);

        assertThrows(ArithmeticException.class, () -> Replay.record(() -> {
            throw new ArithmeticException("diverged");
        }));
        // nothing is left recording on this thread: a new recording may start
        Replay.record(() -> x.mul(3f)).close();
        assertThrows(IllegalStateException.class, () -> Replay.record(() -> Replay.record(() -> { })),
                "recordings do not nest");
    }

    @Test
    void aKernelWithPerStepArgumentsIssuedOutsideLiveMakesTheRecordingUnusable() {
        Tensor t = Tensor.zeros(4);
        Replay step = Replay.record(() -> Replay.kernels(t.backend()).random(Distribution.NORMAL, t.storage(), 4, 1, 0, 0));
        assertNotNull(step.failure());
        assertTrue(step.failure().contains("random"), step.failure());
        step.close();
    }

    @Test
    void memoryAllocatedZeroedIsZeroedAgainAtEveryReplay() {
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 3);
        Tensor[] sums = new Tensor[1];
        // indexAdd sums into a zeroed output: a replay must start from zeros again, not from the last sums
        Replay step = Replay.record(() -> sums[0] = x.indexAdd(0, new int[] {0, 0, 1}, 2));
        step.run();
        step.run();
        assertArrayEquals(new float[] {3, 3}, sums[0].toArray());
        step.close();
    }

    @Test
    void liveWorkRunsInItsPlaceAtEveryReplay() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2);
        Tensor[] y = new Tensor[1];
        List<Float> order = new ArrayList<>();
        Replay step = Replay.record(() -> {
            Tensor plus = x.add(1f);
            Replay.live(() -> {
                order.add(plus.toArray()[0]);
                x.assign(plus);   // live work may change what the next kernels read
            });
            y[0] = plus.mul(10f);
        });
        step.run();
        step.run();
        assertEquals(List.of(2f, 3f, 4f), order);
        assertArrayEquals(new float[] {40f, 50f}, y[0].toArray());
        step.close();
    }
}
