package org.gan4j.nn;

import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;

/**
 * Minibatch discrimination (Salimans et al. 2016): lets D compare each sample with the rest of
 * its batch, so a generator that puts every sample in one place is easy to spot. Features f [n, A]
 * are projected by a learned tensor T to M [n, B, C]; for each of the B kernels, sample i gets
 * o_b(i) = Σ_{j≠i} exp(-‖M_i,b − M_j,b‖₁), and the output is [f, o] of width A + B.
 */
public class MinibatchDiscrimination extends Module {
    private final int in;
    private final int kernels;
    private final int kernelDim;
    private final Tensor t;

    public MinibatchDiscrimination(int in, int kernels, int kernelDim, Rng rng) {
        if (in < 1 || kernels < 1 || kernelDim < 1) {
            throw new IllegalArgumentException("minibatch discrimination needs positive sizes, got in " + in + ", kernels "
                    + kernels + ", kernel dim " + kernelDim);
        }
        this.in = in;
        this.kernels = kernels;
        this.kernelDim = kernelDim;
        t = parameter("T", in, kernels * kernelDim);
        Init.normal(t, 0f, 0.05f, rng);   // the original code's N(0, 0.05)
    }

    public int outFeatures() {
        return in + kernels;
    }

    @Override
    public Tensor forward(Tensor x) {
        requireRank(x, 2, "[n, features]");
        if (x.size(1) != in) throw inputError("input " + Tensor.shapeString(x.shape()) + " has " + x.size(1) + " features, expected " + in);
        return apply(x, t, kernels, kernelDim);
    }

    /** [x, o] for features x [n, A] and the projection t [A, kernels·kernelDim]. */
    public static Tensor apply(Tensor x, Tensor t, int kernels, int kernelDim) {
        int n = x.size(0);
        Tensor m = x.matmul(t).reshape(n, kernels, kernelDim);
        Tensor l1 = m.reshape(n, 1, kernels, kernelDim).sub(m.reshape(1, n, kernels, kernelDim)).abs().sum(3, false);
        // the sum over j includes i itself, whose term is exp(0) = 1
        Tensor closeness = l1.neg().exp().sum(1, false).sub(1f);
        return Tensor.concat(1, x, closeness);
    }
}
