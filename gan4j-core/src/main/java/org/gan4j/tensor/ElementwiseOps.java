package org.gan4j.tensor;

import static org.gan4j.tensor.Shapes.SCALAR;
import static org.gan4j.tensor.Shapes.broadcastShape;
import static org.gan4j.tensor.Shapes.broadcastStrides;
import static org.gan4j.tensor.Tensor.empty;
import static org.gan4j.tensor.Tensor.output;
import static org.gan4j.tensor.Tensor.record;

/**
 * Elementwise ops, each forward next to its derivative: binary ops with broadcasting (a
 * broadcast input's gradient is summed back to its shape), ops with a scalar, activations, and
 * comparisons (masks, never differentiated).
 */
final class ElementwiseOps {
    private ElementwiseOps() {
    }

    static Tensor unaryKernel(Tensor x, UnaryOp op, float p) {
        Tensor out = output(x.backend, x.shape);
        x.kernels().unary(op, p, x.storage(), out.storage, x.numel());
        return out;
    }

    static Tensor binaryKernel(String name, BinaryOp op, Tensor a, Tensor b) {
        a.requireSameBackend(name, b);
        int[] s = broadcastShape(name, a.shape, b.shape);
        Tensor out = output(a.backend, s);
        a.kernels().binary(op, a.storage(), broadcastStrides(a.shape, s), b.storage(), broadcastStrides(b.shape, s), out.storage, s);
        return out;
    }

    /** A scalar 0 on t's backend, to broadcast. */
    static Tensor zero(Tensor t) {
        return empty(t.backend, SCALAR);
    }

    // ---- two tensors ----------------------------------------------------------------------

    static Tensor add(Tensor a, Tensor b) {
        return record(binaryKernel("add", BinaryOp.ADD, a, b), "add",
                (i, g) -> g.sumTo(i == 0 ? a.shape : b.shape), a, b);
    }

    static Tensor sub(Tensor a, Tensor b) {
        return record(binaryKernel("sub", BinaryOp.SUB, a, b), "sub",
                (i, g) -> i == 0 ? g.sumTo(a.shape) : g.neg().sumTo(b.shape), a, b);
    }

    static Tensor mul(Tensor a, Tensor b) {
        return record(binaryKernel("mul", BinaryOp.MUL, a, b), "mul",
                (i, g) -> i == 0 ? g.mul(b).sumTo(a.shape) : g.mul(a).sumTo(b.shape), a, b);
    }

    static Tensor div(Tensor a, Tensor b) {
        return record(binaryKernel("div", BinaryOp.DIV, a, b), "div",
                (i, g) -> i == 0 ? g.div(b).sumTo(a.shape) : g.mul(a).div(b.mul(b)).neg().sumTo(b.shape), a, b);
    }

    static Tensor pow(Tensor a, Tensor b) {
        Tensor out = binaryKernel("pow", BinaryOp.POW, a, b);
        return record(out, "pow", (i, g) -> i == 0
                ? g.mul(b).mul(a.pow(b.sub(1f))).sumTo(a.shape)
                : g.mul(out).mul(a.log()).sumTo(b.shape), a, b);
    }

    /** Where both are equal each gets half the gradient, as in PyTorch. */
    static Tensor maximum(Tensor a, Tensor b) {
        return record(binaryKernel("maximum", BinaryOp.MAX, a, b), "maximum", (i, g) -> {
            Tensor share = (i == 0 ? a.gt(b) : b.gt(a)).add(a.eq(b).mul(0.5f));
            return g.mul(share).sumTo(i == 0 ? a.shape : b.shape);
        }, a, b);
    }

