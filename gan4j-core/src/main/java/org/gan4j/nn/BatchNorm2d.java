package org.gan4j.nn;

/** Batch normalization of images [n, channels, h, w], per channel. */
public class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int channels) {
        this(channels, true);
    }

    public BatchNorm2d(int channels, boolean affine) {
        super(channels, affine, 4, "[n, c, h, w]");
    }
}
