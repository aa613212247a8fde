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
        boolean reduce = sumBatch && batch > 1;
        Tensor out = output(a.backend, new int[] {reduce ? 1 : batch, m, n});   // beta 0: C is not read
        a.backend.gemm(transA, transB, m, n, k, 1f,
                a.storage(), a.shape[2], ba == 1 ? 0 : a.shape[1] * a.shape[2],
                b.storage(), b.shape[2], bb == 1 ? 0 : b.shape[1] * b.shape[2],
                0f, out.storage, n, reduce ? 0 : m * n, batch);
        // dA and dB from the output gradient; a shared operand's gradient sums over the batch
        return record(out, "bmm", (i, g) -> {
            if (i == 0) {
                boolean sum = a.shape[0] == 1;
                return transA ? Tensor.bmm(b, transB, g, true, sum) : Tensor.bmm(g, false, b, !transB, sum);
            }
            boolean sum = b.shape[0] == 1;
            return transB ? Tensor.bmm(g, true, a, transA, sum) : Tensor.bmm(a, !transA, g, false, sum);
        }, a, b);
    }

    static Tensor unfold(Tensor x, ConvGeometry g) {
        int[] expected = {g.n(), g.c(), g.h(), g.w()};
        if (!Arrays.equals(x.shape, expected)) {
            throw new IllegalArgumentException("unfold: input " + shapeString(x.shape) + " does not match geometry " + g);
        }
        Tensor out = output(x.backend, new int[] {g.n(), g.patchSize(), g.outputPixels()});
        x.backend.im2col(x.storage(), out.storage, g);
        return record(out, "unfold", (i, grad) -> grad.fold(g), x);
    }

    static Tensor fold(Tensor x, ConvGeometry g) {
        int[] expected = {g.n(), g.patchSize(), g.outputPixels()};
        if (!Arrays.equals(x.shape, expected)) {
            throw new IllegalArgumentException("fold: input " + shapeString(x.shape) + " does not match geometry " + g);
        }
        Tensor out = output(x.backend, new int[] {g.n(), g.c(), g.h(), g.w()});
        x.backend.col2im(x.storage(), out.storage, g);
        return record(out, "fold", (i, grad) -> grad.unfold(g), x);
    }
}
