package org.gan4j.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.gan4j.data.Dataset;
import org.gan4j.metrics.DomainClassifier;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Scoring images made elsewhere (evaluate --samples) against a dataset's test split. */
class GeneratorMetricsTest {
    private static final Dataset TEST = DataSources.openTest("mnist-test", null);
    // an untrained classifier's features still tell digits from noise, and its figures are those of any other
    private static final DomainClassifier TINY = new DomainClassifier("tiny", new DomainClassifier.Architecture(1, 28, 4, 4, 8, 10), Rng.seeded(2));

    @Test
    void theTestSetItselfScoresZeroAndItsShuffledPixelsFarFromIt() {
        float[] all = images(TEST.size());
        double itself = fid(Tensor.of(all, TEST.size(), 1, 28, 28));
        double subset = fid(Tensor.of(images(1000), 1000, 1, 28, 28));
        // every image's pixels in one random order: the same histogram of values, no digit left
        int[] order = Rng.seeded(5).permutation(784);
        float[] shuffled = new float[1000 * 784];
        for (int i = 0; i < 1000; i++) {
            for (int p = 0; p < 784; p++) shuffled[i * 784 + p] = all[i * 784 + order[p]];
        }
        double noise = fid(Tensor.of(shuffled, 1000, 1, 28, 28));
        assertEquals(0, itself, 1e-3 * noise, "all 10,000 test digits against themselves");
        assertTrue(subset < 0.05 * noise, "1,000 test digits " + subset + " against their shuffled pixels " + noise);
    }

    @Test
    void samplesOfTheWrongShapeOrRangeAreRefusedInOneLine() {
        var e = assertThrows(IllegalArgumentException.class, () -> GeneratorMetrics.evaluateSamples(Tensor.zeros(20, 3, 28, 28), TEST, TINY, Set.of("fid"), 1));
        assertEquals("samples of shape [20, 3, 28, 28] cannot be scored against the data's images: expected [n, 1, 28, 28] with n ≥ 10", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GeneratorMetrics.evaluateSamples(Tensor.zeros(5, 1, 28, 28), TEST, TINY, Set.of("fid"), 1));
        assertTrue(e.getMessage().endsWith("with n ≥ 10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GeneratorMetrics.evaluateSamples(Tensor.full(255f, 10, 1, 28, 28), TEST, TINY, Set.of("fid"), 1));
        assertEquals("samples must lie in [-1, 1] as gan4j's images do; these span [255.0, 255.0]", e.getMessage());
    }

    private static double fid(Tensor samples) {
        return GeneratorMetrics.evaluateSamples(samples, TEST, TINY, Set.of("fid"), 3).getFirst().value();
    }

    private static float[] images(int n) {
        float[] x = new float[n * 784];
        for (int i = 0; i < n; i++) TEST.copyItem(i, x, i * 784);
        return x;
    }
}
