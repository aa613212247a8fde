package org.gan4j.tensor;

import static org.gan4j.tensor.Shapes.axis;
import static org.gan4j.tensor.Shapes.dropAxes;
import static org.gan4j.tensor.Shapes.dropAxis;
import static org.gan4j.tensor.Shapes.keptShape;
import static org.gan4j.tensor.Shapes.normalizeAxes;
import static org.gan4j.tensor.Shapes.numel;
import static org.gan4j.tensor.Tensor.empty;
import static org.gan4j.tensor.Tensor.record;

import java.util.Arrays;

/** Reductions along axes, each forward next to its derivative, and the softmax family built on them. */
final class ReductionOps {
    private ReductionOps() {
    }

    /** The kernel's view: x as [outer, len, inner], reduced over len into outShape. */
    private static Tensor reduceKernel(Tensor x, ReduceOp op, int a, int[] outShape) {
        int outer = numel(Arrays.copyOfRange(x.shape, 0, a));
        int inner = numel(Arrays.copyOfRange(x.shape, a + 1, x.shape.length));
        Tensor out = empty(x.backend, outShape);
        x.kernels().reduce(op, x.storage(), out.storage, outer, x.shape[a], inner);
        return out;
    }

    static Tensor sum(Tensor x, int axis, boolean keepDim) {
        int a = axis(x.shape, axis);
        Tensor out = reduceKernel(x, ReduceOp.SUM, a, keptShape(x.shape, a));
        out = record(out, "sum", (i, g) -> g.expand(x.shape), x);
        return keepDim ? out : out.reshape(dropAxis(x.shape, a));
    }

    static Tensor sum(Tensor x, int[] axes, boolean keepDim) {
        int[] sorted = normalizeAxes(x.shape, axes);
        Tensor out = x;
        for (int k = sorted.length - 1; k >= 0; ) {
            // neighbouring axes are summed as one: fewer, longer runs for the kernel
            int first = k;
            while (first > 0 && sorted[first - 1] == sorted[first] - 1) first--;
            int lo = sorted[first], hi = sorted[k];
            if (hi > lo) {
                int[] kept = out.shape.clone();
                for (int a = lo; a <= hi; a++) kept[a] = 1;
                int[] merged = new int[out.shape.length - (hi - lo)];
                for (int a = 0, j = 0; a < out.shape.length; a++) {
                    if (a <= lo || a > hi) merged[j++] = out.shape[a];
                    else merged[j - 1] *= out.shape[a];
                }
                out = out.reshape(merged).sum(lo, true).reshape(kept);
            } else {
                out = out.sum(lo, true);
            }
            k = first - 1;
        }
        return keepDim ? out : out.reshape(dropAxes(x.shape, sorted));
    }

    static Tensor mean(Tensor x, int[] axes, boolean keepDim) {
        int n = 1;
        for (int a : normalizeAxes(x.shape, axes)) n *= x.shape[a];
        return x.sum(axes, keepDim).mul(1f / n);
    }

    static Tensor var(Tensor x, int[] axes, boolean unbiased, boolean keepDim) {
        int n = 1;
        for (int a : normalizeAxes(x.shape, axes)) n *= x.shape[a];
        Tensor centered = x.sub(x.mean(axes, true));
        return centered.mul(centered).sum(axes, keepDim).mul(1f / (unbiased ? n - 1 : n));
    }

    /** The gradient goes to the first maximum, as torch.max(dim) does. */
    static Tensor max(Tensor x, int axis, boolean keepDim) {
        int a = axis(x.shape, axis);
        Tensor out = record(reduceKernel(x, ReduceOp.MAX, a, keptShape(x.shape, a)), "max",
                (i, g) -> g.expand(x.shape).mul(argmaxMask(x, a)), x);
        return keepDim ? out : out.reshape(dropAxis(x.shape, a));
    }

    static Tensor argmax(Tensor x, int axis, boolean keepDim) {
        int a = axis(x.shape, axis);
        Tensor out = reduceKernel(x, ReduceOp.ARGMAX, a, keptShape(x.shape, a));
        return keepDim ? out : out.reshape(dropAxis(x.shape, a));
    }

    /** 1 at the first maximum along axis a, 0 elsewhere. */
    private static Tensor argmaxMask(Tensor x, int a) {
        int[] rangeShape = new int[x.shape.length];
        Arrays.fill(rangeShape, 1);
        rangeShape[a] = x.shape[a];
        Tensor positions = Tensor.arange(x.shape[a]).to(x.backend).reshape(rangeShape);
        return positions.eq(x.argmax(a, true));
    }

    /** Shifted by the maximum (a constant to autograd) so that exp cannot overflow. */
    static Tensor logsumexp(Tensor x, int axis, boolean keepDim) {
        Tensor m;
        try (var ng = Autograd.noGrad()) {
            Tensor max = x.detach().max(axis, true);
            Tensor nonFinite = ElementwiseOps.unaryKernel(max, UnaryOp.NON_FINITE, 0f);
            m = Tensor.where(nonFinite, ElementwiseOps.zero(max), max);   // all -inf rows stay -inf
        }
        Tensor out = x.sub(m).exp().sum(axis, true).log().add(m);
        return keepDim ? out : out.reshape(dropAxis(x.shape, axis(x.shape, axis)));
    }
}
