package org.gan4j.gan;

import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;

/** Penalties on the norm of D's input gradient; both differentiate a gradient (double backward). */
public final class GradientPenalty {
    private GradientPenalty() {
    }

    /** WGAN-GP: mean over the batch of (‖∇ D(x̂)‖ - 1)² at x̂ on random lines between real and fake. */
    public static Tensor wgan(Critic d, Tensor real, Tensor fake, int[] labels, Rng rng) {
        int[] alphaShape = new int[real.dim()];
        java.util.Arrays.fill(alphaShape, 1);
        alphaShape[0] = real.size(0);
        Tensor alpha = Tensor.rand(rng, alphaShape);
        Tensor mixed = real.mul(alpha).add(fake.detach().mul(alpha.neg().add(1f))).detach().requiresGrad(true);
        Tensor norm = inputGradient(d, mixed, labels).pow(2f).flatten(1).sum(1, false).add(1e-12f).sqrt();
        Tensor gap = norm.sub(1f);
        return gap.mul(gap).meanAll();
    }

    /** R1 (Mescheder et al. 2018): mean over the batch of ‖∇ₓ D(x)‖² on real data. */
    public static Tensor r1(Critic d, Tensor real, int[] labels) {
        return squaredGradientNorm(d, real, labels);
    }

    /** R2: the same on fake samples (R3GAN, Huang et al. 2024, penalises both); {@code fake} is taken detached. */
    public static Tensor r2(Critic d, Tensor fake, int[] labels) {
        return squaredGradientNorm(d, fake, labels);
    }

    /** mean over the batch of ‖∇ₓ D(x)‖², differentiable in D's parameters; x itself is treated as data. */
    private static Tensor squaredGradientNorm(Critic d, Tensor samples, int[] labels) {
        Tensor x = samples.detach().requiresGrad(true);
        return inputGradient(d, x, labels).pow(2f).flatten(1).sum(1, false).meanAll();
    }

    private static Tensor inputGradient(Critic d, Tensor x, int[] labels) {
        Tensor score = d.score(x, labels).sumAll();
        return Autograd.grad(new Tensor[] {score}, new Tensor[] {x}, true)[0];
    }
}
