package org.gan4j.nn;

import java.util.function.Supplier;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Scope;
import org.gan4j.tensor.Tensor;

/** Weight initialisations: PyTorch's defaults, used by the layers' constructors, and DCGAN's. */
public final class Init {
    /** Seed of the generator that layers built without an explicit {@link Rng} draw from. */
    public static final long DEFAULT_SEED = 0x6A4E;

    // one shared sequence, so successive layers built without an Rng differ yet a program repeats itself
    private static final Rng DEFAULT = Rng.seeded(DEFAULT_SEED);

    private Init() {
    }

    static Rng defaultRng() {
        return DEFAULT;
    }

    /** Fills {@code t} with U(-bound, bound). */
    public static void uniform(Tensor t, float bound, Rng rng) {
        set(t, () -> Tensor.rand(rng, t.shape()).mul(2 * bound).sub(bound));
    }

    /** Fills {@code t} with N(mean, std²). */
    public static void normal(Tensor t, float mean, float std, Rng rng) {
        set(t, () -> Tensor.randn(rng, t.shape()).mul(std).add(mean));
    }

    public static void constant(Tensor t, float value) {
        set(t, () -> Tensor.full(value, t.shape()));
    }

    /**
     * PyTorch's fan-in: weight dim 1 times the kernel size. For a transposed convolution, whose
     * weight is [in, out, kh, kw], that is out·kh·kw, as PyTorch computes it.
     */
    public static int fanIn(Tensor weight) {
        int fan = weight.size(1);
        for (int d = 2; d < weight.dim(); d++) fan *= weight.size(d);
        return fan;
    }

    /**
     * PyTorch's default for Linear and convolutions: kaiming_uniform with a = √5 on the weight,
     * which works out to U(-1/√fanIn, 1/√fanIn), and the same range for the bias.
     */
    public static void defaultLinear(Tensor weight, Tensor bias, Rng rng) {
        float bound = (float) (1 / Math.sqrt(Math.max(1, fanIn(weight))));
        uniform(weight, bound, rng);
        if (bias != null) uniform(bias, bound, rng);
    }

    /**
     * He et al.'s normal initialisation, N(0, (gain/√fanIn)²), for a layer followed by an activation of the
     * given gain (√2/(1 + slope²) for a leaky ReLU, 1 for none); bias, if any, 0.
     */
    public static void kaimingNormal(Tensor weight, Tensor bias, double gain, Rng rng) {
        normal(weight, 0f, (float) (gain / Math.sqrt(Math.max(1, fanIn(weight)))), rng);
        if (bias != null) constant(bias, 0f);
    }

    /**
     * DCGAN's initialisation: convolution weights N(0, 0.02), batch-norm scale N(1, 0.02) and shift 0.
     * With {@code linearToo}, Linear weights are N(0, 0.02) as well and every convolution's and Linear
     * layer's bias starts at 0 (PyTorch's DCGAN example has bias-free layers); without it those keep
     * PyTorch's default U(±1/√fanIn) from their constructors.
     */
    public static void dcgan(Module net, Rng rng, boolean linearToo) {
        for (Module m : net.modules()) {
            Tensor weight = null, bias = null;
            if (m instanceof Conv2d c) {
                weight = c.weight();
                bias = c.bias();
            } else if (m instanceof ConvTranspose2d c) {
                weight = c.weight();
                bias = c.bias();
            } else if (linearToo && m instanceof Linear l) {
                weight = l.weight();
                bias = l.bias();
            }
            if (weight != null) normal(weight, 0f, 0.02f, rng);
            if (linearToo && bias != null) constant(bias, 0f);
            if (m instanceof BatchNorm b && b.weight() != null) {
                normal(b.weight(), 1f, 0.02f, rng);
                constant(b.bias(), 0f);
            }
        }
    }

    /** Overwrites t's values; the temporaries go back to the pool at once. */
    private static void set(Tensor t, Supplier<Tensor> values) {
        try (Scope s = Scope.open(); var ng = Autograd.noGrad()) {
            t.assign(values.get().to(t.backend()));
        }
    }
}
