package org.gan4j.nn;

import org.gan4j.tensor.Tensor;

/** Average pooling over k×k windows of [n, c, h, w] (zero padding counted, as PyTorch's default). */
public class AvgPool2d extends Module {
    private final int kernel, stride, padding;

    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public AvgPool2d(int kernel, int stride, int padding) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public Tensor forward(Tensor x) {
        requireRank(x, 4, "[n, c, h, w]");
        return Functional.avgPool2d(x, kernel, stride, padding);
    }
}
