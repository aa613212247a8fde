package org.gan4j.optim;

import java.util.List;
import java.util.Map;
import org.gan4j.tensor.Tensor;

/** RMSprop (uncentered, PyTorch's form): divide the gradient by a moving root mean square of past gradients. */
public class RMSprop extends Optimizer {
    private final float alpha;
    private final float eps;
    private final float weightDecay;
    private final float momentum;

    /** WGAN's optimizer: RMSprop with lr 5e-5. */
    public RMSprop(Iterable<Tensor> params, float lr) {
        this(params, lr, 0.99f, 1e-8f, 0f, 0f);
    }

    public RMSprop(Iterable<Tensor> params, float lr, float alpha, float eps, float weightDecay, float momentum) {
        super(params, lr);
        this.alpha = alpha;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.momentum = momentum;
    }

    @Override
    protected void update(Tensor p, Map<String, Tensor> state, int step) {
        Tensor sq = slot(state, "square_avg", p);
        Tensor buf = momentum > 0 ? slot(state, "momentum_buffer", p) : null;
        p.backend().rmsprop(p.storage(), p.grad().storage(), sq.storage(), buf == null ? null : buf.storage(), p.numel(),
                learningRate(), alpha, eps, weightDecay, momentum);
    }

    @Override
    protected List<String> stateNames() {
        return List.of("square_avg", "momentum_buffer");
    }
}
