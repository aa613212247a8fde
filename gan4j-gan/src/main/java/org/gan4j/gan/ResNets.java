package org.gan4j.gan;

import org.gan4j.nn.Conv2d;
import org.gan4j.nn.Flatten;
import org.gan4j.nn.Init;
import org.gan4j.nn.Resample;
import org.gan4j.nn.Sequential;
import org.gan4j.nn.Tanh;
import org.gan4j.tensor.Rng;

/**
 * Residual G and D without normalisation, after R3GAN (Huang, Gokaslan, Kuleshov, Tompkin, "The GAN is dead;
 * long live the GAN! A Modern Baseline GAN", NeurIPS 2024). One {@link ResidualBlock} per resolution; between
 * resolutions a transition: a 1×1 convolution for the width and a 2× {@link Resample} through the binomial
 * filter (G: convolution, then up; D: down, then convolution, so both run at the lower resolution).
 * <ul>
 * <li>G: {@link GenerativeBasis} z → [stage width, s, s], blocks and transitions up to the image size,
 *     1×1 convolution to the image's channels, tanh (R3GAN ends linearly; gan4j's samples lie in [-1, 1]).</li>
 * <li>D: the mirror image: 1×1 convolution from the image's channels, blocks and transitions down to s×s, then
 *     its basis: a depthwise s×s convolution (one weight per channel and pixel) and a linear map to the logit.</li>
 * </ul>
 * Layers outside the blocks are He-normal for no activation, biases 0.
 */
final class ResNets {
    /** Stage widths as multiples of the base width, from the image's resolution down to the basis. */
    private static final int[] WIDTHS_28 = {1, 2, 2}, WIDTHS_64 = {1, 2, 4, 4, 4};

    private ResNets() {
    }

    /** C×28×28 (C = 1 unless set, 3 for Stacked MNIST) from a 7×7 basis; base width 16. */
    static GanModel resnet28(ModelOptions o, Rng rng) {
        return create("resnet28", 28, 7, WIDTHS_28, o.channelsOr(1), o, rng);
    }

    /** C×64×64 (C = 3 unless set) from a 4×4 basis; base width 16. */
    static GanModel resnet64(ModelOptions o, Rng rng) {
        return create("resnet64", 64, 4, WIDTHS_64, o.channelsOr(3), o, rng);
    }

    private static GanModel create(String name, int size, int basisSide, int[] widths, int channels, ModelOptions o, Rng rng) {
        int z = o.latentDimOr(100), w = o.widthOr(16), v = o.dWidthOr(w), stages = widths.length, last = stages - 1;
        Sequential g = new Sequential(new GenerativeBasis(z, w * widths[last], basisSide, rng));
        for (int i = last; i >= 0; i--) {
            g.add(new ResidualBlock(w * widths[i], stages, rng));
            if (i > 0) g.add(pointwise(w * widths[i], w * widths[i - 1], rng)).add(Resample.up());
        }
        g.add(pointwise(w * widths[0], channels, rng)).add(new Tanh());

        Countermeasures c = o.countermeasuresOrNone();
        Sequential d = new Sequential(pointwise(channels * c.pack(), v * widths[0], rng));
        for (int i = 0; i < stages; i++) {
            d.add(new ResidualBlock(v * widths[i], stages, rng));
            if (i < last) d.add(Resample.down()).add(pointwise(v * widths[i], v * widths[i + 1], rng));
        }
        int features = v * widths[last];
        Conv2d basis = new Conv2d(features, features, basisSide, 1, 0, features, true, rng);
        Init.kaimingNormal(basis.weight(), basis.bias(), 1, rng);
        Models.head(d.add(basis).add(new Flatten()), features, c, rng);
        return new GanModel(name, new Generator(g, z, new int[] {channels, size, size}), Discriminator.packed(d, c.pack()));
    }

    /** A 1×1 convolution, He-normal for no activation. */
    private static Conv2d pointwise(int in, int out, Rng rng) {
        Conv2d conv = new Conv2d(in, out, 1, 1, 0, true, rng);
        Init.kaimingNormal(conv.weight(), conv.bias(), 1, rng);
        return conv;
    }
}
