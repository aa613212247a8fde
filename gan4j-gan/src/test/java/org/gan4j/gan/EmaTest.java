package org.gan4j.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gan4j.nn.BatchNorm1d;
import org.gan4j.nn.Linear;
import org.gan4j.nn.Sequential;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class EmaTest {

    private static Generator tiny(long seed) {
        return new Generator(new Sequential(new Linear(2, 3, Rng.seeded(seed)), new BatchNorm1d(3)), 2, new int[] {3});
    }

    @Test
    void standingStatisticsAreTheAverageBatchStatisticsOfTheAveragedWeights() {
        Generator g = tiny(1), average = tiny(2);
        Ema ema = new Ema(g, average, 0.5f);
        try (var ng = Autograd.noGrad()) {
            for (Tensor p : g.parameters()) p.assign(p.add(1f));
        }
        ema.update(g);
        Generator used = ema.generator();

        Linear linear = (Linear) ((Sequential) used.children().get("main")).children().get("0");
        BatchNorm1d bn = (BatchNorm1d) ((Sequential) used.children().get("main")).children().get("1");
        double[] mean = new double[3], var = new double[3];
        Rng rng = Rng.seeded(Ema.STATISTICS_SEED);
        int n = Ema.STATISTICS_BATCH_SIZE;
        try (var ng = Autograd.noGrad()) {
            for (int k = 0; k < Ema.STATISTICS_BATCHES; k++) {
                float[] h = linear.forward(used.noise(n, rng)).toArray();
                for (int c = 0; c < 3; c++) {
                    double s = 0, s2 = 0;
                    for (int i = 0; i < n; i++) s += h[3 * i + c];
                    double m = s / n;
                    for (int i = 0; i < n; i++) s2 += (h[3 * i + c] - m) * (h[3 * i + c] - m);
                    mean[c] += m / Ema.STATISTICS_BATCHES;
                    var[c] += s2 / (n - 1) / Ema.STATISTICS_BATCHES;
                }
            }
        }
        float[] runningMean = bn.runningMean().toArray(), runningVar = bn.runningVar().toArray();
        for (int c = 0; c < 3; c++) {
            assertEquals(mean[c], runningMean[c], 1e-4, "running mean " + c);
            assertEquals(var[c], runningVar[c], 1e-4 * Math.max(1, var[c]), "running variance " + c);
        }
        assertFalse(used.isTraining(), "the average samples in evaluation mode");
        BatchNorm1d gNorm = (BatchNorm1d) ((Sequential) g.children().get("main")).children().get("1");
        assertFalse(java.util.Arrays.equals(gNorm.runningMean().toArray(), runningMean), "not G's statistics");

        Ema.estimateBatchNormStatistics(used);
        assertArrayEquals(runningMean, bn.runningMean().toArray(), "the estimate depends on the weights only (a resumed run stays exact)");
    }

    @Test
    void aRestoredAverageEstimatesItsOwnStatisticsAgain() {
        Generator g = tiny(1);
        Ema ema = new Ema(g, tiny(2), 0.5f);
        try (var ng = Autograd.noGrad()) {
            for (Tensor p : g.parameters()) p.assign(p.add(1f));
        }
        ema.update(g);
        Map<String, float[]> expected = new LinkedHashMap<>();
        ema.generator().stateDict().forEach((k, v) -> expected.put(k, v.toArray()));

        // a checkpoint from before standing statistics: the average's weights beside G's BatchNorm statistics
        Map<String, Tensor> old = new LinkedHashMap<>(ema.generator().stateDict());
        old.putAll(g.namedBuffers());
        Ema restored = new Ema(tiny(3), tiny(4), 0.5f);
        restored.loadStateDict(old);
        restored.generator().stateDict().forEach((k, v) -> assertArrayEquals(expected.get(k), v.toArray(), k));
    }
}
