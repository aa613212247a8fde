package org.gan4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Each optimizer minimizes f(p) = ½ Σ aᵢ pᵢ² (gradient aᵢ pᵢ) for ten steps; the test
 * replays the published update rule in double precision alongside.
 */
class OptimizerTest {
    private static final double[] A = {1, 2, 3, 0.5, 4};
    private static final double[] START = {1, -2, 0.5, 3, -0.25};

    /** The update rule in double: advances p (and its own state) by one step with gradient g. */
    interface Rule {
        void step(double[] p, double[] g, int t);
    }

    private static List<Tensor> params() {
        return List.of(
                Tensor.of(new float[] {(float) START[0], (float) START[1], (float) START[2]}, 3).requiresGrad(true),
                Tensor.of(new float[] {(float) START[3], (float) START[4]}, 2).requiresGrad(true));
    }

    /** Backpropagates f through the parameters (the engine computes the gradient). */
    private static void backward(List<Tensor> ps) {
        Tensor a0 = Tensor.of(new float[] {1, 2, 3}, 3), a1 = Tensor.of(new float[] {0.5f, 4}, 2);
        Tensor p0 = ps.get(0), p1 = ps.get(1);
        p0.mul(p0).mul(a0).sumAll().add(p1.mul(p1).mul(a1).sumAll()).mul(0.5f).backward();
    }

    private static float[] values(List<Tensor> ps) {
        float[] a = ps.get(0).toArray(), b = ps.get(1).toArray();
        return new float[] {a[0], a[1], a[2], b[0], b[1]};
    }

    private static void check(Function<List<Tensor>, Optimizer> make, Rule rule) {
        List<Tensor> ps = params();
        Optimizer opt = make.apply(ps);
        double[] p = START.clone();
        for (int t = 1; t <= 10; t++) {
            opt.zeroGrad();
            backward(ps);
            double[] g = new double[p.length];
            for (int i = 0; i < p.length; i++) g[i] = A[i] * p[i];
            rule.step(p, g, t);
            opt.step();
            float[] got = values(ps);
            for (int i = 0; i < p.length; i++) {
                assertEquals(p[i], got[i], 2e-5 * (1 + Math.abs(p[i])), "step " + t + ", value " + i);
            }
        }
        assertEquals(10, opt.steps());
    }

