package org.gan4j.nn;

import org.gan4j.tensor.Tensor;
import org.gan4j.tensor.UnaryOp;

/**
 * A layer whose product can end with the activation that follows it, applied as the product's
 * output is written: {@link Sequential} pairs it with a ReLU or leaky ReLU layer that comes next.
 */
interface Fusable {
    /** The layer's forward pass through RELU, or LEAKY_RELU with a slope ≥ 0. */
    Tensor forward(Tensor x, UnaryOp activation, float slope);
}
