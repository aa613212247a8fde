package org.gan4j.tensor.cpu;

/**
 * Optimizer updates over the index range [from, to), in the order of operations of PyTorch's
 * single-tensor implementations (torch.optim.Adam/AdamW, SGD, RMSprop) so results agree to the
 * last bit or two. Scalars that PyTorch computes in Python are computed in double: Adam's by
 * org.gan4j.optim.Adam, which states its rule, the others' here.
 */
final class Optimizers {
    private Optimizers() {
    }

    /** Adam's loop; the rule and its scalars are in org.gan4j.optim.Adam. */
    static void adam(float[] param, float[] grad, float[] m, float[] v, int from, int to, float decay, float gradDecay,
                     float w1, float beta2, float w2, float stepSize, float bias2Sqrt, float eps) {
        for (int i = from; i < to; i++) {
            float p = param[i] * decay;
            float g = grad[i] + gradDecay * p;
            // m.lerp_(g, 1 − β1) and v.mul_(β2).addcmul_(g, g, 1 − β2)
            float mi = lerp(m[i], g, w1);
            float vi = v[i] * beta2 + w2 * g * g;
            m[i] = mi;
            v[i] = vi;
            float denom = (float) Math.sqrt(vi) / bias2Sqrt + eps;
            param[i] = p + -stepSize * mi / denom;
        }
    }

    /** torch.lerp, which picks the form that rounds best for the weight. */
    private static float lerp(float from, float to, float weight) {
        return Math.abs(weight) < 0.5f ? from + weight * (to - from) : to - (to - from) * (1 - weight);
    }

    static void sgd(float[] param, float[] grad, float[] buf, int from, int to, float lr, float momentum,
                    float dampening, float weightDecay, boolean nesterov, boolean firstStep) {
        float keep = (float) (1 - (double) dampening);
        for (int i = from; i < to; i++) {
            float g = grad[i] + weightDecay * param[i];
            if (momentum != 0) {
                float b = firstStep ? g : buf[i] * momentum + keep * g;
                buf[i] = b;
                g = nesterov ? g + momentum * b : b;
            }
            param[i] = param[i] + -lr * g;
        }
    }

    static void rmsprop(float[] param, float[] grad, float[] sq, float[] buf, int from, int to, float lr,
                        float alpha, float eps, float weightDecay, float momentum) {
        float w = (float) (1 - (double) alpha);
        for (int i = from; i < to; i++) {
            float g = grad[i] + weightDecay * param[i];
            float s = sq[i] * alpha + w * g * g;
            sq[i] = s;
            float avg = (float) Math.sqrt(s) + eps;
            if (momentum > 0) {
                float b = buf[i] * momentum + g / avg;
                buf[i] = b;
                param[i] = param[i] + -lr * b;
            } else {
                param[i] = param[i] + -lr * g / avg;
            }
        }
    }
}
