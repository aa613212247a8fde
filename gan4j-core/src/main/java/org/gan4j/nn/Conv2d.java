package org.gan4j.nn;

import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.gan4j.tensor.UnaryOp;

/**
 * 2-D convolution over [n, in, h, w] with a square kernel; weight [out, in/groups, k, k]. With
 * groups &gt; 1 each block of in/groups channels feeds only its own out/groups outputs (groups = in = out
 * is depthwise).
 */
public class Conv2d extends Module implements WeightedLayer, Fusable {
    private final int in;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int groups;
    private final Tensor weight;
    private final Tensor bias;

    public Conv2d(int in, int out, int kernel, int stride, int padding) {
        this(in, out, kernel, stride, padding, true, Init.defaultRng());
    }

    public Conv2d(int in, int out, int kernel, int stride, int padding, boolean bias, Rng rng) {
        this(in, out, kernel, stride, padding, 1, bias, rng);
    }

    public Conv2d(int in, int out, int kernel, int stride, int padding, int groups, boolean bias, Rng rng) {
        if (groups < 1 || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("Conv2d: " + in + " inputs and " + out + " outputs do not split into "
                    + groups + " groups");
        }
        this.in = in;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.groups = groups;
        weight = parameter("weight", out, in / groups, kernel, kernel);   // fan-in in/groups·k·k, as PyTorch
        this.bias = bias ? parameter("bias", out) : null;
        Init.defaultLinear(weight, this.bias, rng);
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    public int groups() {
        return groups;
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, weight);
    }

    @Override
    public Tensor forward(Tensor x, Tensor weight) {
        checkInput(x);
        return Functional.conv2d(x, weight, bias, stride, padding, groups);
    }

    @Override
    public Tensor forward(Tensor x, UnaryOp activation, float slope) {
        checkInput(x);
        return groups == 1 ? Functional.conv2d(x, weight, bias, stride, padding, activation, slope)
                : Functional.activation(Functional.conv2d(x, weight, bias, stride, padding, groups), activation, slope);
    }

    private void checkInput(Tensor x) {
        requireChannels(x, 4, "[n, c, h, w]", in);
        if (x.size(2) + 2 * padding < kernel || x.size(3) + 2 * padding < kernel) {
            throw inputError("input " + Tensor.shapeString(x.shape()) + " is smaller than the " + kernel + "×" + kernel
                    + " kernel (padding " + padding + ")");
        }
    }
}
