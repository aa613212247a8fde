package org.gan4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ModuleTest {

    /** A DCGAN-style discriminator with a nested Sequential under "main". */
    static final class Disc extends Module {
        final Sequential main;

        Disc(int channels, Rng rng) {
            main = child("main", new Sequential(
                    new Conv2d(channels, 4, 4, 2, 1, false, rng), new LeakyReLU(0.2f),
                    new Conv2d(4, 8, 4, 2, 1, false, rng), new BatchNorm2d(8), new LeakyReLU(0.2f),
                    new Flatten(), new Linear(8 * 2 * 2, 1, rng)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return main.forward(x);
        }
    }

    @Test
    void namedParametersAndBuffersFollowPyTorchPaths() {
        Disc d = new Disc(1, Rng.seeded(1));
        assertEquals(List.of("main.0.weight", "main.2.weight", "main.3.weight", "main.3.bias", "main.6.weight", "main.6.bias"),
                List.copyOf(d.namedParameters().keySet()));
        assertEquals(List.of("main.3.running_mean", "main.3.running_var", "main.3.num_batches_tracked"),
                List.copyOf(d.namedBuffers().keySet()));
        assertEquals(List.of("main.0.weight", "main.2.weight", "main.3.weight", "main.3.bias", "main.3.running_mean",
                "main.3.running_var", "main.3.num_batches_tracked", "main.6.weight", "main.6.bias"), List.copyOf(d.stateDict().keySet()));
        assertEquals(6, d.parameters().size());
        assertTrue(d.parameters().stream().allMatch(Tensor::requiresGrad));
        assertFalse(d.namedBuffers().values().stream().anyMatch(Tensor::requiresGrad));
        assertEquals("main.3", d.main.get(3).path());
    }

    @Test
    void sharedParametersAreListedOnce() {
        Linear shared = new Linear(2, 2, Rng.seeded(2));
        Sequential s = new Sequential(shared, new ReLU(), shared);
        assertEquals(2, s.parameters().size());
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(s.namedParameters().keySet()));   // first name wins, as in PyTorch
    }

    @Test
    void stateDictRoundTripCopiesValues() {
        Disc a = new Disc(1, Rng.seeded(3)), b = new Disc(1, Rng.seeded(4));
        assertNotEquals(a.main.get(0).stateDict().get("weight").toArray()[0], b.main.get(0).stateDict().get("weight").toArray()[0]);
        Map<String, Tensor> state = a.stateDict();
        Module.LoadResult r = b.loadStateDict(state, true);
        assertTrue(r.missingKeys().isEmpty() && r.unexpectedKeys().isEmpty());
        b.stateDict().forEach((k, t) -> assertArrayEquals(state.get(k).toArray(), t.toArray(), k));
        // values were copied, not shared
        assertFalse(b.stateDict().get("main.0.weight") == state.get("main.0.weight"));
        Tensor x = Tensor.randn(Rng.seeded(5), 2, 1, 8, 8);
        a.eval();
        b.eval();
        assertArrayEquals(a.forward(x).toArray(), b.forward(x).toArray());
    }

    @Test
    void strictLoadNamesMissingUnexpectedAndMismatchedKeys() {
        Disc model = new Disc(3, Rng.seeded(6));
        Map<String, Tensor> state = new LinkedHashMap<>(new Disc(1, Rng.seeded(7)).stateDict());
        state.remove("main.6.bias");
        state.put("main.9.weight", Tensor.zeros(2));
        float before = model.main.get(2).stateDict().get("weight").toArray()[0];
        var e = assertThrows(IllegalArgumentException.class, () -> model.loadStateDict(state, true));
        assertTrue(e.getMessage().contains("main.0.weight: checkpoint has [4, 1, 4, 4], model has [4, 3, 4, 4]"), e.getMessage());
        assertTrue(e.getMessage().contains("missing keys [main.6.bias]"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected keys [main.9.weight]"), e.getMessage());
        // nothing was copied
        assertEquals(before, model.main.get(2).stateDict().get("weight").toArray()[0]);

        // non-strict: missing and unexpected keys are reported, the rest loads
        Disc same = new Disc(1, Rng.seeded(8));
        state.remove("main.0.weight");
        Module.LoadResult r = same.loadStateDict(state, false);
        assertEquals(List.of("main.0.weight", "main.6.bias"), r.missingKeys());
        assertEquals(List.of("main.9.weight"), r.unexpectedKeys());
        assertArrayEquals(state.get("main.2.weight").toArray(), same.stateDict().get("main.2.weight").toArray());
    }

    @Test
    void frozenParametersGetNoGradient() {
        Linear first = new Linear(3, 4, Rng.seeded(9)), second = new Linear(4, 1, Rng.seeded(10));
        Sequential net = new Sequential(first, new Tanh(), second);
        first.requiresGrad(false);
        net.forward(Tensor.randn(Rng.seeded(11), 5, 3)).meanAll().backward();
        assertNull(first.weight().grad());
        assertNull(first.bias().grad());
        assertNotNull(second.weight().grad());
        assertNotNull(second.bias().grad());
    }

    @Test
    void trainAndEvalSwitchBatchNormAndDropout() {
        BatchNorm1d bn = new BatchNorm1d(2);
        Dropout drop = new Dropout(0.5f, Rng.seeded(12));
        Sequential net = new Sequential(bn, drop);
        Tensor x = Tensor.of(new float[] {1, 10, 3, 20, 5, 30, 7, 40}, 4, 2);

        Tensor y = net.forward(x);
        assertTrue(net.isTraining() && bn.isTraining() && drop.isTraining());
        assertEquals(1, bn.batchesTracked());
        // running stats moved 10% towards the batch mean (4, 25) and unbiased variance (20/3, 500/3)
        assertArrayEquals(new float[] {0.4f, 2.5f}, bn.runningMean().toArray(), 1e-5f);
        assertArrayEquals(new float[] {0.9f + 2f / 3, 0.9f + 50f / 3}, bn.runningVar().toArray(), 1e-4f);
        float[] v = y.toArray();
        int zeros = 0;
        for (float f : v) if (f == 0f) zeros++;
        assertTrue(zeros > 0, "dropout zeroed nothing in training");

        net.eval();
        assertFalse(bn.isTraining() || drop.isTraining());
        float[] e = net.forward(x).toArray();
        float[] mean = bn.runningMean().toArray(), var = bn.runningVar().toArray();
        float[] xs = x.toArray();
        for (int i = 0; i < xs.length; i++) {
            int c = i % 2;
            assertEquals((xs[i] - mean[c]) / Math.sqrt(var[c] + 1e-5), e[i], 1e-4, "eval uses running stats, no dropout");
        }
        assertEquals(1, bn.batchesTracked());
        net.train();
        assertTrue(drop.isTraining());
    }

    @Test
    void wrongInputShapeNamesTheLayerPath() {
        Disc d = new Disc(1, Rng.seeded(13));
        d.named("discriminator");
        var e = assertThrows(IllegalArgumentException.class, () -> d.forward(Tensor.zeros(64, 3, 32, 32)));
        assertEquals("discriminator.main.0 (Conv2d): input [64, 3, 32, 32] has 3 channels, expected 1", e.getMessage());

        Sequential g = new Sequential(new Linear(8, 16), new Unflatten(4, 2, 2), new ConvTranspose2d(4, 1, 4, 2, 1));
        g.named("generator");
        e = assertThrows(IllegalArgumentException.class, () -> g.forward(Tensor.zeros(2, 7)));
        assertEquals("generator.0 (Linear): input [2, 7] has 7 features, expected 8", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.get(2).forward(Tensor.zeros(2, 4, 2)));
        assertTrue(e.getMessage().startsWith("generator.2 (ConvTranspose2d): input [2, 4, 2] has 3 dimensions, expected 4"), e.getMessage());
        assertArrayEquals(new int[] {2, 1, 4, 4}, g.forward(Tensor.zeros(2, 8)).shape());
    }

    /** R3GAN's residual shape: 1×1, grouped 3×3, 1×1, then a depthwise conv; names and shapes as PyTorch's state dict. */
    @Test
    void groupedConvStateDictNamesAndShapes() {
        Sequential block = new Sequential(new Conv2d(8, 16, 1, 1, 0, 1, true, Rng.seeded(20)),
                new Conv2d(16, 16, 3, 1, 1, 4, false, Rng.seeded(21)),
                new Conv2d(16, 8, 1, 1, 0, 1, false, Rng.seeded(22)),
                new Conv2d(8, 8, 4, 1, 0, 8, true, Rng.seeded(23)));
        Map<String, Tensor> state = block.stateDict();
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "2.weight", "3.weight", "3.bias"), List.copyOf(state.keySet()));
        assertArrayEquals(new int[] {16, 8, 1, 1}, state.get("0.weight").shape());
        assertArrayEquals(new int[] {16, 4, 3, 3}, state.get("1.weight").shape());
        assertArrayEquals(new int[] {8, 16, 1, 1}, state.get("2.weight").shape());
        assertArrayEquals(new int[] {8, 1, 4, 4}, state.get("3.weight").shape());
        assertArrayEquals(new int[] {8}, state.get("3.bias").shape());
        assertArrayEquals(new int[] {2, 8, 1, 1}, block.forward(Tensor.zeros(2, 8, 4, 4)).shape());

        // the fan-in a group sees is in/groups · k · k, so the default bound is 1/√(4·3·3)
        double max = 0;
        for (float f : state.get("1.weight").toArray()) max = Math.max(max, Math.abs(f));
        assertTrue(max <= 1 / 6.0 && max > 0.9 / 6.0, "max |w| " + max);

        assertThrows(IllegalArgumentException.class, () -> new Conv2d(6, 4, 3, 1, 1, 4, true, Rng.seeded(24)));
    }

    @Test
    void defaultInitStaysWithinPyTorchBounds() {
        ConvTranspose2d ct = new ConvTranspose2d(16, 3, 4, 2, 1, 0, true, Rng.seeded(14));
        double bound = 1 / Math.sqrt(3 * 4 * 4);   // PyTorch's fan-in of a transposed conv: weight dim 1 · k · k
        double max = 0;
        for (float f : ct.weight().toArray()) max = Math.max(max, Math.abs(f));
        assertTrue(max <= bound && max > 0.9 * bound, "max |w| " + max + " vs bound " + bound);

        Embedding emb = new Embedding(100, 10, Rng.seeded(15));
        float[] w = emb.weight().toArray();
        double sum = 0, sq = 0;
        for (float f : w) {
            sum += f;
            sq += f * f;
        }
        assertEquals(0, sum / w.length, 0.1);
        assertEquals(1, sq / w.length, 0.1);
        assertArrayEquals(new int[] {3, 10}, emb.forward(new int[] {0, 5, 99}).shape());
        assertThrows(IllegalArgumentException.class, () -> emb.forward(new int[] {100}));
    }

    @Test
    void dcganInitSetsConvAndBatchNormStatistics() {
        Sequential net = new Sequential(new Conv2d(64, 64, 4, 2, 1), new BatchNorm2d(512), new Linear(4096, 1));
        float[] linearBefore = ((Linear) net.get(2)).weight().toArray(), convBias = ((Conv2d) net.get(0)).bias().toArray();
        Init.dcgan(net, Rng.seeded(16), false);
        assertEquals(0.02, rms(((Conv2d) net.get(0)).weight()), 0.002);
        assertArrayEquals(convBias, ((Conv2d) net.get(0)).bias().toArray(), "biases keep PyTorch's default");
        assertArrayEquals(linearBefore, ((Linear) net.get(2)).weight().toArray(), "Linear layers keep PyTorch's default");
        BatchNorm bn = (BatchNorm) net.get(1);
        double mean = 0;
        for (float f : bn.weight().toArray()) mean += f / 512;
        assertEquals(1, mean, 0.005);
        for (float f : bn.bias().toArray()) assertEquals(0f, f);
    }

    @Test
    void dcganInitWithLinearLayersZeroesEveryBias() {
        Sequential net = new Sequential(new Conv2d(64, 64, 4, 2, 1), new ConvTranspose2d(64, 8, 4, 2, 1), new Linear(4096, 16));
        Init.dcgan(net, Rng.seeded(17), true);
        Linear linear = (Linear) net.get(2);
        // PyTorch's default would give this Linear an rms of 1/√(3·4096) ≈ 0.009
        assertEquals(0.02, rms(linear.weight()), 0.002);
        assertEquals(0.02, rms(((ConvTranspose2d) net.get(1)).weight()), 0.002);
        for (Tensor bias : new Tensor[] {((Conv2d) net.get(0)).bias(), ((ConvTranspose2d) net.get(1)).bias(), linear.bias()}) {
            for (float f : bias.toArray()) assertEquals(0f, f);
        }
    }

    private static double rms(Tensor t) {
        double sq = 0;
        float[] v = t.toArray();
        for (float f : v) sq += f * f;
        return Math.sqrt(sq / v.length);
    }

    @Test
    void layerNormNormalizesTrailingAxesAndChecksThem() {
        LayerNorm ln = new LayerNorm(4);
        float[] y = ln.forward(Tensor.of(new float[] {1, 2, 3, 4, 10, 10, 20, 40}, 2, 4)).toArray();
        for (int row = 0; row < 2; row++) {
            double mean = 0, sq = 0;
            for (int j = 0; j < 4; j++) {
                mean += y[row * 4 + j] / 4.0;
                sq += y[row * 4 + j] * y[row * 4 + j] / 4.0;
            }
            assertEquals(0, mean, 1e-5);
            assertEquals(1, sq, 1e-3);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> ln.forward(Tensor.zeros(2, 3)));
        assertEquals("LayerNorm: input [2, 3] does not end in the normalized shape [4]", e.getMessage());
    }

    @Test
    void spectralNormApplyToWrapsWeightedLayersWhereTheyStood() {
        Disc d = new Disc(1, Rng.seeded(5));
        d.named("discriminator");
        SpectralNorm.applyTo(d, Rng.seeded(6));
        assertEquals("SpectralNorm(Conv2d)", d.main.get(0).typeName());
        assertEquals("SpectralNorm(Linear)", d.main.get(6).typeName());
        assertTrue(d.main.get(3) instanceof BatchNorm2d);
        assertTrue(d.stateDict().keySet().containsAll(List.of("main.0.weight_orig", "main.0.weight_u", "main.0.weight_v",
                "main.6.weight_orig", "main.6.bias")));
        assertArrayEquals(new int[] {2, 1}, d.forward(Tensor.zeros(2, 1, 8, 8)).shape());
        // the wrapped layer still checks its input and names where it stands
        var e = assertThrows(IllegalArgumentException.class, () -> d.forward(Tensor.zeros(2, 3, 8, 8)));
        assertEquals("discriminator.main.0 (Conv2d): input [2, 3, 8, 8] has 3 channels, expected 1", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> d.main.set(7, new ReLU()));
    }

    @Test
    void batchNormMomentumOfOneKeepsTheLastBatchAndIsChecked() {
        BatchNorm1d bn = new BatchNorm1d(2);
        for (float bad : new float[] {0f, -0.5f, 1.5f, Float.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> bn.setMomentum(bad), "momentum " + bad);
        }
        bn.setMomentum(1f);
        bn.forward(Tensor.of(new float[] {1, 10, 3, 30}, 2, 2));
        assertArrayEquals(new float[] {2, 20}, bn.runningMean().toArray());
    }

    @Test
    void countermeasureLayersCheckTheirInput() {
        var e = assertThrows(IllegalArgumentException.class, () -> new MinibatchStdDev().forward(Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("needs a batch and a channel axis"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MinibatchStdDev().forward(Tensor.zeros(1, 3)));
        assertTrue(e.getMessage().contains("has one sample"), e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> new MinibatchDiscrimination(4, 0, 2, Rng.seeded(1)));
        MinibatchDiscrimination mbd = new MinibatchDiscrimination(4, 3, 2, Rng.seeded(1));
        e = assertThrows(IllegalArgumentException.class, () -> mbd.forward(Tensor.zeros(2, 5)));
        assertEquals("MinibatchDiscrimination: input [2, 5] has 5 features, expected 4", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> mbd.forward(Tensor.zeros(2, 4, 1)));
        assertArrayEquals(new int[] {2, 7}, mbd.forward(Tensor.zeros(2, 4)).shape());

        e = assertThrows(IllegalArgumentException.class, () -> Functional.linear(Tensor.zeros(2, 3), Tensor.zeros(4, 5), null));
        assertEquals("linear: input [2, 3] does not match weight [4, 5]", e.getMessage());
    }
}
