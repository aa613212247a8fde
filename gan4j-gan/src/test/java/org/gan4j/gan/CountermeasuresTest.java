package org.gan4j.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gan4j.nn.MinibatchDiscrimination;
import org.gan4j.nn.MinibatchStdDev;
import org.gan4j.nn.Module;
import org.gan4j.nn.Sequential;
import org.gan4j.nn.SpectralNorm;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class CountermeasuresTest {
    private static final Countermeasures NONE = Countermeasures.none();
    private static final List<Countermeasures> EACH = List.of(NONE.withPack(2), NONE.withPack(4), NONE.withMinibatchDiscrimination(4),
            NONE.withMinibatchStd(true), NONE.withSpectralNorm(true),
            new Countermeasures(2, 4, true, true));

    @Test
    void everyModelTrainsWithEveryCountermeasure() {
        for (String name : List.of("mlp2d", "mlp", "dcgan28", "dcgan64")) {
            for (Countermeasures c : EACH) {
                ModelOptions o = ModelOptions.defaults().withGHidden(8, 8).withDHidden(8).withWidth(4).withLatentDim(4).withCountermeasures(c);
                GanModel m = Models.create(name, o, Rng.seeded(1));
                int[] shape = m.generator().outputShape();
                int[] batch = new int[shape.length + 1];
                batch[0] = 8;
                System.arraycopy(shape, 0, batch, 1, shape.length);
                Tensor real = Tensor.randn(Rng.seeded(2), batch).tanh();
                String what = name + " with " + c;
                try (var ng = Autograd.noGrad()) {
                    assertArrayEquals(new int[] {8 / c.pack(), 1}, m.discriminator().forward(real).shape(), what);
                }
                StepStats s = new Trainer(m, GanLoss.nonSaturating(), TrainOptions.defaults(), null, Rng.seeded(3)).step(real, null);
                assertTrue(Float.isFinite(s.lossD()) && Float.isFinite(s.lossG()), what + ": " + s);
                assertEquals(c.spectralNorm(), m.discriminator().stateDict().keySet().stream().anyMatch(k -> k.endsWith("weight_orig")), what);
                assertEquals(c.minibatchKernels() > 0, has(m.discriminator(), MinibatchDiscrimination.class), what);
                assertEquals(c.minibatchStd(), has(m.discriminator(), MinibatchStdDev.class), what);
            }
        }
    }

    private static boolean has(Module m, Class<?> type) {
        return m.modules().stream().anyMatch(type::isInstance);
    }

    @Test
    void plainModelsAreUnchanged() {
        var a = Models.create("mlp2d", ModelOptions.defaults(), Rng.seeded(5)).discriminator().stateDict();
        var b = Models.create("mlp2d", ModelOptions.defaults().withCountermeasures(NONE), Rng.seeded(5)).discriminator().stateDict();
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, v) -> assertArrayEquals(v.toArray(), b.get(k).toArray(), k));
    }

    @Test
    void packsJoinConsecutiveSamplesOfOneKind() {
        Discriminator d = Discriminator.packed(new Sequential(), 2);
        Tensor points = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 4, 2);
        Tensor packs = d.forward(points);
        assertArrayEquals(new int[] {2, 4}, packs.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, packs.toArray());
        assertArrayEquals(new int[] {2, 2, 3, 3}, d.forward(Tensor.zeros(4, 1, 3, 3)).shape(), "images join along the channel axis");
        var e = assertThrows(IllegalArgumentException.class, () -> d.forward(Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("cannot be split into packs of 2"), e.getMessage());
    }

    @Test
    void minibatchFeaturesTellACollapsedBatch() {
        Tensor collapsed = Tensor.full(0.5f, 6, 3), varied = Tensor.randn(Rng.seeded(1), 6, 3);
        MinibatchStdDev std = new MinibatchStdDev();
        assertEquals(1e-4f, std.forward(collapsed).slice(1, 3, 4).toArray()[0], 1e-6f, "σ of identical samples is √ε");
        assertTrue(std.forward(varied).slice(1, 3, 4).toArray()[0] > 0.3f);
        // identical rows are at L1 distance 0 from the 5 others: exp(0) summed = 5 per kernel
        Tensor t = Tensor.randn(Rng.seeded(2), 3, 8);
        float[] closeness = MinibatchDiscrimination.apply(collapsed, t, 4, 2).slice(1, 3, 7).toArray();
        for (float v : closeness) assertEquals(5f, v, 1e-5f);
        for (float v : MinibatchDiscrimination.apply(varied, t, 4, 2).slice(1, 3, 7).toArray()) assertTrue(v < 5f);
    }

    @Test
    void spectralNormEstimatesTheLargestSingularValue() {
        GanModel m = Models.create("mlp2d", ModelOptions.defaults().withCountermeasures(NONE.withSpectralNorm(true)), Rng.seeded(1));
        Tensor x = Tensor.randn(Rng.seeded(2), 10, 2);
        try (var ng = Autograd.noGrad()) {
            for (int i = 0; i < 60; i++) m.discriminator().forward(x);   // each training-mode forward is one power-iteration step
        }
        List<SpectralNorm> layers = m.discriminator().modules().stream().filter(SpectralNorm.class::isInstance).map(SpectralNorm.class::cast).toList();
        assertEquals(4, layers.size());
        for (SpectralNorm sn : layers) {
            double exact = largestSingularValue(sn.weightOrig().toArray(), sn.weightOrig().size(0), sn.weightOrig().size(1));
            assertEquals(exact, sn.sigma(), 1e-3 * exact, sn.describe());
        }
    }

    /** √(largest eigenvalue of WᵀW) by 500 power-iteration steps in double. */
    private static double largestSingularValue(float[] w, int rows, int cols) {
        double[] v = new double[cols];
        java.util.Arrays.fill(v, 1);
        double lambda = 0;
        for (int it = 0; it < 500; it++) {
            double[] wv = new double[rows], next = new double[cols];
            for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) wv[r] += w[r * cols + c] * v[c];
            for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) next[c] += w[r * cols + c] * wv[r];
            double norm = Math.sqrt(java.util.Arrays.stream(next).map(a -> a * a).sum());
            for (int c = 0; c < cols; c++) v[c] = next[c] / norm;
            lambda = norm;
        }
        return Math.sqrt(lambda);
    }

    @Test
    void conditionalModelsRefuseCountermeasures() {
        var e = assertThrows(IllegalArgumentException.class, () -> Models.create("cgan-mlp",
                ModelOptions.defaults().withCountermeasures(NONE.withPack(2)), Rng.seeded(1)));
        assertTrue(e.getMessage().contains("unconditional"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NONE.withPack(0));
    }
}
