package org.gan4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.gan4j.optim.Adam;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The seeds' two-phase step with the engine alone: each phase changes only its own network. */
class TwoPhaseStepTest {

    private static List<float[]> snapshot(Module m) {
        return m.parameters().stream().map(Tensor::toArray).collect(Collectors.toList());
    }

    private static boolean same(List<float[]> a, List<float[]> b) {
        for (int i = 0; i < a.size(); i++) if (!Arrays.equals(a.get(i), b.get(i))) return false;
        return true;
    }

    @Test
    void eachPhaseStepsOnlyItsOwnNetwork() {
        Rng rng = Rng.seeded(42);
        Linear g = new Linear(2, 3, rng), d = new Linear(3, 1, rng);
        Adam optG = new Adam(g.parameters(), 2e-4f, 0.5f, 0.999f), optD = new Adam(d.parameters(), 2e-4f, 0.5f, 0.999f);
        Tensor x = Tensor.randn(rng, 4, 3), z = Tensor.randn(rng, 4, 2);
        Tensor ones = Tensor.ones(4, 1), zeros = Tensor.zeros(4, 1);

        // phase 1: loss_D = -log D(x) - log(1 - D(G(z))), with G's output detached
        List<float[]> g0 = snapshot(g), d0 = snapshot(d);
        Tensor f = g.forward(z);
        Tensor lossD = Loss.bceWithLogits(d.forward(x), ones).add(Loss.bceWithLogits(d.forward(f.detach()), zeros));
        optD.zeroGrad();
        lossD.backward();
        optD.step();
        for (Tensor p : g.parameters()) assertNull(p.grad(), "G's gradients stay null in phase 1");
        for (Tensor p : d.parameters()) assertNotNull(p.grad());
        assertArrayEquals(g0.toArray(), snapshot(g).toArray(), "phase 1 leaves G unchanged");
        assertFalse(same(d0, snapshot(d)), "phase 1 changes D");

        // phase 2: loss_G = -log D(G(z)) with D frozen
        List<float[]> g1 = snapshot(g), d1 = snapshot(d);
        List<float[]> dGrads = d.parameters().stream().map(p -> p.grad().toArray()).collect(Collectors.toList());
        d.requiresGrad(false);
        Tensor lossG = Loss.bceWithLogits(d.forward(g.forward(z)), ones);
        optG.zeroGrad();
        lossG.backward();
        optG.step();
        d.requiresGrad(true);
        for (Tensor p : g.parameters()) assertNotNull(p.grad(), "G gets gradients in phase 2");
        for (int i = 0; i < dGrads.size(); i++) {
            assertArrayEquals(dGrads.get(i), d.parameters().get(i).grad().toArray(), "frozen D accumulates nothing");
        }
        assertArrayEquals(d1.toArray(), snapshot(d).toArray(), "phase 2 leaves D unchanged");
        assertFalse(same(g1, snapshot(g)), "phase 2 changes G");
    }
}
