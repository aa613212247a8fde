package org.gan4j.nn;

import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;

/** In training, zeroes each value with probability p and scales the rest by 1/(1 - p); identity in eval mode. */
public class Dropout extends Module {
    private final float p;
    private final Rng rng;

    public Dropout(float p) {
        this(p, Init.defaultRng());
    }

    public Dropout(float p, Rng rng) {
        if (!(p >= 0f && p <= 1f)) throw new IllegalArgumentException("Dropout: probability " + p + " is not in [0, 1]");
        this.p = p;
        this.rng = rng;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.dropout(x, p, isTraining(), rng);
    }
}
