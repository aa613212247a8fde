package org.gan4j.gan;

import java.util.ArrayList;
import java.util.List;

/**
 * Remedies for mode collapse that change the discriminator. All off is the plain GAN.
 *
 * @param pack                 PacGAN (Lin et al. 2018): D judges m samples at once, all real or all fake; 1 = off
 * @param minibatchKernels     minibatch discrimination (Salimans et al. 2016): B kernels of
 *                             {@link #KERNEL_DIM} dimensions before D's last layer; 0 = off
 * @param minibatchStd         minibatch standard deviation (Karras et al. 2018) as one more feature before D's last layer
 * @param spectralNorm         spectral normalization (Miyato et al. 2018) of every linear and convolution layer of D
 */
public record Countermeasures(int pack, int minibatchKernels, boolean minibatchStd, boolean spectralNorm) {
    /** Dimensions per minibatch-discrimination kernel (C in Salimans et al.). */
    public static final int KERNEL_DIM = 5;

    public Countermeasures {
        if (pack < 1 || pack > 8) throw new IllegalArgumentException("pack must be between 1 and 8, got " + pack);
        if (minibatchKernels < 0) throw new IllegalArgumentException("minibatch-discrimination kernels must be at least 0, got " + minibatchKernels);
    }

    public static Countermeasures none() {
        return new Countermeasures(1, 0, false, false);
    }

    public Countermeasures withPack(int m) {
        return new Countermeasures(m, minibatchKernels, minibatchStd, spectralNorm);
    }

    public Countermeasures withMinibatchDiscrimination(int kernels) {
        return new Countermeasures(pack, kernels, minibatchStd, spectralNorm);
    }

    public Countermeasures withMinibatchStd(boolean on) {
        return new Countermeasures(pack, minibatchKernels, on, spectralNorm);
    }

    public Countermeasures withSpectralNorm(boolean on) {
        return new Countermeasures(pack, minibatchKernels, minibatchStd, on);
    }

    public boolean any() {
        return !equals(none());
    }

    /** e.g. "pack 2 + spectral norm", or "none". */
    @Override
    public String toString() {
        List<String> on = new ArrayList<>();
        if (pack > 1) on.add("pack " + pack);
        if (minibatchKernels > 0) on.add("minibatch discrimination " + minibatchKernels + "×" + KERNEL_DIM);
        if (minibatchStd) on.add("minibatch std");
        if (spectralNorm) on.add("spectral norm");
        return on.isEmpty() ? "none" : String.join(" + ", on);
    }
}
