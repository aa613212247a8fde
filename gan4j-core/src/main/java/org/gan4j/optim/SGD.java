package org.gan4j.optim;

import java.util.List;
import java.util.Map;
import org.gan4j.tensor.Tensor;

/** Stochastic gradient descent with PyTorch's momentum, dampening, Nesterov and L2 weight decay. */
public class SGD extends Optimizer {
    private final float momentum;
    private final float dampening;
    private final float weightDecay;
    private final boolean nesterov;

    public SGD(Iterable<Tensor> params, float lr) {
        this(params, lr, 0f, 0f, 0f, false);
    }

    public SGD(Iterable<Tensor> params, float lr, float momentum, float dampening, float weightDecay, boolean nesterov) {
        super(params, lr);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum needs a positive momentum and zero dampening");
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    @Override
    protected void update(Tensor p, Map<String, Tensor> state, int step) {
        // the buffer starts as the first gradient, so it is created only with momentum
        boolean first = !state.containsKey("momentum_buffer");
        Tensor buf = momentum != 0 ? slot(state, "momentum_buffer", p) : null;
        p.backend().sgd(p.storage(), p.grad().storage(), buf == null ? null : buf.storage(), p.numel(), learningRate(),
                momentum, dampening, weightDecay, nesterov, first);
    }

    @Override
    protected List<String> stateNames() {
        return List.of("momentum_buffer");
    }
}
