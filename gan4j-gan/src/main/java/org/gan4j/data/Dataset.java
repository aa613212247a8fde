package org.gan4j.data;

import org.gan4j.tensor.Tensor;

/**
 * A fixed collection of items of one shape, held in memory. Items come out as floats already
 * scaled for the networks (images to [-1, 1]); a loader copies them into batches.
 */
public interface Dataset {

    int size();

    /** The shape of one item, e.g. {1, 28, 28} for MNIST or {2} for a 2-D mixture. */
    int[] itemShape();

    /** The number of classes; 0 when the items carry no labels. */
    int classes();

    /** Writes item {@code i}'s values into {@code dst} starting at {@code offset}. */
    void copyItem(int i, float[] dst, int offset);

    /** Item {@code i}'s class, or -1 when the dataset is unlabelled. */
    int label(int i);

    /** One line for logs and run records: name, size, shape and where the data came from. */
    String describe();

    /** SHA-256 (hex) of the source bytes, so a run records exactly which data it saw. */
    String checksum();

    /** The number of floats in one item. */
    default int itemLength() {
        int n = 1;
        for (int d : itemShape()) n *= d;
        return n;
    }

    /** Items {@code from} to {@code from + n} (exclusive) as one batch [n, ...itemShape]. */
    default Tensor items(int from, int n) {
        float[] values = new float[n * itemLength()];
        for (int i = 0; i < n; i++) copyItem(from + i, values, i * itemLength());
        int[] shape = new int[itemShape().length + 1];
        shape[0] = n;
        System.arraycopy(itemShape(), 0, shape, 1, itemShape().length);
        return Tensor.of(values, shape);
    }
}
