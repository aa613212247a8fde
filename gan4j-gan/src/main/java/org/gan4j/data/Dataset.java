package org.gan4j.data;

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
}
