package org.gan4j.optim;

import java.util.List;
import java.util.Map;
import org.gan4j.tensor.Backend;
import org.gan4j.tensor.Storage;
import org.gan4j.tensor.Tensor;

/**
 * Adam: moving averages of the gradient (m) and of its square (v), corrected for their start at
 * zero. At step t (counting from 1), for every element of a parameter p with gradient g:
 *
 * <pre>
 *   g ← g + λ·p                          weight decay λ as L2 (AdamW instead: p ← p·(1 − lr·λ) first)
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   m̂ = m / (1 − β1^t)                   bias corrections
 *   v̂ = v / (1 − β2^t)
 *   p ← p − lr·m̂ / (√v̂ + ε)
 * </pre>
 *
 * {@link #fusedStep} computes what depends only on the step (the bias corrections and the step
 * size) once, and the backend's fused kernel runs the per-element loop, rearranged so that the
 * corrections stay outside it: p ← p − (lr / (1 − β1^t))·m / (√v / √(1 − β2^t) + ε). The order
 * of operations is that of torch.optim.Adam's single-tensor form, so the two agree to the last
 * bit or two; m's average is its lerp toward g by 1 − β1, as torch computes it.
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
        fusedStep(p.backend(), p.storage(), p.grad().storage(), m.storage(), v.storage(), p.numel(), learningRate(),
                beta1, beta2, eps, weightDecay, decoupled, step);
    }

    /**
     * One step of the rule above over n values in place; {@code decoupled} selects AdamW. The
     * scalars are computed in double and rounded to float once, as PyTorch computes them in
     * Python, so that every backend's kernel rounds alike.
     */
    public static void fusedStep(Backend backend, Storage param, Storage grad, Storage m, Storage v, int n, float lr,
                                 float beta1, float beta2, float eps, float weightDecay, boolean decoupled, int step) {
        double bias1 = 1 - Math.pow(beta1, step), bias2 = 1 - Math.pow(beta2, step);
        float stepSize = (float) (lr / bias1), bias2Sqrt = (float) Math.sqrt(bias2);
        float decay = decoupled ? (float) (1 - (double) lr * weightDecay) : 1f;   // AdamW: p ← p·(1 − lr·λ)
        float gradDecay = decoupled ? 0f : weightDecay;                           // Adam: g ← g + λ·p
        float w1 = (float) (1 - (double) beta1), w2 = (float) (1 - (double) beta2);
        backend.adam(param, grad, m, v, n, decay, gradDecay, w1, beta2, w2, stepSize, bias2Sqrt, eps);
    }

    @Override
    protected List<String> stateNames() {
        return List.of("exp_avg", "exp_avg_sq");
    }
}
