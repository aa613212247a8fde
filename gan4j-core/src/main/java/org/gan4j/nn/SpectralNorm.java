package org.gan4j.nn;

import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;

/**
 * Spectral normalization (Miyato et al. 2018), as PyTorch's {@code torch.nn.utils.spectral_norm}
 * does it: the layer runs with W / σ(W), where σ is the largest singular value of W seen as a
 * matrix [out, rest], estimated by power iteration with persistent vectors u and v. Each forward
 * in training mode does one iteration (without gradient); the gradient flows through
 * σ = uᵀ W v with u and v held fixed. The state uses PyTorch's names: weight_orig, bias,
 * weight_u, weight_v.
 */
public class SpectralNorm extends Module {
    private static final float EPS = 1e-12f;

    private final WeightedLayer layer;
    private final Tensor weight;
    private final Tensor u;
    private final Tensor v;
    private final int rows;
    private final int cols;

    /** Takes over {@code layer}'s parameters; u and v start as normalised N(0, 1) draws, as in PyTorch. */
    public SpectralNorm(WeightedLayer layer, Rng rng) {
        this.layer = layer;
        this.rows = layer.weight().size(0);
        this.cols = layer.weight().numel() / rows;
        if (layer.bias() != null) adopt("bias", layer.bias());
        this.weight = adopt("weight_orig", layer.weight());
        this.u = buffer("weight_u", 0f, rows);
        this.v = buffer("weight_v", 0f, cols);
        Init.normal(u, 0f, 1f, rng);
        Init.normal(v, 0f, 1f, rng);
        try (var ng = Autograd.noGrad()) {
            u.assign(normalize(u));
            v.assign(normalize(v));
        }
    }

    /** Replaces every Linear and Conv2d inside {@code net}'s Sequentials with its spectrally normalised form. */
    public static void applyTo(Module net, Rng rng) {
        for (Module m : net.modules()) {
            if (!(m instanceof Sequential s)) continue;
            for (int i = 0; i < s.size(); i++) {
                if (s.get(i) instanceof WeightedLayer w) s.set(i, new SpectralNorm(w, rng));
            }
        }
    }

    public Tensor weightOrig() {
        return weight;
    }

    public Tensor u() {
        return u;
    }

    public Tensor v() {
        return v;
    }

    /** σ(W) from the current u and v, without a power iteration. */
    public float sigma() {
        try (var ng = Autograd.noGrad()) {
            return sigma(weight.reshape(rows, cols), u, v).item();
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor uNow, vNow;
        try (var ng = Autograd.noGrad()) {
            Tensor w = weight.reshape(rows, cols);
            if (isTraining()) {
                // one power-iteration step: v ← Wᵀu / ‖Wᵀu‖, u ← Wv / ‖Wv‖
                v.assign(normalize(u.reshape(1, rows).matmul(w).reshape(cols)));
                u.assign(normalize(w.matmul(v.reshape(cols, 1)).reshape(rows)));
            }
            // copies: the buffers change in place at the next forward, while this graph may still need them
            uNow = u.copy();
            vNow = v.copy();
        }
        return layer.forward(x, divideBySigma(weight, uNow, vNow));
    }

    /** W / (uᵀ W v), W read as a matrix [u's length, v's length]; the gradient flows through W only. */
    public static Tensor divideBySigma(Tensor weight, Tensor u, Tensor v) {
        return weight.div(sigma(weight.reshape(u.numel(), v.numel()), u, v));
    }

    private static Tensor sigma(Tensor w, Tensor u, Tensor v) {
        return u.reshape(1, u.numel()).matmul(w).matmul(v.reshape(v.numel(), 1)).reshape();
    }

    private static Tensor normalize(Tensor x) {
        return x.div(x.mul(x).sumAll().sqrt().clamp(EPS, Float.MAX_VALUE));
    }

    @Override
    public String typeName() {
        return "SpectralNorm(" + ((Module) layer).typeName() + ")";
    }
}
