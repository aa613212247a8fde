package org.gan4j.gan;

import org.gan4j.nn.Init;
import org.gan4j.nn.Linear;
import org.gan4j.nn.Module;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;

/**
 * G's start in R3GAN: a learned basis [c, s, s] whose channels are scaled by a linear map of z, so z [n, latent]
 * becomes [n, c, s, s] = basis ⊙ (W·z) without a dense s·s·c-wide layer. Basis N(0, 1), W He-normal (no activation).
 */
public final class GenerativeBasis extends Module {
    private final Linear linear;
    private final Tensor basis;
    private final int channels, side;

    public GenerativeBasis(int latentDim, int channels, int side, Rng rng) {
        this.channels = channels;
        this.side = side;
        linear = child("linear", new Linear(latentDim, channels, false, rng));
        Init.kaimingNormal(linear.weight(), null, 1, rng);
        basis = parameter("basis", channels, side, side);
        Init.normal(basis, 0f, 1f, rng);
    }

    public Linear linear() {
        return linear;
    }

    @Override
    public Tensor forward(Tensor z) {
        requireRank(z, 2, "[n, latent]");
        return linear.forward(z).reshape(z.size(0), channels, 1, 1).mul(basis.reshape(1, channels, side, side));
    }
}
