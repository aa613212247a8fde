package org.gan4j.nn;

import java.util.Arrays;
import org.gan4j.tensor.Tensor;

/** Normalizes over the trailing axes of the given shape, with a learned scale and shift of that shape. */
public class LayerNorm extends Module {
    public static final float EPS = 1e-5f;

    private final int[] normalizedShape;
    private final Tensor weight;
    private final Tensor bias;

    public LayerNorm(int... normalizedShape) {
        this.normalizedShape = normalizedShape.clone();
        weight = parameter("weight", normalizedShape);
        bias = parameter("bias", normalizedShape);
        Init.constant(weight, 1f);
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        int lead = s.length - normalizedShape.length;
        if (lead < 0 || !Arrays.equals(Arrays.copyOfRange(s, lead, s.length), normalizedShape)) {
            throw inputError("input " + Tensor.shapeString(s) + " does not end in the normalized shape "
                    + Tensor.shapeString(normalizedShape));
        }
        return Functional.layerNorm(x, normalizedShape.length, weight, bias, EPS);
    }
}
