package org.gan4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The metrics on feature matrices whose answer is known: a scipy reference, identical sets, toy distributions. */
class FeatureMetricsTest {

    @Test
    void frechetDistanceMatchesScipy() throws IOException {
        String[] lines;
        try (InputStream in = getClass().getResourceAsStream("fd_reference.txt")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
        }
        String[] nd = lines[0].split(" ");
        int n = Integer.parseInt(nd[0]);
        double[][] a = new double[n][], b = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = parse(lines[1 + i]);
            b[i] = parse(lines[1 + n + i]);
        }
        double expected = Double.parseDouble(lines[1 + 2 * n].trim());
        double fd = FeatureMetrics.frechetDistance(a, b);
        System.out.printf("Fréchet distance %.12f, scipy %.12f%n", fd, expected);
        assertEquals(expected, fd, 1e-9 * expected);
    }

    @Test
    void frechetDistanceOfASetWithItselfIsZeroAndGrowsWithAShift() {
        double[][] a = gaussian(500, 16, 0, 1, 1);
        assertEquals(0, FeatureMetrics.frechetDistance(a, a), 1e-9);
        // Same covariance, mean moved by 2 in every one of 16 coordinates: the distance is ‖Δμ‖² = 64.
        double[][] shifted = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            shifted[i] = a[i].clone();
            for (int j = 0; j < 16; j++) shifted[i][j] += 2;
        }
        assertEquals(64, FeatureMetrics.frechetDistance(a, shifted), 1e-9);
    }

    @Test
    void kernelDistanceIsUnbiasedForOneDistributionAndPositiveForTwo() {
        double[][] a = gaussian(2000, 16, 0, 1, 2), b = gaussian(2000, 16, 0, 1, 3), c = gaussian(2000, 16, 0.3, 1, 4);
        var same = FeatureMetrics.kernelDistance(a, b, 10, 500, 5);
        var different = FeatureMetrics.kernelDistance(a, c, 10, 500, 5);
        System.out.printf("KID same distribution %.5f ± %.5f, shifted by 0.3: %.5f ± %.5f%n", same.mean(), same.std(), different.mean(), different.std());
        assertTrue(Math.abs(same.mean()) <= 2 * same.std(), "KID of one distribution must be 0 within 2 std: " + same);
        assertTrue(different.mean() > 5 * different.std(), "KID of two distributions must be clearly positive: " + different);
    }

    @Test
    void precisionAndRecallSeparateQualityFromCoverage() {
        double[][] real = gaussian(1000, 2, 0, 1, 6);
        var same = FeatureMetrics.precisionRecall(real, gaussian(1000, 2, 0, 1, 7), 3);
        var collapsed = FeatureMetrics.precisionRecall(real, gaussian(1000, 2, 0, 0.2, 8), 3);   // all near the centre
        var elsewhere = FeatureMetrics.precisionRecall(real, gaussian(1000, 2, 20, 1, 9), 3);
        System.out.println("same " + same + ", collapsed " + collapsed + ", elsewhere " + elsewhere);
        assertTrue(same.precision() > 0.9 && same.recall() > 0.9, "same distribution: " + same);
        assertTrue(collapsed.precision() > 0.95 && collapsed.recall() < 0.3, "a collapsed generator is precise but covers little: " + collapsed);
        assertEquals(0, elsewhere.precision());
        assertEquals(0, elsewhere.recall());
    }

    @Test
    void inceptionScoreAndModesOfKnownPredictions() {
        double[][] confidentAndVaried = new double[1000][10], oneClass = new double[1000][10];
        int[] predicted = new int[1000];
        for (int i = 0; i < 1000; i++) {
            confidentAndVaried[i][i % 10] = 1;
            oneClass[i][3] = 1;
            predicted[i] = i % 5;   // five of ten classes, evenly
        }
        assertEquals(10, ClassMetrics.inceptionScore(confidentAndVaried, 10).mean(), 1e-9);
        assertEquals(1, ClassMetrics.inceptionScore(oneClass, 10).mean(), 1e-9);
        var modes = ClassMetrics.modes(predicted, ClassMetrics.uniform(10));
        assertEquals(5, modes.covered());
        assertEquals(Math.log(2), modes.kl(), 1e-12);   // 0.2 everywhere it lands, against 0.1
        assertEquals(345, ClassMetrics.stackedModes(new int[] {3}, new int[] {4}, new int[] {5})[0]);
    }

    private static double[][] gaussian(int n, int d, double mean, double std, long seed) {
        Random rng = new Random(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) for (int j = 0; j < d; j++) row[j] = mean + std * rng.nextGaussian();
        return x;
    }

    private static double[] parse(String line) {
        String[] parts = line.trim().split(" ");
        double[] row = new double[parts.length];
        for (int j = 0; j < row.length; j++) row[j] = Double.parseDouble(parts[j]);
        return row;
    }
}
