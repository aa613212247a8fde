package org.gan4j.nn;

import org.gan4j.tensor.Tensor;

/** A layer whose weight can be replaced by a function of it for one call, as weight reparameterisations need. */
public interface WeightedLayer {
    Tensor weight();

    /** Null when the layer has no bias. */
    Tensor bias();

    /** The layer applied with {@code weight} (of its own weight's shape) in place of its own. */
    Tensor forward(Tensor x, Tensor weight);
}
