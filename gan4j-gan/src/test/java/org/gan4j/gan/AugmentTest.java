package org.gan4j.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.gan4j.nn.SafeTensors;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The augmentation's transforms against central differences and against PyTorch given the same
 * parameters (resources/golden-augment, written by make_golden_augment.py); the policies' draws;
 * ADA's rule for p and its saved state.
 */
class AugmentTest {
    private final Random random = new Random(5);

    // ---- finite differences ----------------------------------------------------------------

    @Test
    void everyTransformsGradientMatchesFiniteDifferences() {
        AugmentParams p = goldenParams(false);
        check("geometric, zeros", x -> AugmentOps.geometric(x, p.flip(), p.quarterTurns(), p.dy(), p.dx(), false));
        check("geometric, mirrored", x -> AugmentOps.geometric(x, p.flip(), p.quarterTurns(), p.dy(), p.dx(), true));
        check("brightness", x -> AugmentOps.brightness(x, p.brightness()));
        check("contrast about 0", x -> AugmentOps.contrast(x, p.contrast(), false));
        check("contrast about the mean", x -> AugmentOps.contrast(x, p.contrast(), true));
        check("saturation", x -> AugmentOps.saturation(x, p.saturation()));
        check("cutout", x -> AugmentOps.cutout(x, p.cutY(), p.cutX(), p.cutSize()));
        check("diffaugment", p::apply);
        check("ada", goldenParams(true)::apply);
    }

