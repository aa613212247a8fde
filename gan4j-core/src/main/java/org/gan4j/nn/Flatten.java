package org.gan4j.nn;

import org.gan4j.tensor.Tensor;

/** [n, ...] → [n, product of the rest]. */
public class Flatten extends Module {
    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() < 2) throw inputError("input " + Tensor.shapeString(x.shape()) + " has no axes after the batch axis to flatten");
        return x.flatten(1);
    }
}
