package org.gan4j.optim;

import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Scope;
import org.gan4j.tensor.Tensor;

/** Gradient clipping by global norm, PyTorch's clip_grad_norm_. */
public final class GradClip {
    private GradClip() {
    }

    /**
     * Scales every gradient in place by maxNorm / (norm + 1e-6) when the L2 norm of all of them
     * together exceeds maxNorm; returns that norm (before clipping). Parameters without a gradient are skipped.
     */
    public static float clipGradNorm(Iterable<Tensor> params, float maxNorm) {
        try (Scope s = Scope.open(); var ng = Autograd.noGrad()) {
            double sumSquares = 0;
            for (Tensor p : params) {
                Tensor g = p.grad();
                if (g != null) sumSquares += g.mul(g).sumAll().item();
            }
            float norm = (float) Math.sqrt(sumSquares);
            float coef = maxNorm / (norm + 1e-6f);
            if (coef < 1f) {
                for (Tensor p : params) {
                    Tensor g = p.grad();
                    if (g != null) g.assign(g.mul(coef));
                }
            }
            return norm;
        }
    }
}
