package org.gan4j.nn;

import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;

/**
 * Transposed convolution (the generator's upsampling layer) with a square kernel; weight
 * [in, out, k, k] as in PyTorch. Output size: (h - 1)·stride - 2·padding + k + outputPadding.
 */
public class ConvTranspose2d extends Module {
    private final int in;
    private final int stride;
    private final int padding;
    private final int outputPadding;
    private final Tensor weight;
    private final Tensor bias;

    public ConvTranspose2d(int in, int out, int kernel, int stride, int padding) {
        this(in, out, kernel, stride, padding, 0, true, Init.defaultRng());
    }

    public ConvTranspose2d(int in, int out, int kernel, int stride, int padding, int outputPadding, boolean bias, Rng rng) {
        if (outputPadding >= stride) {
            throw new IllegalArgumentException("ConvTranspose2d: outputPadding " + outputPadding + " must be below the stride " + stride);
        }
        this.in = in;
        this.stride = stride;
        this.padding = padding;
        this.outputPadding = outputPadding;
        weight = parameter("weight", in, out, kernel, kernel);
        this.bias = bias ? parameter("bias", out) : null;
        Init.defaultLinear(weight, this.bias, rng);
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    public int outputPadding() {
        return outputPadding;
    }

    @Override
    public Tensor forward(Tensor x) {
        requireChannels(x, 4, "[n, c, h, w]", in);
        int k = weight.size(2);
        if ((Math.min(x.size(2), x.size(3)) - 1) * stride - 2 * padding + k + outputPadding < 1) {
            throw inputError("input " + Tensor.shapeString(x.shape()) + " gives an empty output (padding " + padding + ")");
        }
        return Functional.convTranspose2d(x, weight, bias, stride, padding, outputPadding);
    }
}
