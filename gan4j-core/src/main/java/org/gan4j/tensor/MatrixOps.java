package org.gan4j.tensor;

import static org.gan4j.tensor.Shapes.broadcastShape;
import static org.gan4j.tensor.Shapes.concatShape;
import static org.gan4j.tensor.Shapes.numel;
import static org.gan4j.tensor.Shapes.shapeString;
import static org.gan4j.tensor.Tensor.output;
import static org.gan4j.tensor.Tensor.record;

import java.util.Arrays;

/**
 * Matrix products and the convolution primitives, each forward next to its derivative: a
 * product's gradients are products again, and unfold and fold are each other's adjoints.
 */
final class MatrixOps {
    private MatrixOps() {
    }

    static Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() < 2 || b.dim() < 2) {
            throw new IllegalArgumentException("matmul: needs matrices, got " + shapeString(a.shape) + " @ " + shapeString(b.shape));
        }
        int m = a.shape[a.dim() - 2], k = a.shape[a.dim() - 1], k2 = b.shape[b.dim() - 2], n = b.shape[b.dim() - 1];
        if (k != k2) {
            throw new IllegalArgumentException("matmul: " + shapeString(a.shape) + " @ " + shapeString(b.shape)
                    + ": inner dimensions " + k + " and " + k2 + " differ");
        }
        int[] batchA = Arrays.copyOf(a.shape, a.dim() - 2), batchB = Arrays.copyOf(b.shape, b.dim() - 2);
        int[] batch = broadcastShape("matmul", batchA, batchB);
        int count = numel(batch);
        // a side whose batch is neither full nor shared is expanded to full
        if (numel(batchA) != 1 && numel(batchA) != count) a = a.expand(concatShape(batch, m, k));
        if (numel(batchB) != 1 && numel(batchB) != count) b = b.expand(concatShape(batch, k, n));
        Tensor out = bmm(a.reshape(numel(a.shape) / (m * k), m, k), false, b.reshape(numel(b.shape) / (k * n), k, n), false, false);
        return out.reshape(concatShape(batch, m, n));
    }

    static Tensor bmm(Tensor a, boolean transA, Tensor b, boolean transB, boolean sumBatch) {
        int[] d = bmmDims(a, transA, b, transB);
        int batch = d[0], m = d[1], n = d[2], k = d[3];
        boolean reduce = sumBatch && batch > 1;
        Tensor out = output(a.backend, new int[] {reduce ? 1 : batch, m, n});   // beta 0: C is not read
        a.kernels().gemm(transA, transB, m, n, k, 1f,
                a.storage(), a.shape[2], a.shape[0] == 1 ? 0 : a.shape[1] * a.shape[2],
                b.storage(), b.shape[2], b.shape[0] == 1 ? 0 : b.shape[1] * b.shape[2],
                0f, out.storage, n, reduce ? 0 : m * n, batch);
        return record(out, "bmm", (i, g) -> bmmGrad(i, g, a, transA, b, transB), a, b);
    }

    /**
     * {@code activation(op(a)·op(b) + bias)} reshaped to {@code shape}, finished in the pass that
     * stores the product: bias (or null) broadcasts to shape with one value per row of the product
     * (perRow: a convolution's channels) or per column (a linear layer's features); activation is
     * null, RELU or LEAKY_RELU with slope ≥ 0. Values and gradients are those of the separate ops
     * (bmm, reshape, add, activation), bit for bit: the derivative is theirs, op for op.
     */
    static Tensor bmmBiasActivation(Tensor a, boolean transA, Tensor b, boolean transB, int[] shape,
                                    Tensor bias, boolean perRow, UnaryOp activation, float slope) {
        if (activation != null && (activation != UnaryOp.RELU && activation != UnaryOp.LEAKY_RELU || !(slope >= 0))) {
            throw new IllegalArgumentException("bmmBiasActivation: activation " + activation + " with slope " + slope
                    + " (only RELU, or LEAKY_RELU with a slope ≥ 0)");
        }
        int[] d = bmmDims(a, transA, b, transB);
        int batch = d[0], m = d[1], n = d[2], k = d[3];
        if (numel(shape) != batch * m * n || (bias != null && numel(bias.shape) != (perRow ? m : n))) {
            throw new IllegalArgumentException("bmmBiasActivation: a product [" + batch + ", " + m + ", " + n + "] as "
                    + shapeString(shape) + (bias == null ? "" : " with a bias " + shapeString(bias.shape) + (perRow ? " per row" : " per column")));
        }
        if (bias != null) a.requireSameBackend("bmmBiasActivation", bias);
        Tensor out = output(a.backend, shape.clone());
        a.kernels().gemmBiasActivation(transA, transB, m, n, k,
                a.storage(), a.shape[2], a.shape[0] == 1 ? 0 : a.shape[1] * a.shape[2],
                b.storage(), b.shape[2], b.shape[0] == 1 ? 0 : b.shape[1] * b.shape[2],
                out.storage, batch, bias == null ? null : bias.storage(), perRow, activation, slope);
        // for slope ≥ 0 the activation's output is positive where its input is, so its step is read from the output
        float step = activation == UnaryOp.RELU ? 0f : slope;
        Autograd.JointGradFn fn = g -> {
            Tensor pre = activation == null ? g : ElementwiseOps.leakyReluGrad(g, out, step);
            Tensor product = pre.reshape(batch, m, n);
            return new Tensor[] {
                a.requiresGrad() ? bmmGrad(0, product, a, transA, b, transB) : null,
                b.requiresGrad() ? bmmGrad(1, product, a, transA, b, transB) : null,
                bias != null && bias.requiresGrad() ? pre.sumTo(bias.shape) : null};
        };
        return bias == null ? record(out, "bmmBiasActivation", fn, a, b) : record(out, "bmmBiasActivation", fn, a, b, bias);
    }

    /** {batch, m, n, k} of op(a)·op(b) for [batch, rows, columns] operands (a batch of 1 is shared). */
    private static int[] bmmDims(Tensor a, boolean transA, Tensor b, boolean transB) {
        a.requireSameBackend("bmm", b);
        int ba = a.shape[0], bb = b.shape[0];
        int batch = Math.max(ba, bb);
        if ((ba != batch && ba != 1) || (bb != batch && bb != 1)) {
            throw new IllegalArgumentException("bmm: batches " + ba + " and " + bb + " differ");
        }
        int m = transA ? a.shape[2] : a.shape[1], k = transA ? a.shape[1] : a.shape[2];
        int kb = transB ? b.shape[2] : b.shape[1], n = transB ? b.shape[1] : b.shape[2];
        if (k != kb) {
            throw new IllegalArgumentException("bmm: " + shapeString(a.shape) + (transA ? "ᵀ" : "") + " @ "
                    + shapeString(b.shape) + (transB ? "ᵀ" : "") + ": inner dimensions " + k + " and " + kb + " differ");
        }
        return new int[] {batch, m, n, k};
    }

    /** dA (i = 0) or dB of op(a)·op(b), given the product's gradient g: products again; a shared operand's sums over the batch. */
    private static Tensor bmmGrad(int i, Tensor g, Tensor a, boolean transA, Tensor b, boolean transB) {
        if (i == 0) {
            boolean sum = a.shape[0] == 1;
            return transA ? Tensor.bmm(b, transB, g, true, sum) : Tensor.bmm(g, false, b, !transB, sum);
        }
        boolean sum = b.shape[0] == 1;
        return transB ? Tensor.bmm(g, true, a, transA, sum) : Tensor.bmm(a, !transA, g, false, sum);
    }

    static Tensor unfold(Tensor x, ConvGeometry g) {
        int[] expected = {g.n(), g.c(), g.h(), g.w()};
        if (!Arrays.equals(x.shape, expected)) {
            throw new IllegalArgumentException("unfold: input " + shapeString(x.shape) + " does not match geometry " + g);
        }
        Tensor out = output(x.backend, new int[] {g.n(), g.patchSize(), g.outputPixels()});
        x.kernels().im2col(x.storage(), out.storage, g);
        return record(out, "unfold", (i, grad) -> grad.fold(g), x);
    }

    static Tensor fold(Tensor x, ConvGeometry g) {
        int[] expected = {g.n(), g.patchSize(), g.outputPixels()};
        if (!Arrays.equals(x.shape, expected)) {
            throw new IllegalArgumentException("fold: input " + shapeString(x.shape) + " does not match geometry " + g);
        }
        Tensor out = output(x.backend, new int[] {g.n(), g.c(), g.h(), g.w()});
        x.kernels().col2im(x.storage(), out.storage, g);
        return record(out, "fold", (i, grad) -> grad.unfold(g), x);
    }
}
