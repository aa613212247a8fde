package org.gan4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The metrics on feature matrices whose answer is known: a scipy reference, identical sets, toy distributions. */
class FeatureMetricsTest {

    /** Reference values from make_metric_references.py (numpy/scipy) on the same two matrices. */
    @Test
    void metricsMatchNumpyAndScipy() throws IOException {
        String[] lines;
        try (InputStream in = getClass().getResourceAsStream("metric_references.txt")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
        }
        int n = Integer.parseInt(lines[0].split(" ")[0]);
        double[][] a = new double[n][], b = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = parse(lines[1 + i]);
            b[i] = parse(lines[1 + n + i]);
        }
        Map<String, Double> expected = new HashMap<>();
        for (int i = 1 + 2 * n; i < lines.length; i++) {
            String[] nameValue = lines[i].trim().split(" ");
            expected.put(nameValue[0], Double.parseDouble(nameValue[1]));
        }
        double fd = FeatureMetrics.frechetDistance(a, b);
        // one subset of all rows: the estimate over the full sets, as the script computes it
        double kid = FeatureMetrics.kernelDistance(a, b, 1, n, 0).mean();
        var pr = FeatureMetrics.precisionRecall(a, b, 3);
        System.out.printf("FD %.12f (scipy %.12f), KID %.12f (numpy %.12f), P %.4f R %.4f%n",
                fd, expected.get("fd"), kid, expected.get("kid"), pr.precision(), pr.recall());
        assertEquals(expected.get("fd"), fd, 1e-9 * expected.get("fd"));
        assertEquals(expected.get("kid"), kid, 1e-9 * Math.abs(expected.get("kid")));
        assertEquals(expected.get("precision"), pr.precision(), 1e-12);
        assertEquals(expected.get("recall"), pr.recall(), 1e-12);
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

    @Test
    void confidentShareCountsTopProbabilitiesFromTheThresholdOn() {
        double[][] p = {{0.9, 0.1}, {0.5, 0.5}, {0.05, 0.95}, {0.89, 0.11}};
        assertEquals(0.5, ClassMetrics.confidentShare(p, 0.9), 1e-12);   // 0.9 itself counts; 0.89 does not
        assertEquals(1.0, ClassMetrics.confidentShare(p, 0.5), 1e-12);
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
