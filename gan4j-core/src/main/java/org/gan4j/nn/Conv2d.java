package org.gan4j.nn;

import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;

/** 2-D convolution over [n, in, h, w] with a square kernel; weight [out, in, k, k]. */
public class Conv2d extends Module implements WeightedLayer {
    private final int in;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Tensor weight;
    private final Tensor bias;

    public Conv2d(int in, int out, int kernel, int stride, int padding) {
        this(in, out, kernel, stride, padding, true, Init.defaultRng());
    }

    public Conv2d(int in, int out, int kernel, int stride, int padding, boolean bias, Rng rng) {
        this.in = in;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        weight = parameter("weight", out, in, kernel, kernel);
        this.bias = bias ? parameter("bias", out) : null;
        Init.defaultLinear(weight, this.bias, rng);
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, weight);
    }

    @Override
    public Tensor forward(Tensor x, Tensor weight) {
        requireChannels(x, 4, "[n, c, h, w]", in);
        if (x.size(2) + 2 * padding < kernel || x.size(3) + 2 * padding < kernel) {
            throw inputError("input " + Tensor.shapeString(x.shape()) + " is smaller than the " + kernel + "×" + kernel
                    + " kernel (padding " + padding + ")");
        }
        return Functional.conv2d(x, weight, bias, stride, padding);
    }
}
