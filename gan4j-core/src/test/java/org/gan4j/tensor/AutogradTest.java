package org.gan4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AutogradTest {

    private static Tensor leaf(float... v) {
        return Tensor.of(v, v.length).requiresGrad(true);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor x = leaf(1, 2, 3);
        x.mul(x).sumAll().backward();              // 2x
        assertArrayEquals(new float[] {2, 4, 6}, x.grad().toArray());
        x.mul(3f).sumAll().backward();             // + 3
        assertArrayEquals(new float[] {5, 7, 9}, x.grad().toArray());
        x.zeroGrad();
        assertArrayEquals(new float[] {0, 0, 0}, x.grad().toArray());
    }

    @Test
    void aZeroedGradientKeepsItsMemoryAndTakesTheNextGradientAlone() {
        Tensor x = leaf(1, 2, 3);
        x.mul(x).sumAll().backward();
        Tensor kept = x.grad();
        x.zeroGrad();
        x.mul(3f).sumAll().backward();             // 3, not 2x + 3
        x.mul(x).sumAll().backward();              // then + 2x
        assertArrayEquals(new float[] {5, 7, 9}, x.grad().toArray());
        assertTrue(kept == x.grad(), "the gradient's memory is reused");
    }

    @Test
    void aGradientSetAfterZeroingIsKeptAsSet() {
        Tensor x = leaf(1, 2);
        x.mul(x).sumAll().backward();
        x.zeroGrad();
        x.setGrad(Tensor.of(new float[] {7, 8}, 2));
        assertArrayEquals(new float[] {7, 8}, x.grad().toArray(), "not zeroed afterwards");
        x.sumAll().backward();
        assertArrayEquals(new float[] {8, 9}, x.grad().toArray(), "and added to");
    }

    @Test
    void oneModuleCalledTwiceAddsBothContributions() {
        Tensor w = leaf(2);
        Tensor a = Tensor.of(new float[] {3}, 1), b = Tensor.of(new float[] {5}, 1);
        w.mul(a).add(w.mul(b)).sumAll().backward();
        assertEquals(8f, w.grad().item());
    }

    @Test
    void noGradAndDetachStopTheGraph() {
        Tensor x = leaf(1, 2);
        try (var ng = Autograd.noGrad()) {
            Tensor y = x.mul(2f);
            assertFalse(y.requiresGrad());
            assertTrue(y.isLeaf());
        }
        Tensor z = x.detach().mul(2f);
        assertFalse(z.requiresGrad());
        Tensor mixed = x.mul(x.detach()).sumAll();   // d/dx (x · const) = const
        mixed.backward();
        assertArrayEquals(new float[] {1, 2}, x.grad().toArray());
    }

    @Test
    void copyHasItsOwnMemoryAndNoHistory() {
        Tensor x = leaf(1, 2);
        Tensor c = x.copy();
        assertFalse(c.requiresGrad());
        assertTrue(c.isLeaf());
        x.assign(Tensor.of(new float[] {5, 6}, 2));    // in place, as optimizers and power iterations do
        assertArrayEquals(new float[] {1, 2}, c.toArray());
    }

    @Test
    void frozenLeavesReceiveNoGradient() {
        Tensor frozen = leaf(1, 2).requiresGrad(false);
        Tensor live = leaf(3, 4);
        frozen.mul(live).sumAll().backward();
        assertNull(frozen.grad());
        assertArrayEquals(new float[] {1, 2}, live.grad().toArray());
    }

    @Test
    void secondDerivativeThroughCreateGraph() {
        Tensor x = leaf(0.5f, -1.5f);
        Tensor y = x.pow(3f).sumAll();                                   // y = Σ x³
        Tensor dx = Autograd.grad(new Tensor[] {y}, new Tensor[] {x}, true)[0];   // 3x²
        assertArrayEquals(new float[] {0.75f, 6.75f}, dx.toArray(), 1e-6f);
        assertTrue(dx.requiresGrad());
        Tensor d2 = Autograd.grad(new Tensor[] {dx.sumAll()}, new Tensor[] {x}, false)[0];   // 6x
        assertArrayEquals(new float[] {3f, -9f}, d2.toArray(), 1e-5f);
    }

    @Test
    void gradOfUnusedInputIsZero() {
        Tensor x = leaf(1, 2), unused = leaf(7);
        Tensor[] g = Autograd.grad(new Tensor[] {x.sumAll()}, new Tensor[] {x, unused}, false);
        assertArrayEquals(new float[] {0}, g[1].toArray());
    }

    @Test
    void scopeRecyclesIntermediatesAndCatchesLaterUse() {
        Tensor param = leaf(1, 2, 3);
        Tensor escaped;
        Tensor kept;
        try (Scope step = Scope.open()) {
            Tensor loss = param.mul(param).sumAll();
            loss.backward();
            escaped = loss;
            kept = param.mul(10f).keep();
        }
        assertThrows(IllegalStateException.class, escaped::toArray);
        assertArrayEquals(new float[] {10, 20, 30}, kept.toArray());
        assertArrayEquals(new float[] {2, 4, 6}, param.grad().toArray(), "gradients live outside the scope");
        assertArrayEquals(new float[] {1, 2, 3}, param.toArray(), "a view made inside a scope must not free its base");
    }

    @Test
    void viewsOfOutsideTensorsSurviveTheScope() {
        Tensor w = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        try (Scope s = Scope.open()) {
            w.reshape(4).mul(2f);
        }
        assertArrayEquals(new float[] {1, 2, 3, 4}, w.toArray());
    }

    @Test
    void shapeErrorsNameTheOpAndBothShapes() {
        Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(4);
        var e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertEquals("add: shapes [2, 3] and [4] do not broadcast", e.getMessage());
        var m = assertThrows(IllegalArgumentException.class, () -> a.matmul(Tensor.zeros(2, 5)));
        assertTrue(m.getMessage().contains("[2, 3] @ [2, 5]"), m.getMessage());
    }

    @Test
    void batchNormRefusesMissingOrMisshapenStatistics() {
        Tensor x = Tensor.zeros(4, 3, 2), c3 = Tensor.zeros(3), c2 = Tensor.zeros(2);
        var noAxis = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).channelMoments());
        assertEquals("channelMoments: input [3] has no channel axis (axis 1)", noAxis.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> Tensor.batchNorm(x, c3, null, null, null, 1e-5f, false));
        assertEquals("batchNorm: mean and var are required", missing.getMessage());
        var shape = assertThrows(IllegalArgumentException.class, () -> Tensor.batchNorm(x, c3, c3, c2, null, 1e-5f, false));
        assertEquals("batchNorm: per-channel tensor [2] for input [4, 3, 2], expected [3]", shape.getMessage());
    }

    /** Batch norm's output in training mode over x [6, 3, 5], with the weight and bias as given (they may be null). */
    private static Tensor batchNormOf(Tensor x, Tensor w, Tensor b) {
        Tensor[] moments = x.channelMoments();
        return Tensor.batchNorm(x, moments[0], moments[1], w, b, 1e-5f, true);
    }

    /**
     * The three inputs' gradients share the channel sums of the output gradient, and the walk
     * gets them in one call: asked for one at a time in any order, with the output gradient
     * changed in place between two requests, or for some inputs only, each is the same.
     */
    @Test
    void batchNormGradientsDoNotDependOnTheOrderTheyAreAskedIn() {
        Rng rng = Rng.seeded(3);
        Tensor x = Tensor.randn(rng, 6, 3, 5).mul(2f).add(1f).requiresGrad(true);
        Tensor w = Tensor.rand(rng, 3).add(0.5f).requiresGrad(true), b = Tensor.randn(rng, 3).requiresGrad(true);
        Tensor g = Tensor.randn(rng, 6, 3, 5), g2 = g.mul(-3f).add(0.25f);
        Tensor y = batchNormOf(x, w, b);
        Tensor[] inputs = {x, w, b};
        Tensor[] all = Autograd.grad(new Tensor[] {y.mul(g).sumAll()}, inputs, false);
        Tensor[] all2 = Autograd.grad(new Tensor[] {y.mul(g2).sumAll()}, inputs, false);

        Autograd.GradFn fn = y.node().gradFn();
        try (var ng = Autograd.noGrad()) {
            for (int[] order : new int[][] {{0, 1, 2}, {2, 1, 0}, {1, 0, 2}, {2, 0, 1}}) {
                for (int i : order) assertArrayEquals(all[i].toArray(), fn.apply(i, g).toArray(), "input " + i);
            }
            Tensor seed = g.copy();
            assertArrayEquals(all[1].toArray(), fn.apply(1, seed).toArray(), "the weight's");
            seed.assign(g2);   // the same tensor with other values: nothing kept from the request before
            assertArrayEquals(all2[2].toArray(), fn.apply(2, seed).toArray(), "the bias's, after the change");
            assertArrayEquals(all2[0].toArray(), fn.apply(0, seed).toArray(), "x's, after the change");
        }

        // the walk with only some inputs requiring a gradient: D's frozen parameters, a real batch's x
        w.requiresGrad(false);
        Tensor[] xAndBias = Autograd.grad(new Tensor[] {y.mul(g).sumAll()}, new Tensor[] {x, b}, false);
        assertArrayEquals(all[0].toArray(), xAndBias[0].toArray(), "x's, with the weight frozen");
        assertArrayEquals(all[2].toArray(), xAndBias[1].toArray(), "the bias's, with the weight frozen");
        w.requiresGrad(true);
        Tensor constant = x.detach();
        Tensor yOfConstant = batchNormOf(constant, w, b);
        Tensor[] weightAndBias = Autograd.grad(new Tensor[] {yOfConstant.mul(g).sumAll()}, new Tensor[] {w, b}, false);
        assertArrayEquals(all[1].toArray(), weightAndBias[0].toArray(), "the weight's, with x constant");
        assertArrayEquals(all[2].toArray(), weightAndBias[1].toArray(), "the bias's, with x constant");
        b.requiresGrad(false);
        Tensor weightOnly = Autograd.grad(new Tensor[] {batchNormOf(constant, w, b).mul(g).sumAll()}, new Tensor[] {w}, false)[0];
        assertArrayEquals(all[1].toArray(), weightOnly.toArray(), "the weight's alone");
    }

    @Test
    void anomalyModeNamesTheOpThatMadeNaN() {
        Autograd.setAnomalyMode(true);
        try {
            var e = assertThrows(ArithmeticException.class, () -> Tensor.of(new float[] {-1f}, 1).log());
            assertTrue(e.getMessage().startsWith("log:"), e.getMessage());
        } finally {
            Autograd.setAnomalyMode(false);
        }
        assertEquals(2, Tensor.of(new float[] {1f, Float.NaN, Float.POSITIVE_INFINITY}, 3).nonFiniteCount());
        assertFalse(Tensor.of(new float[] {1f, Float.NaN, 2f}, 3).allFinite());
        assertFalse(Tensor.of(new float[] {Float.NEGATIVE_INFINITY, 1f}, 2).allFinite());
        assertTrue(Tensor.of(new float[] {3e38f, 3e38f, 1f}, 3).allFinite(), "a sum that overflows is not a non-finite value");
        assertTrue(Tensor.zeros(0).allFinite());
    }

    @Test
    void randomTensorsFollowTheSeed() {
        float[] a = Tensor.randn(Rng.seeded(7), 3, 5).toArray();
        float[] b = Tensor.randn(Rng.seeded(7), 3, 5).toArray();
        float[] c = Tensor.randn(Rng.seeded(8), 3, 5).toArray();
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
        Rng rng = Rng.seeded(7);
        Tensor.randn(rng, 3);
        Rng restored = Rng.fromState(rng.state());
        assertArrayEquals(Tensor.randn(rng, 6).toArray(), Tensor.randn(restored, 6).toArray());
    }
}
