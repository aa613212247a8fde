package org.gan4j.gan;

import org.gan4j.tensor.Tensor;

/** D as a function of its input, whose gradient a penalty takes: the discriminator itself, or D behind an augmentation. */
@FunctionalInterface
public interface Critic {
    /** Logits [n, 1] for samples x and, when conditional, their classes. */
    Tensor score(Tensor x, int[] labels);
}
