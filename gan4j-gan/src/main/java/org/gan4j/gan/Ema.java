package org.gan4j.gan;

import java.util.Map;
import org.gan4j.nn.BatchNorm;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Replay;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Scope;
import org.gan4j.tensor.Tensor;

/**
 * An exponential moving average of G's weights, kept in a second generator of the same
 * architecture: ema = decay·ema + (1 - decay)·θ after every G step. G's BatchNorm running
 * statistics belong to G's weights, not to the average, so the average's own statistics are
 * re-estimated on noise batches before it is used ("standing statistics", Brock et al. 2019).
 */
public final class Ema {
    static final int STATISTICS_BATCHES = 20, STATISTICS_BATCH_SIZE = 100;
    static final long STATISTICS_SEED = 0x57A7L;

    private final Generator average;
    private final float decay;
    private boolean statisticsStale = true;

    /** {@code average} must have G's architecture; it starts as a copy of G. */
    public Ema(Generator g, Generator average, float decay) {
        this.average = average;
        this.decay = decay;
        average.loadStateDict(g.stateDict(), true);
        average.requiresGrad(false);
        average.eval();
    }

    /** The averaged generator, in evaluation mode, with BatchNorm statistics of its own weights. */
    public Generator generator() {
        if (statisticsStale) estimateBatchNormStatistics(average);
        statisticsStale = false;
        return average;
    }

    public void update(Generator g) {
        Map<String, Tensor> current = g.namedParameters();
        try (var ng = Autograd.noGrad(); Scope scope = Scope.open()) {
            average.namedParameters().forEach((name, avg) ->
                    avg.assign(avg.mul(decay).add(current.get(name).mul(1f - decay))));
        }
        Replay.live(() -> statisticsStale = true);   // a replayed step marks them too
    }

    /** Restores a saved average; its BatchNorm statistics are estimated again before use (older checkpoints hold G's). */
    public void loadStateDict(Map<String, Tensor> state) {
        average.loadStateDict(state, true);
        statisticsStale = true;
    }

    /**
     * Sets every BatchNorm's running statistics of {@code g} to the average batch statistics of
     * {@value #STATISTICS_BATCHES} noise batches, drawn from a fixed seed so the result depends on
     * the weights only (a resumed run stays bit-identical). Leaves {@code g} in evaluation mode.
     */
    public static void estimateBatchNormStatistics(Generator g) {
        var norms = g.modules().stream().filter(m -> m instanceof BatchNorm).map(m -> (BatchNorm) m).toList();
        if (norms.isEmpty()) return;
        Rng rng = Rng.seeded(STATISTICS_SEED);
        int[] labels = g.classesInTurn(STATISTICS_BATCH_SIZE, 0);
        g.train();
        try (var ng = Autograd.noGrad()) {
            for (int k = 0; k < STATISTICS_BATCHES; k++) {
                for (BatchNorm bn : norms) bn.setMomentum(1f / (k + 1));
                try (Scope scope = Scope.open()) {
                    g.generate(g.noise(STATISTICS_BATCH_SIZE, rng), labels);
                }
            }
        } finally {
            for (BatchNorm bn : norms) bn.setMomentum(BatchNorm.MOMENTUM);
            g.eval();
        }
    }
}
