package org.gan4j.nn;

import org.gan4j.tensor.Tensor;

/** Nearest-neighbour upsampling of [n, c, h, w] by an integer factor. */
public class Upsample extends Module {
    private final int factor;

    public Upsample(int factor) {
        this.factor = factor;
    }

    @Override
    public Tensor forward(Tensor x) {
        requireRank(x, 4, "[n, c, h, w]");
        return Functional.upsampleNearest(x, factor);
    }
}
