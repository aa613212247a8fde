package org.gan4j.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.stream.DoubleStream;
import org.gan4j.nn.Conv2d;
import org.gan4j.nn.Init;
import org.gan4j.nn.Module;
import org.gan4j.nn.Resample;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** resnet28 and resnet64: shapes, the fix-up start (every block the identity), gradients, multiply-adds. */
class ResNetsTest {
    private static GanModel tiny(String name, int channels) {
        return Models.create(name, ModelOptions.defaults().withWidth(8).withChannels(channels), Rng.seeded(1));
    }

    private static List<ResidualBlock> blocks(Module net) {
        List<ResidualBlock> found = new ArrayList<>();
        for (Module m : net.modules()) if (m instanceof ResidualBlock b) found.add(b);
        return found;
    }

    @Test
    void bothModelsMakeAndScoreImagesOfTheirSize() {
        Object[][] cases = {{"resnet28", 1, 28}, {"resnet28", 3, 28}, {"resnet64", 3, 64}, {"resnet64", 1, 64}};
        for (Object[] c : cases) {
            int channels = (int) c[1], side = (int) c[2];
            GanModel m = tiny((String) c[0], channels);
            Tensor images = m.generator().generate(m.generator().noise(2, Rng.seeded(2)), null);
            assertArrayEquals(new int[] {2, channels, side, side}, images.shape(), c[0] + " G");
            assertArrayEquals(new int[] {channels, side, side}, m.generator().outputShape());
            assertArrayEquals(new int[] {2, 1}, m.discriminator().forward(images).shape(), c[0] + " D");
            assertEquals((side == 28 ? 3 : 5), blocks(m.generator()).size(), "one block per resolution");
        }
        GanModel dflt = Models.create("resnet28", ModelOptions.defaults(), Rng.seeded(1));
        assertEquals(2 * 16, ((GenerativeBasis) dflt.generator().children().get("main").children().get("0")).linear().weight().size(0),
                "base width 16: the 7×7 stage is twice as wide");
    }

    @Test
    void dTakesPacksAndMinibatchFeaturesButNotSpectralNorm() {
        ModelOptions o = ModelOptions.defaults().withWidth(8);
        GanModel m = Models.create("resnet28", o.withCountermeasures(Countermeasures.none().withPack(2).withMinibatchStd(true)), Rng.seeded(1));
        Tensor images = m.generator().generate(m.generator().noise(4, Rng.seeded(2)), null);
        assertArrayEquals(new int[] {2, 1}, m.discriminator().forward(images).shape(), "one score per pack of 2");
        var e = assertThrows(IllegalArgumentException.class,
                () -> Models.create("resnet64", o.withCountermeasures(Countermeasures.none().withSpectralNorm(true)), Rng.seeded(1)));
        assertEquals("resnet64 is built without normalisation; spectral normalisation does not apply to it", e.getMessage());
    }

    @Test
    void everyBlockStartsAsTheIdentitySoGeneratorIsItsSkipPath() {
        GanModel m = tiny("resnet28", 1);
        for (Module net : new Module[] {m.generator(), m.discriminator()}) {
            for (ResidualBlock b : blocks(net)) {
                Conv2d last = (Conv2d) b.branch().get(4);
                assertTrue(allZero(last.weight()) && allZero(last.bias()), b.describe() + ": last conv starts at zero");
                // the grouped 3×3 before it: He-normal for the leaky ReLU, scaled by L^(-1/4) for the network's L = 3 blocks
                Tensor spatial = ((Conv2d) b.branch().get(2)).weight();
                double want = ResidualBlock.GAIN * Math.pow(3, -0.25) / Math.sqrt(Init.fanIn(spatial));
                assertEquals(want, std(spatial), 0.1 * want, b.describe() + ": fix-up scale");
            }
        }
        // G at its start: the same bits as its layers without the blocks
        Tensor z = m.generator().noise(3, Rng.seeded(5));
        Tensor x = z;
        for (Module layer : m.generator().children().get("main").children().values()) {
            if (!(layer instanceof ResidualBlock)) x = layer.forward(x);
        }
        assertArrayEquals(x.toArray(), m.generator().forward(z).toArray());
    }

