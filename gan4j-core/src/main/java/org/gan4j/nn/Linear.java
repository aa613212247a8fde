package org.gan4j.nn;

import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.gan4j.tensor.UnaryOp;

/** y = x·Wᵀ + b over the last axis: [..., in] → [..., out]. */
public class Linear extends Module implements WeightedLayer, Fusable {
    private final int in;
    private final Tensor weight;
    private final Tensor bias;

    public Linear(int in, int out) {
        this(in, out, true, Init.defaultRng());
    }

    public Linear(int in, int out, Rng rng) {
        this(in, out, true, rng);
    }

    public Linear(int in, int out, boolean bias, Rng rng) {
        this.in = in;
        weight = parameter("weight", out, in);
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
        checkInput(x);
        return Functional.linear(x, weight, bias);
    }

    @Override
    public Tensor forward(Tensor x, UnaryOp activation, float slope) {
        checkInput(x);
        return Functional.linear(x, weight, bias, activation, slope);
    }

    private void checkInput(Tensor x) {
        if (x.dim() < 1 || x.size(-1) != in) {
            throw inputError("input " + Tensor.shapeString(x.shape()) + " has "
                    + (x.dim() < 1 ? "no feature axis" : x.size(-1) + " features") + ", expected " + in);
        }
    }
}
