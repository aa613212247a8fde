package org.gan4j.nn;

/** Batch normalization of feature vectors [n, features]. */
public class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int features) {
        this(features, true);
    }

    public BatchNorm1d(int features, boolean affine) {
        super(features, affine, 2, "[n, features]");
    }
}