    /** Σ f(x)·w: autograd's gradient in each input value against central differences. */
    private void check(String name, Function<Tensor, Tensor> f) {
        int[] shape = {4, 3, 8, 8};
        float[] values = new float[Tensor.numel(shape)], w = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian() * 0.5f;
            w[i] = (float) random.nextGaussian();
        }
        Tensor x = Tensor.of(values, shape).requiresGrad(true);
        f.apply(x).mul(Tensor.of(w, shape)).sumAll().backward();
        float[] analytic = x.grad().toArray();
        for (int j = 0; j < values.length; j += 7) {   // a spread of pixels, every channel and sample among them
            FiniteDifferences.assertClose(name + ": d/dx[" + j + "]", analytic[j], FiniteDifferences.at(values, j, () -> weighted(f, values, w, shape)));
        }
    }

    private static double weighted(Function<Tensor, Tensor> f, float[] values, float[] w, int[] shape) {
        float[] y = f.apply(Tensor.of(values, shape)).toArray();
        double sum = 0;
        for (int k = 0; k < y.length; k++) sum += (double) y[k] * w[k];
        return sum;
    }

    // ---- PyTorch -------------------------------------------------------------------------------

    private static final Map<String, Tensor> GOLDEN = readGolden();

    private static Map<String, Tensor> readGolden() {
        try {
            return SafeTensors.read(Path.of(AugmentTest.class.getResource("/golden-augment/augment.safetensors").toURI())).tensors();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The parameters the PyTorch reference applied, in the order of one policy or the other. */
    private static AugmentParams goldenParams(boolean ada) {
        float[] flip = param("flip");
        boolean[] flips = new boolean[flip.length];
        for (int i = 0; i < flip.length; i++) flips[i] = flip[i] != 0;
        return new AugmentParams(ada, flips, ints("quarter_turns"), ints("dy"), ints("dx"), param("brightness"), param("contrast"),
                param("saturation"), ints("cut_y"), ints("cut_x"), ints("cut_size"));
    }

    private static float[] param(String name) {
        return GOLDEN.get("param." + name).toArray();
    }

    private static int[] ints(String name) {
        float[] v = param(name);
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Math.round(v[i]);
        return out;
    }

    @Test
    void everyTransformAndBothPoliciesMatchPyTorchWithTheSameParameters() {
        AugmentParams p = goldenParams(false);
        Map<String, Function<Tensor, Tensor>> cases = new HashMap<>();
        cases.put("geometric_zero", x -> AugmentOps.geometric(x, p.flip(), p.quarterTurns(), p.dy(), p.dx(), false));
        cases.put("geometric_reflect", x -> AugmentOps.geometric(x, p.flip(), p.quarterTurns(), p.dy(), p.dx(), true));
        cases.put("brightness", x -> AugmentOps.brightness(x, p.brightness()));
        cases.put("contrast_about_zero", x -> AugmentOps.contrast(x, p.contrast(), false));
        cases.put("contrast_about_mean", x -> AugmentOps.contrast(x, p.contrast(), true));
        cases.put("saturation", x -> AugmentOps.saturation(x, p.saturation()));
        cases.put("cutout", x -> AugmentOps.cutout(x, p.cutY(), p.cutX(), p.cutSize()));
        cases.put("diffaugment", p::apply);
        cases.put("ada", goldenParams(true)::apply);
        cases.forEach((name, f) -> {
            Tensor x = GOLDEN.get("in.x").copy().requiresGrad(true);
            Tensor out = f.apply(x);
            assertArrayEquals(GOLDEN.get("out." + name).toArray(), out.toArray(), 1e-6f, name);
            out.mul(GOLDEN.get("gout")).sumAll().backward();
            assertArrayEquals(GOLDEN.get("grad." + name).toArray(), x.grad().toArray(), 1e-5f, name + ": gradient");
        });
    }

    // ---- the policies' draws ---------------------------------------------------------------------

    @Test
    void diffAugmentDrawsEveryTransformWithinItsRanges() {
        AugmentParams a = AugmentParams.diffAugment(Rng.seeded(3), 256, 28, 28);
        for (int i = 0; i < 256; i++) {
            assertTrue(a.brightness()[i] >= -0.5f && a.brightness()[i] <= 0.5f);
            assertTrue(a.saturation()[i] >= 0f && a.saturation()[i] <= 2f);
            assertTrue(a.contrast()[i] >= 0.5f && a.contrast()[i] <= 1.5f);
            assertTrue(Math.abs(a.dy()[i]) <= 4 && Math.abs(a.dx()[i]) <= 4, "1/8 of 28, rounded");
            assertTrue(a.cutY()[i] >= 0 && a.cutY()[i] < 28 && a.cutX()[i] >= 0 && a.cutX()[i] < 28);
            assertEquals(14, a.cutSize()[i]);
            assertTrue(!a.flip()[i] && a.quarterTurns()[i] == 0, "DiffAugment's policy neither flips nor turns");
        }
        assertEquals(9, java.util.stream.IntStream.of(a.dy()).distinct().count(), "every shift from -4 to 4 occurs");
    }

    @Test
    void adaAppliesEachTransformWithProbabilityP() {
        Tensor x = Tensor.randn(Rng.seeded(1), 8, 3, 16, 16);
        assertSame(x, AugmentParams.ada(Rng.seeded(2), 8, 16, 16, 0).apply(x), "p = 0 leaves the batch itself: no work, no rounding");
        int n = 4000;
        AugmentParams half = AugmentParams.ada(Rng.seeded(2), n, 16, 16, 0.5);
        int contrasted = 0, cut = 0, flipped = 0;
        for (int i = 0; i < n; i++) {
            if (half.contrast()[i] != 1f) contrasted++;
            if (half.cutSize()[i] > 0) cut++;
            if (half.flip()[i]) flipped++;
            assertTrue(Math.abs(half.dy()[i]) <= 2 && half.quarterTurns()[i] >= 0 && half.quarterTurns()[i] <= 3);
        }
        // binomial(4000, 0.5) and (4000, 0.25) lie within 5 standard deviations (about 160 and 140)
        assertEquals(n / 2, contrasted, 160);
        assertEquals(n / 2, cut, 160);
        assertEquals(n / 4, flipped, 140, "on with p, then a flip half the time");
    }

    @Test
    void theSameGeneratorGivesTheSameAugmentation() {
        Tensor x = Tensor.randn(Rng.seeded(1), 6, 1, 28, 28);
        for (String policy : new String[] {"diffaugment", "ada"}) {
            Augmenter a = new Augmenter(Augmentation.named(policy), Rng.seeded(9)), b = new Augmenter(Augmentation.named(policy), Rng.seeded(9));
            forceP(a, 1);
            forceP(b, 1);
            float[] first = a.apply(x).toArray();
            assertArrayEquals(first, b.apply(x).toArray(), 0f, policy);
            assertNotEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(a.apply(x).toArray()), policy + ": fresh parameters each batch");
        }
    }

    // ---- ADA's p ---------------------------------------------------------------------------------

    @Test
    void pMovesTowardsTheTargetEveryIntervalAndStaysWithinZeroAndOne() {
        Augmentation spec = new Augmentation("ada", 0.6f, 4, 1000);
        Augmenter a = new Augmenter(spec, Rng.seeded(1));
        Tensor confident = Tensor.of(new float[] {2, 1, 3, 0.5f}, 4, 1);   // every sign +1: r = 1 > 0.6
        Tensor unsure = Tensor.of(new float[] {2, 1, 3, -1}, 4, 1);        // r = (1 + 1 + 1 - 1)/4 = 0.5 < 0.6
        for (int step = 1; step <= 3; step++) {
            a.observe(confident, 64);
            assertEquals(0.0, a.probability(), "p only moves at the end of an interval");
        }
        a.observe(confident, 64);
        assertEquals(4 * 64 / 1000.0, a.probability(), 1e-12, "r_t > target: p grows by the interval's images over adaImages");
        for (int step = 0; step < 4; step++) a.observe(unsure, 64);
        assertEquals(0.0, a.probability(), 1e-12, "r_t < target: p falls back by as much");
        for (int step = 0; step < 4; step++) a.observe(unsure, 64);
        assertEquals(0.0, a.probability(), "p never goes below 0");
        for (int step = 0; step < 400; step++) a.observe(confident, 64);
        assertEquals(1.0, a.probability(), "nor above 1");
    }

    @Test
    void pAndTheGeneratorSurviveASaveAndRestoreMidInterval() {
        Augmentation spec = new Augmentation("ada", 0.6f, 4, 1000);
        Augmenter a = new Augmenter(spec, Rng.seeded(1));
        Tensor confident = Tensor.of(new float[] {2, 1, 3, 0.5f}, 4, 1);
        for (int step = 0; step < 6; step++) a.observe(confident, 64);   // one adjustment, and half of the next interval
        Tensor x = Tensor.randn(Rng.seeded(4), 4, 1, 8, 8);
        a.apply(x);
        Map<String, String> meta = new HashMap<>();
        a.save(meta);
        Augmenter b = new Augmenter(spec, Rng.seeded(77));
        b.restore(meta);
        assertEquals(a.probability(), b.probability());
        assertArrayEquals(a.apply(x).toArray(), b.apply(x).toArray(), 0f, "the generator continues where it was");
        for (int step = 0; step < 2; step++) {
            a.observe(confident, 64);
            b.observe(confident, 64);
        }
        assertEquals(2 * 4 * 64 / 1000.0, b.probability(), 1e-12, "the restored interval ends where the saved one would have");
        assertEquals(a.probability(), b.probability());
    }

    @Test
    void badSettingsAreRefusedInOneLine() {
        assertEquals("unknown augmentation 'crop' (known: none, diffaugment, ada)",
                assertThrows(IllegalArgumentException.class, () -> Augmentation.named("crop")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Augmentation.named("ada").withAdaTarget(1f));
        assertThrows(IllegalArgumentException.class, () -> Augmentation.named("ada").withAdaTarget(0f));
        assertThrows(IllegalArgumentException.class, () -> new Augmenter(Augmentation.none(), Rng.seeded(1)));
        assertThrows(IllegalArgumentException.class, () -> new Augmenter(Augmentation.named("ada"), Rng.seeded(1)).apply(Tensor.zeros(4, 2)));
        Tensor wide = Tensor.zeros(2, 1, 4, 6);
        assertThrows(IllegalArgumentException.class, () -> AugmentOps.geometric(wide, new boolean[2], new int[] {1, 0}, new int[2], new int[2], true));
        assertThrows(IllegalArgumentException.class, () -> AugmentOps.brightness(wide, new float[3]));
    }

    /** Sets ADA's p by its own rule: a run of confident intervals. */
    private static void forceP(Augmenter a, double p) {
        Tensor confident = Tensor.of(new float[] {1}, 1, 1);
        while (a.spec().adaptive() && a.probability() < p) a.observe(confident, 100_000);
    }
}