    private static Rule adam(double lr, double b1, double b2, double eps, double wd, boolean decoupled) {
        double[] m = new double[A.length], v = new double[A.length];
        return (p, g, t) -> {
            for (int i = 0; i < p.length; i++) {
                double gi = g[i];
                if (decoupled) p[i] *= 1 - lr * wd;
                else gi += wd * p[i];
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                double mHat = m[i] / (1 - Math.pow(b1, t)), vHat = v[i] / (1 - Math.pow(b2, t));
                p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        };
    }

    @Test
    void adamFollowsItsUpdateRule() {
        check(ps -> new Adam(ps, 0.1f, 0.5f, 0.999f), adam(0.1, 0.5, 0.999, 1e-8, 0, false));
        check(ps -> new Adam(ps, 0.05f, 0.9f, 0.99f, 1e-6f, 0.1f, false), adam(0.05, 0.9, 0.99, 1e-6, 0.1, false));
        // β1 = 0 (StyleGAN2, R3GAN): no momentum, m is this step's gradient and needs no correction
        check(ps -> OptimizerSpec.adam(0.05f, 0f, 0.99f).create(ps), adam(0.05, 0, 0.99, 1e-8, 0, false));
    }

    @Test
    void adamWDecaysTheWeightsDirectly() {
        check(ps -> new AdamW(ps, 0.05f, 0.9f, 0.999f, 1e-8f, 0.5f), adam(0.05, 0.9, 0.999, 1e-8, 0.5, true));
    }

    private static Rule sgd(double lr, double momentum, double dampening, double wd, boolean nesterov) {
        double[] buf = new double[A.length];
        return (p, g, t) -> {
            for (int i = 0; i < p.length; i++) {
                double gi = g[i] + wd * p[i];
                if (momentum != 0) {
                    buf[i] = t == 1 ? gi : momentum * buf[i] + (1 - dampening) * gi;
                    gi = nesterov ? gi + momentum * buf[i] : buf[i];
                }
                p[i] -= lr * gi;
            }
        };
    }

    @Test
    void sgdFollowsItsUpdateRule() {
        check(ps -> new SGD(ps, 0.1f), sgd(0.1, 0, 0, 0, false));
        check(ps -> new SGD(ps, 0.05f, 0.9f, 0.1f, 0.01f, false), sgd(0.05, 0.9, 0.1, 0.01, false));
        check(ps -> new SGD(ps, 0.05f, 0.8f, 0f, 0f, true), sgd(0.05, 0.8, 0, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new SGD(params(), 0.1f, 0f, 0f, 0f, true));
    }

    private static Rule rmsprop(double lr, double alpha, double eps, double wd, double momentum) {
        double[] sq = new double[A.length], buf = new double[A.length];
        return (p, g, t) -> {
            for (int i = 0; i < p.length; i++) {
                double gi = g[i] + wd * p[i];
                sq[i] = alpha * sq[i] + (1 - alpha) * gi * gi;
                double avg = Math.sqrt(sq[i]) + eps;
                if (momentum > 0) {
                    buf[i] = momentum * buf[i] + gi / avg;
                    p[i] -= lr * buf[i];
                } else {
                    p[i] -= lr * gi / avg;
                }
            }
        };
    }

    @Test
    void rmspropFollowsItsUpdateRule() {
        check(ps -> new RMSprop(ps, 0.01f), rmsprop(0.01, 0.99, 1e-8, 0, 0));
        check(ps -> new RMSprop(ps, 0.01f, 0.9f, 1e-6f, 0.05f, 0.5f), rmsprop(0.01, 0.9, 1e-6, 0.05, 0.5));
    }

    @Test
    void parametersWithoutGradientAreSkipped() {
        Tensor used = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor unused = Tensor.of(new float[] {3, 4}, 2).requiresGrad(true);
        Optimizer opt = new Adam(List.of(used, unused), 0.1f);
        used.mul(used).sumAll().backward();
        opt.step();
        assertNull(unused.grad());
        assertArrayEquals(new float[] {3, 4}, unused.toArray());
        assertTrue(used.toArray()[0] < 1f);
        assertTrue(opt.stateDict().containsKey("0.exp_avg"));
        assertTrue(!opt.stateDict().containsKey("1.exp_avg"));
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((k, t) -> out.put(k, Tensor.of(t.toArray(), t.shape())));
        return out;
    }

    @Test
    void stateDictRoundTripGivesIdenticalSteps() {
        List<Function<List<Tensor>, Optimizer>> makers = List.of(
                ps -> new Adam(ps, 0.1f, 0.5f, 0.999f),
                ps -> new AdamW(ps, 0.1f),
                ps -> new SGD(ps, 0.1f, 0.9f, 0f, 0f, true),
                ps -> new RMSprop(ps, 0.01f, 0.9f, 1e-8f, 0f, 0.5f));
        for (var make : makers) {
            List<Tensor> a = params();
            Optimizer first = make.apply(a);
            for (int t = 0; t < 3; t++) {
                first.zeroGrad();
                backward(a);
                first.step();
            }
            first.setLearningRate(first.learningRate() / 2);
            Map<String, Tensor> saved = copy(first.stateDict());

            List<Tensor> b = List.of(Tensor.of(a.get(0).toArray(), 3).requiresGrad(true),
                    Tensor.of(a.get(1).toArray(), 2).requiresGrad(true));
            Optimizer second = make.apply(b);
            second.loadStateDict(saved);
            assertEquals(first.steps(), second.steps());
            assertEquals(first.learningRate(), second.learningRate());
            for (int t = 0; t < 3; t++) {
                first.zeroGrad();
                backward(a);
                first.step();
                second.zeroGrad();
                backward(b);
                second.step();
                assertArrayEquals(values(a), values(b), first.getClass().getSimpleName() + " step " + t);
            }
        }
    }

    @Test
    void loadingMismatchedStateFails() {
        List<Tensor> ps = params();
        Optimizer opt = new Adam(ps, 0.1f);
        backward(ps);
        opt.step();
        Map<String, Tensor> state = copy(opt.stateDict());
        state.put("1.exp_avg", Tensor.zeros(3));
        state.put("0.momentum", Tensor.zeros(3));
        var e = assertThrows(IllegalArgumentException.class, () -> new Adam(params(), 0.1f).loadStateDict(state));
        assertTrue(e.getMessage().contains("1.exp_avg: checkpoint has [3], parameter has [2]"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected key 0.momentum"), e.getMessage());
    }

    @Test
    void clipGradNormScalesOnlyAboveTheLimit() {
        Tensor a = Tensor.zeros(2).requiresGrad(true), b = Tensor.zeros(1).requiresGrad(true);
        Tensor none = Tensor.zeros(1).requiresGrad(true);
        a.setGrad(Tensor.of(new float[] {3, 4}, 2));
        b.setGrad(Tensor.of(new float[] {12}, 1));
        List<Tensor> ps = List.of(a, b, none);

        assertEquals(13f, GradClip.clipGradNorm(ps, 20f), 1e-5f);
        assertArrayEquals(new float[] {3, 4}, a.grad().toArray());

        assertEquals(13f, GradClip.clipGradNorm(ps, 6.5f), 1e-5f);
        float scale = 6.5f / (13f + 1e-6f);
        assertArrayEquals(new float[] {3 * scale, 4 * scale}, a.grad().toArray(), 1e-6f);
        assertArrayEquals(new float[] {12 * scale}, b.grad().toArray(), 1e-6f);
        assertEquals(6.5f, GradClip.clipGradNorm(ps, 100f), 1e-4f);
        assertNull(none.grad());
    }
}
