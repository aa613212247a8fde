package org.gan4j.data;

import org.gan4j.tensor.Tensor;

/** One batch: items stacked as [b, ...itemShape], and their labels (-1 each when unlabelled). */
public record Batch(Tensor images, int[] labels) {

    public int size() {
        return labels.length;
    }
}
