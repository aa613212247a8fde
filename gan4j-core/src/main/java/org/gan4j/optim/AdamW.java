package org.gan4j.optim;

import org.gan4j.tensor.Tensor;

/** Adam with decoupled weight decay: the weights shrink by lr·weightDecay each step, apart from the gradient. */
public class AdamW extends Adam {
    public AdamW(Iterable<Tensor> params, float lr) {
        this(params, lr, 0.9f, 0.999f, 1e-8f, 0.01f);
    }

    public AdamW(Iterable<Tensor> params, float lr, float beta1, float beta2, float eps, float weightDecay) {
        super(params, lr, beta1, beta2, eps, weightDecay, true);
    }
}