    @Test
    void theBlocksGradientsMatchCentralDifferences() {
        ResidualBlock block = new ResidualBlock(16, 3, Rng.seeded(3));   // inner width 32: two groups of 16
        assertEquals(2, ((Conv2d) block.branch().get(2)).groups());
        Tensor lastWeight = ((Conv2d) block.branch().get(4)).weight();
        try (var ng = Autograd.noGrad()) {
            lastWeight.assign(Tensor.randn(Rng.seeded(4), lastWeight.shape()).mul(0.3f));   // a trained-looking branch
        }
        Tensor x = Tensor.randn(Rng.seeded(6), 1, 16, 3, 3).requiresGrad(true);
        Tensor w = Tensor.randn(Rng.seeded(7), 1, 16, 3, 3);
        block.forward(x).mul(w).sumAll().backward();
        List<Tensor> checked = new ArrayList<>(List.of(x));
        checked.addAll(block.parameters());
        Rng pick = Rng.seeded(8);
        for (Tensor t : checked) {
            float[] grad = t.grad().toArray();
            float[] pickAt = Tensor.rand(pick, 12).toArray();
            for (float u : pickAt) {
                int i = (int) (u * t.numel());
                // a leaky-ReLU kink within ±ε of the point spoils a step size; it is rarely that close for all three
                double[] numeric = DoubleStream.of(1e-2, 1e-3, 3e-4)
                        .map(eps -> centralDifference(() -> weightedSum(block.forward(x), w), t, i, eps)).toArray();
                double g = grad[i];
                assertTrue(Arrays.stream(numeric).anyMatch(n -> Math.abs(n - g) <= 2e-3 + 1e-2 * Math.abs(n)),
                        "d/d" + Tensor.shapeString(t.shape()) + "[" + i + "]: autograd " + g + ", central differences " + Arrays.toString(numeric));
            }
        }
    }

    @Test
    void multiplyAddsCountEveryConvolutionInsideTheBlocksAndTheResampling() {
        GanModel m = tiny("resnet28", 1);   // widths 8, 16, 16 at 28, 14, 7; inner widths twice that, groups of 16
        long block7 = 49L * (16 * 32 + 32 * 16 * 9 + 32 * 16), block14 = 4 * block7;
        long block28 = 784L * (8 * 16 + 16 * 16 * 9 + 16 * 8);
        long g = 100 * 16 + block7 + 49 * 16 * 16 + 9 * 16 * 49 + block14 + 196 * 16 * 8 + 9 * 8 * 196 + block28 + 784 * 8;
        assertEquals(g, FlopCount.generator(m).macs());
        long d = 784 * 8 + block28 + 9 * 8 * 196 + 196 * 8 * 16 + block14 + 9 * 16 * 49 + 49 * 16 * 16 + block7 + 16 * 49 + 16;
        assertEquals(d, FlopCount.discriminator(m).macs());
        assertTrue(m.generator().modules().stream().anyMatch(l -> l instanceof Resample r && r.isUp()));
        Map<String, Tensor> state = m.generator().stateDict();
        assertTrue(state.keySet().stream().noneMatch(k -> k.contains("filter")), "the fixed filter is not a parameter nor saved: " + state.keySet());
    }

    private static double centralDifference(DoubleSupplier f, Tensor t, int i, double eps) {
        float[] v = t.toArray();
        float saved = v[i];
        double[] sides = new double[2];
        for (int s = 0; s < 2; s++) {
            v[i] = (float) (saved + (s == 0 ? eps : -eps));
            set(t, v);
            try (var ng = Autograd.noGrad()) {
                sides[s] = f.getAsDouble();
            }
        }
        v[i] = saved;
        set(t, v);
        return (sides[0] - sides[1]) / (2 * eps);
    }

    /** Σ y·w summed in double, so that rounding does not swamp the small differences. */
    private static double weightedSum(Tensor y, Tensor w) {
        float[] a = y.toArray(), b = w.toArray();
        double sum = 0;
        for (int i = 0; i < a.length; i++) sum += (double) a[i] * b[i];
        return sum;
    }

    private static void set(Tensor t, float[] v) {
        try (var ng = Autograd.noGrad()) {
            t.assign(Tensor.of(v, t.shape()));
        }
    }

    private static double std(Tensor t) {
        double sum = 0, squares = 0;
        for (float v : t.toArray()) {
            sum += v;
            squares += (double) v * v;
        }
        double mean = sum / t.numel();
        return Math.sqrt(squares / t.numel() - mean * mean);
    }

    private static boolean allZero(Tensor t) {
        for (float v : t.toArray()) if (v != 0f) return false;
        return true;
    }
}
