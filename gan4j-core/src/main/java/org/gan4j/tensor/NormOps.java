package org.gan4j.tensor;

import static org.gan4j.tensor.Shapes.channelShape;
import static org.gan4j.tensor.Shapes.innerSize;
import static org.gan4j.tensor.Shapes.requireChannels;
import static org.gan4j.tensor.Shapes.shapeString;
import static org.gan4j.tensor.Tensor.empty;
import static org.gan4j.tensor.Tensor.output;
import static org.gan4j.tensor.Tensor.record;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Batch normalization over the channel axis (1): the per-channel moments, the normalization in
 * one pass, and its derivative, both the backend's one-pass form and the graph of ordinary ops
 * that a second derivative needs.
 */
final class NormOps {
    private NormOps() {
    }

    static Tensor[] channelMoments(Tensor x) {
        requireChannels("channelMoments", x.shape);
        Tensor mean = output(x.backend, new int[] {x.shape[1]}), var = output(x.backend, new int[] {x.shape[1]});
        x.kernels().channelMoments(x.storage(), x.shape[0], x.shape[1], innerSize(x.shape), mean.storage, var.storage);
        return new Tensor[] {mean, var};
    }

    static Tensor batchNorm(Tensor x, Tensor mean, Tensor var, Tensor weight, Tensor bias, float eps, boolean batchStatistics) {
        requireChannels("batchNorm", x.shape);
        if (mean == null || var == null) throw new IllegalArgumentException("batchNorm: mean and var are required");
        int c = x.shape[1], outer = x.shape[0], inner = innerSize(x.shape);
        int[] channel = {c};
        for (Tensor t : new Tensor[] {mean, var, weight, bias}) {
            if (t == null) continue;
            x.requireSameBackend("batchNorm", t);
            if (!Arrays.equals(t.shape, channel)) {
                throw new IllegalArgumentException("batchNorm: per-channel tensor " + shapeString(t.shape)
                        + " for input " + shapeString(x.shape) + ", expected " + shapeString(channel));
            }
        }
        Backend be = x.backend;
        Tensor invStd, scale, shift;
        try (var ng = Autograd.noGrad()) {
            invStd = var.add(eps).sqrt().rdiv(1f);
            scale = weight == null ? invStd : weight.mul(invStd);
            shift = bias == null ? empty(be, channel) : bias;
        }
        Tensor out = output(be, x.shape);
        x.kernels().channelAffine(x.storage(), mean.storage(), scale.storage, shift.storage(), null, null, outer, c, inner, out.storage);

        Tensor[] inputs = Arrays.stream(new Tensor[] {x, weight, bias}).filter(t -> t != null).toArray(Tensor[]::new);
        int weightAt = weight == null ? -1 : 1;
        // the inputs' gradients share the channel sums, so they are made in one call: the sums
        // live only for this call, whichever inputs need a gradient
        Autograd.JointGradFn backward = g -> {
            Tensor[] grads = new Tensor[inputs.length];
            Tensor sumG = null, sumGX = null;   // Σ g and Σ g·(x − mean) per channel, made when first needed
            for (int i = 0; i < inputs.length; i++) {
                if (!inputs[i].requiresGrad()) continue;
                int input = i == 0 ? 0 : i == weightAt ? 1 : 2;
                if (Autograd.isGradEnabled()) {
                    grads[i] = batchNormGradGraph(input, g, x, mean, var, weight, eps, batchStatistics);
                } else if (input == 0 && !batchStatistics) {
                    grads[i] = g.mul(scale.reshape(channelShape(x.shape)));
                } else {
                    if (sumG == null) {
                        sumG = output(be, channel);
                        sumGX = output(be, channel);
                        x.kernels().channelGradSums(g.storage(), x.storage(), mean.storage(), outer, c, inner, sumG.storage, sumGX.storage);
                    }
                    grads[i] = input == 1 ? sumGX.mul(invStd)
                            : input == 2 ? sumG
                            : inputGradient(g, x, mean, scale, invStd, sumG, sumGX);
                }
            }
            return grads;
        };
        return record(out, "batchNorm", backward, inputs);
    }

    /** x's first-order gradient with batch statistics, in one pass over g from the channel sums. */
    private static Tensor inputGradient(Tensor g, Tensor x, Tensor mean, Tensor scale, Tensor invStd, Tensor sumG, Tensor sumGX) {
        int c = x.shape[1], outer = x.shape[0], inner = innerSize(x.shape);
        // dx = scale·(g − mean(g) − x̂·mean(g·x̂)) = scale·g + b·(x − mean) + d, per channel
        float n = (float) outer * inner;
        Tensor b = scale.mul(invStd).mul(invStd).mul(sumGX).mul(-1f / n), d = scale.mul(sumG).mul(-1f / n);
        Tensor grad = output(x.backend, x.shape);
        x.kernels().channelAffine(x.storage(), mean.storage(), b.storage, d.storage, g.storage(), scale.storage,
                outer, c, inner, grad.storage);
        return grad;
    }

    /**
     * batchNorm's gradient for x (0), the weight (1) or the bias (2) written with differentiable
     * ops, so that it can be differentiated again: the statistics are recomputed from x.
     */
    private static Tensor batchNormGradGraph(int input, Tensor g, Tensor x, Tensor mean, Tensor var, Tensor weight,
                                             float eps, boolean batchStatistics) {
        int[] axes = IntStream.range(0, x.dim()).filter(a -> a != 1).toArray(), channelShape = channelShape(x.shape);
        Tensor m = batchStatistics ? x.mean(axes, true) : mean.reshape(channelShape);
        Tensor centered = x.sub(m);
        Tensor v = batchStatistics ? centered.mul(centered).mean(axes, true) : var.reshape(channelShape);
        Tensor invStd = v.add(eps).sqrt().rdiv(1f);
        Tensor normalized = centered.mul(invStd);
        if (input == 1) return g.mul(normalized).sum(axes, false);
        if (input == 2) return g.sum(axes, false);
        Tensor dNormalized = weight == null ? g : g.mul(weight.reshape(channelShape));
        if (!batchStatistics) return dNormalized.mul(invStd);
        return dNormalized.sub(dNormalized.mean(axes, true))
                .sub(normalized.mul(dNormalized.mul(normalized).mean(axes, true))).mul(invStd);
    }
}
