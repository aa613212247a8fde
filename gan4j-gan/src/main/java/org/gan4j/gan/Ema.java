package org.gan4j.gan;

import java.util.Map;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Scope;
import org.gan4j.tensor.Tensor;

/**
 * An exponential moving average of G's weights, kept in a second generator of the same
 * architecture: ema = decay·ema + (1 - decay)·θ after every G step; buffers (BatchNorm's
 * running statistics) are copied. Samples from the average are usually smoother.
 */
public final class Ema {
    private final Generator average;
    private final float decay;

    /** {@code average} must have G's architecture; it starts as a copy of G. */
    public Ema(Generator g, Generator average, float decay) {
        this.average = average;
        this.decay = decay;
        average.loadStateDict(g.stateDict(), true);
        average.requiresGrad(false);
        average.eval();
    }

    public Generator generator() {
        return average;
    }

    public void update(Generator g) {
        Map<String, Tensor> current = g.namedParameters();
        try (var ng = Autograd.noGrad(); Scope scope = Scope.open()) {
            average.namedParameters().forEach((name, avg) ->
                    avg.assign(avg.mul(decay).add(current.get(name).mul(1f - decay))));
            Map<String, Tensor> buffers = g.namedBuffers();
            average.namedBuffers().forEach((name, b) -> b.assign(buffers.get(name)));
        }
    }
}
