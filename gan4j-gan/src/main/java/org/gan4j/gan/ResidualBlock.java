package org.gan4j.gan;

import org.gan4j.nn.Conv2d;
import org.gan4j.nn.Init;
import org.gan4j.nn.LeakyReLU;
import org.gan4j.nn.Module;
import org.gan4j.nn.Sequential;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;

/**
 * x + branch(x) over [n, c, h, w], no normalisation (R3GAN's block): branch = 1×1 conv c → 2c, leaky ReLU,
 * grouped 3×3 conv over groups of 16 channels (one group when 2c does not split into 16s), leaky ReLU, 1×1 conv
 * 2c → c. Fix-up initialisation: the last conv starts at zero, so the block starts as the identity, and the two
 * before it are He-normal scaled by L^(-1/4) for the L blocks of the network (Huang et al., 2024, after Zhang et al.'s Fixup).
 */
public final class ResidualBlock extends Module {
    static final float SLOPE = 0.2f;
    static final double GAIN = Math.sqrt(2 / (1 + SLOPE * SLOPE));
    private static final int GROUP_CHANNELS = 16;
    private final Sequential branch;

    public ResidualBlock(int channels, int blocksInNetwork, Rng rng) {
        int inner = 2 * channels;
        int groups = inner % GROUP_CHANNELS == 0 ? inner / GROUP_CHANNELS : 1;
        Conv2d expand = new Conv2d(channels, inner, 1, 1, 0, true, rng);
        Conv2d spatial = new Conv2d(inner, inner, 3, 1, 1, groups, true, rng);
        Conv2d reduce = new Conv2d(inner, channels, 1, 1, 0, true, rng);
        double fixup = Math.pow(blocksInNetwork, -0.25);
        Init.kaimingNormal(expand.weight(), expand.bias(), GAIN * fixup, rng);
        Init.kaimingNormal(spatial.weight(), spatial.bias(), GAIN * fixup, rng);
        Init.constant(reduce.weight(), 0f);
        Init.constant(reduce.bias(), 0f);
        branch = child("branch", new Sequential(expand, new LeakyReLU(SLOPE), spatial, new LeakyReLU(SLOPE), reduce));
    }

    /** The residual branch, layer by layer (for counting its work). */
    public Sequential branch() {
        return branch;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.add(branch.forward(x));
    }
}