    /** cond ? a : b, broadcasting all three; cond is a mask and gets no gradient. */
    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        int[] s = broadcastShape("where", broadcastShape("where", cond.shape, a.shape), b.shape);
        Tensor out = empty(a.backend, s);
        a.kernels().where(cond.storage(), broadcastStrides(cond.shape, s), a.storage(), broadcastStrides(a.shape, s),
                b.storage(), broadcastStrides(b.shape, s), out.storage, s);
        return record(out, "where", (i, g) -> i == 0
                ? Tensor.where(cond, g, zero(g)).sumTo(a.shape)
                : Tensor.where(cond, zero(g), g).sumTo(b.shape), a, b);
    }

    // ---- a tensor and a scalar, and plain functions -----------------------------------------

    static Tensor add(Tensor x, float s) {
        return record(unaryKernel(x, UnaryOp.ADD_SCALAR, s), "add", (i, g) -> g, x);
    }

    static Tensor mul(Tensor x, float s) {
        return record(unaryKernel(x, UnaryOp.MUL_SCALAR, s), "mul", (i, g) -> g.mul(s), x);
    }

    static Tensor rdiv(Tensor x, float s) {
        Tensor out = unaryKernel(x, UnaryOp.RDIV_SCALAR, s);
        return record(out, "rdiv", (i, g) -> g.mul(out).div(x).neg(), x);
    }

    static Tensor pow(Tensor x, float p) {
        return record(unaryKernel(x, UnaryOp.POW_SCALAR, p), "pow", (i, g) -> g.mul(x.pow(p - 1f).mul(p)), x);
    }

    static Tensor neg(Tensor x) {
        return record(unaryKernel(x, UnaryOp.NEG, 0f), "neg", (i, g) -> g.neg(), x);
    }

    static Tensor exp(Tensor x) {
        Tensor out = unaryKernel(x, UnaryOp.EXP, 0f);
        return record(out, "exp", (i, g) -> g.mul(out), x);
    }

    static Tensor log(Tensor x) {
        return record(unaryKernel(x, UnaryOp.LOG, 0f), "log", (i, g) -> g.div(x), x);
    }

    static Tensor sqrt(Tensor x) {
        Tensor out = unaryKernel(x, UnaryOp.SQRT, 0f);
        return record(out, "sqrt", (i, g) -> g.div(out.mul(2f)), x);
    }

    static Tensor abs(Tensor x) {
        return record(unaryKernel(x, UnaryOp.ABS, 0f), "abs", (i, g) -> g.mul(x.sign()), x);
    }

    /** A step function: no gradient flows through it. */
    static Tensor sign(Tensor x) {
        return unaryKernel(x, UnaryOp.SIGN, 0f);
    }

    /** The gradient passes where min ≤ x ≤ max, as in PyTorch. */
    static Tensor clamp(Tensor x, float min, float max) {
        Tensor out = unaryKernel(x, UnaryOp.MAX_SCALAR, min);
        x.kernels().unary(UnaryOp.MIN_SCALAR, max, out.storage, out.storage, out.numel());
        return record(out, "clamp", (i, g) -> Tensor.where(x.lt(min).add(x.gt(max)), zero(g), g), x);
    }

    // ---- activations ------------------------------------------------------------------------

    static Tensor relu(Tensor x) {
        return record(unaryKernel(x, UnaryOp.RELU, 0f), "relu", (i, g) -> leakyReluGrad(g, x, 0f), x);
    }

    static Tensor leakyRelu(Tensor x, float slope) {
        return record(unaryKernel(x, UnaryOp.LEAKY_RELU, slope), "leakyRelu", (i, g) -> leakyReluGrad(g, x, slope), x);
    }

    /** g times leaky ReLU's step at x, in one pass; linear in g (the step is constant where it has a derivative). */
    static Tensor leakyReluGrad(Tensor g, Tensor x, float slope) {
        Tensor out = output(g.backend, g.shape);
        g.kernels().leakyReluGrad(slope, g.storage(), x.storage(), out.storage, g.numel());
        return record(out, "leakyReluGrad", (i, gg) -> leakyReluGrad(gg, x, slope), g);
    }

    static Tensor tanh(Tensor x) {
        Tensor out = unaryKernel(x, UnaryOp.TANH, 0f);
        return record(out, "tanh", (i, g) -> g.mul(out.mul(out).neg().add(1f)), x);
    }

    static Tensor sigmoid(Tensor x) {
        Tensor out = unaryKernel(x, UnaryOp.SIGMOID, 0f);
        return record(out, "sigmoid", (i, g) -> g.mul(out.mul(out.neg().add(1f))), x);
    }

    static Tensor softplus(Tensor x) {
        return record(unaryKernel(x, UnaryOp.SOFTPLUS, 0f), "softplus", (i, g) -> g.mul(x.sigmoid()), x);
    }
}
