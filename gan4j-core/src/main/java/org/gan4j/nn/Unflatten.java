package org.gan4j.nn;

import org.gan4j.tensor.Tensor;

/** [n, features] → [n, shape...], e.g. a generator's projected noise into [n, c, h, w]. */
public class Unflatten extends Module {
    private final int[] shape;

    public Unflatten(int... shape) {
        this.shape = shape.clone();
    }

    /** The shape of one sample after unflattening. */
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public Tensor forward(Tensor x) {
        int features = Tensor.numel(shape);
        if (x.dim() != 2 || x.size(1) != features) {
            throw inputError("input " + Tensor.shapeString(x.shape()) + " is not [n, " + features + "], cannot unflatten to [n, "
                    + Tensor.shapeString(shape).substring(1));
        }
        int[] out = new int[shape.length + 1];
        out[0] = x.size(0);
        System.arraycopy(shape, 0, out, 1, shape.length);
        return x.reshape(out);
    }
}
