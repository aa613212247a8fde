package org.gan4j.nn;

import org.gan4j.tensor.Tensor;

/** x for x ≥ 0, slope·x below; DCGAN's discriminator uses slope 0.2. */
public class LeakyReLU extends Module {
    private final float slope;

    public LeakyReLU() {
        this(0.01f);
    }

    public LeakyReLU(float slope) {
        this.slope = slope;
    }

    public float slope() {
        return slope;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.leakyRelu(slope);
    }
}
