package org.gan4j.tensor;

/**
 * Shapes of one 2-D convolution: input [n, c, h, w], kernel kh×kw, stride, zero padding and the
 * output size oh×ow it implies.
 */
public record ConvGeometry(int n, int c, int h, int w, int kh, int kw, int strideH, int strideW,
                           int padH, int padW, int oh, int ow) {

    /** Geometry of a convolution over [n, c, h, w]; the output size follows from the others. */
    public static ConvGeometry of(int n, int c, int h, int w, int kh, int kw, int stride, int pad) {
        int oh = (h + 2 * pad - kh) / stride + 1;
        int ow = (w + 2 * pad - kw) / stride + 1;
        return new ConvGeometry(n, c, h, w, kh, kw, stride, stride, pad, pad, oh, ow);
    }

    /** Rows of the unfolded matrix: c·kh·kw. */
    public int patchSize() {
        return c * kh * kw;
    }

    /** Columns of the unfolded matrix per image: oh·ow. */
    public int outputPixels() {
        return oh * ow;
    }
}
