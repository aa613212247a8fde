package org.gan4j.optim;

import java.util.List;
import java.util.Map;
import org.gan4j.tensor.Tensor;

/**
 * Adam: moving averages of the gradient (m) and its square (v), bias-corrected, step
 * lr·m̂/(√v̂ + eps). Weight decay is added to the gradient (L2), or with {@link AdamW} applied
 * to the weights directly (decoupled).
 */
public class Adam extends Optimizer {
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final boolean decoupled;

    public Adam(Iterable<Tensor> params, float lr) {
        this(params, lr, 0.9f, 0.999f);
    }

    /** DCGAN trains with lr 2e-4, beta1 0.5, beta2 0.999. */
    public Adam(Iterable<Tensor> params, float lr, float beta1, float beta2) {
        this(params, lr, beta1, beta2, 1e-8f, 0f, false);
    }

    public Adam(Iterable<Tensor> params, float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled) {
        super(params, lr);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException(name() + ": betas (" + beta1 + ", " + beta2 + ") must be in [0, 1)");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    @Override
    protected void update(Tensor p, Map<String, Tensor> state, int step) {
        Tensor m = slot(state, "exp_avg", p), v = slot(state, "exp_avg_sq", p);
        p.backend().adam(p.storage(), p.grad().storage(), m.storage(), v.storage(), p.numel(), learningRate(),
                beta1, beta2, eps, weightDecay, decoupled, step);
    }

    @Override
    protected List<String> stateNames() {
        return List.of("exp_avg", "exp_avg_sq");
    }
}
