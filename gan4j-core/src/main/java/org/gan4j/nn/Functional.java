package org.gan4j.nn;

import java.util.Arrays;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.ConvGeometry;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.gan4j.tensor.UnaryOp;

/**
 * The layers' computations as functions of tensors, built from the engine's differentiable
 * ops (so every one of them can be differentiated twice). Modules hold parameters and call
 * these; tests call them directly.
 */
public final class Functional {
    private Functional() {
    }

    /** x [..., in] · wᵀ [out, in] + b [out]. The GEMM reads w transposed, so no transposed copy is made. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return linear(x, weight, bias, null, 0f);
    }

    /**
     * {@link #linear(Tensor, Tensor, Tensor)} through an activation: null, RELU, or LEAKY_RELU with a
     * slope ≥ 0. Bias and activation are applied as the product's output is written.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias, UnaryOp activation, float slope) {
        int[] ys = x.shape(), ws = weight.shape();
        if (ys.length == 0 || ws.length != 2 || ys[ys.length - 1] != ws[1]) {
            throw new IllegalArgumentException("linear: input " + Tensor.shapeString(ys) + " does not match weight "
                    + Tensor.shapeString(ws));
        }
        Tensor rows = x.reshape(1, Tensor.numel(Arrays.copyOf(ys, ys.length - 1)), ws[1]);
        ys[ys.length - 1] = ws[0];
        Tensor w = weight.reshape(1, ws[0], ws[1]);
        if (bias == null && activation == null) return Tensor.bmm(rows, false, w, true, false).reshape(ys);
        return Tensor.bmmBiasActivation(rows, false, w, true, ys, bias, false, activation, slope);
    }

    /**
     * 2-D convolution (cross-correlation, as PyTorch): x [n, cin, h, w], weight [cout, cin, kh, kw],
     * bias [cout] or null. One GEMM per image over the unfolded patches.
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(x, weight, bias, stride, padding, null, 0f);
    }

    /**
     * {@link #conv2d(Tensor, Tensor, Tensor, int, int)} through an activation: null, RELU, or
     * LEAKY_RELU with a slope ≥ 0. Bias and activation are applied as the product's output is written.
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, UnaryOp activation, float slope) {
        int[] xs = x.shape(), ws = weight.shape();
        ConvGeometry g = new ConvGeometry(xs[0], xs[1], xs[2], xs[3], ws[2], ws[3], stride, stride, padding, padding,
                (xs[2] + 2 * padding - ws[2]) / stride + 1, (xs[3] + 2 * padding - ws[3]) / stride + 1);
        Tensor cols = patches(x, g);                                         // [n, cin·kh·kw, oh·ow]
        Tensor w = weight.reshape(1, ws[0], g.patchSize());                  // shared by every image
        int[] shape = {g.n(), ws[0], g.oh(), g.ow()};
        if (bias == null && activation == null) return Tensor.bmm(w, false, cols, false, false).reshape(shape);
        return Tensor.bmmBiasActivation(w, false, cols, false, shape, bias == null ? null : bias.reshape(1, ws[0], 1, 1), true,
                                        activation, slope);
    }

    /** y through RELU or LEAKY_RELU (with slope), or y itself for null. */
    static Tensor activation(Tensor y, UnaryOp activation, float slope) {
        return activation == null ? y : activation == UnaryOp.RELU ? y.relu() : y.leakyRelu(slope);
    }

    /**
     * Grouped 2-D convolution: the cin channels split into {@code groups} blocks, each seen only by
     * its own cout/groups outputs; weight [cout, cin/groups, kh, kw]. groups = cin = cout is depthwise.
     * groups = 1 is exactly {@link #conv2d(Tensor, Tensor, Tensor, int, int)}.
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int groups) {
        if (groups == 1) return conv2d(x, weight, bias, stride, padding);   // keeps the ungrouped bits as they were
        int[] xs = x.shape(), ws = weight.shape();
        if (groups < 1 || xs[1] % groups != 0 || ws[0] % groups != 0 || ws[1] * groups != xs[1]) {
            throw new IllegalArgumentException("conv2d: input " + Tensor.shapeString(xs) + ", weight "
                    + Tensor.shapeString(ws) + " and " + groups + " groups do not fit");
        }
        ConvGeometry g = new ConvGeometry(xs[0], xs[1], xs[2], xs[3], ws[2], ws[3], stride, stride, padding, padding,
                (xs[2] + 2 * padding - ws[2]) / stride + 1, (xs[3] + 2 * padding - ws[3]) / stride + 1);
        // unfold's rows run channel by channel, so each group's patches are one contiguous block of rows
        int groupPatch = g.patchSize() / groups, groupOut = ws[0] / groups;
        Tensor cols = patches(x, g).reshape(g.n(), groups, groupPatch, g.outputPixels());
        // composed from matmul (which broadcasts the weight over the images), so the derivatives come for free
        Tensor y = weight.reshape(groups, groupOut, groupPatch).matmul(cols).reshape(g.n(), ws[0], g.oh(), g.ow());
        return bias == null ? y : y.add(bias.reshape(1, ws[0], 1, 1));
    }

    /** unfold's patches [n, c·kh·kw, oh·ow]; for a 1×1 kernel at stride 1 without padding they are x itself, uncopied. */
    private static Tensor patches(Tensor x, ConvGeometry g) {
        boolean pointwise = g.kh() == 1 && g.kw() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.padH() == 0 && g.padW() == 0;
        return pointwise ? x.reshape(g.n(), g.c(), g.h() * g.w()) : x.unfold(g);
    }

    /**
     * Transposed convolution, the adjoint of conv2d: x [n, cin, h, w], weight [cin, cout, kh, kw]
     * (PyTorch's layout), output size (h - 1)·stride - 2·padding + kh + outputPadding.
     */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int outputPadding) {
        int[] xs = x.shape(), ws = weight.shape();
        int oh = (xs[2] - 1) * stride - 2 * padding + ws[2] + outputPadding;
        int ow = (xs[3] - 1) * stride - 2 * padding + ws[3] + outputPadding;
        // the output is the "image" a convolution with this geometry would read, x its result
        ConvGeometry g = new ConvGeometry(xs[0], ws[1], oh, ow, ws[2], ws[3], stride, stride, padding, padding, xs[2], xs[3]);
        Tensor w = weight.reshape(1, xs[1], g.patchSize());                  // [1, cin, cout·kh·kw]
        Tensor cols = Tensor.bmm(w, true, x.reshape(xs[0], xs[1], xs[2] * xs[3]), false, false);
        Tensor y = cols.fold(g);
        return bias == null ? y : y.add(bias.reshape(1, ws[1], 1, 1));
    }

    /**
     * Batch normalization over every axis but 1 (the channels): [n, c], [n, c, l] or [n, c, h, w]. In training it normalizes with
     * the batch's biased variance and, without recording a graph, moves the running statistics
     * towards the batch's mean and unbiased variance by {@code momentum} (PyTorch's rule).
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, float momentum, float eps) {
        if (!training) return Tensor.batchNorm(x, runningMean, runningVar, weight, bias, eps, false);
        Tensor[] moments = x.channelMoments();
        if (runningMean != null) {
            int n = x.numel() / x.size(1);
            try (var ng = Autograd.noGrad()) {
                runningMean.assign(runningMean.mul(1 - momentum).add(moments[0].mul(momentum)));
                runningVar.assign(runningVar.mul(1 - momentum).add(moments[1].mul(momentum * n / Math.max(1, n - 1f))));
            }
        }
        return Tensor.batchNorm(x, moments[0], moments[1], weight, bias, eps, true);
    }

    /** Layer normalization over the trailing {@code normalizedDims} axes (biased variance). */
    public static Tensor layerNorm(Tensor x, int normalizedDims, Tensor weight, Tensor bias, float eps) {
        int[] axes = new int[normalizedDims];
        for (int i = 0; i < normalizedDims; i++) axes[i] = x.dim() - normalizedDims + i;
        Tensor mean = x.mean(axes, true);
        Tensor centered = x.sub(mean);
        Tensor y = centered.div(centered.mul(centered).mean(axes, true).add(eps).sqrt());
        if (weight != null) y = y.mul(weight);
        if (bias != null) y = y.add(bias);
        return y;
    }

    /** Zeroes each value with probability p and scales the rest by 1/(1 - p); identity when not training. */
    public static Tensor dropout(Tensor x, float p, boolean training, Rng rng) {
        if (!training || p == 0f) return x;
        if (p == 1f) return x.mul(0f);
        Tensor keep = Tensor.bernoulli(rng, 1f - p, x.shape()).to(x.backend());
        return x.mul(keep.mul(1f / (1f - p)));
    }

    /** Rows of the weight [vocabulary, dim] for each index: [indices.length, dim]. */
    public static Tensor embedding(int[] indices, Tensor weight) {
        return weight.indexSelect(0, indices);
    }

    /** Max pooling over k×k windows; padding counts as -∞ (PyTorch's rule). */
    public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
        int[] s = x.shape();
        Tensor padded = padding == 0 ? x
                : x.pad(new int[] {0, 0, padding, padding}, new int[] {0, 0, padding, padding}, Float.NEGATIVE_INFINITY);
        ConvGeometry g = ConvGeometry.of(s[0], s[1], s[2] + 2 * padding, s[3] + 2 * padding, kernel, kernel, stride, 0);
        return padded.unfold(g).reshape(s[0], s[1], kernel * kernel, g.outputPixels()).max(2, false)
                .reshape(s[0], s[1], g.oh(), g.ow());
    }

    /** Average pooling over k×k windows; zero padding is counted in the average (PyTorch's default). */
    public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
        int[] s = x.shape();
        ConvGeometry g = ConvGeometry.of(s[0], s[1], s[2], s[3], kernel, kernel, stride, padding);
        return x.unfold(g).reshape(s[0], s[1], kernel * kernel, g.outputPixels()).mean(2, false)
                .reshape(s[0], s[1], g.oh(), g.ow());
    }

    /** Nearest-neighbour upsampling of [n, c, h, w] by an integer factor. */
    public static Tensor upsampleNearest(Tensor x, int factor) {
        int[] s = x.shape();
        return x.reshape(s[0], s[1], s[2], 1, s[3], 1)
                .expand(s[0], s[1], s[2], factor, s[3], factor)
                .reshape(s[0], s[1], s[2] * factor, s[3] * factor);
    }

    /**
     * The binomial low-pass filter [1, 2, 1]ᵀ·[1, 2, 1] / 16 as a [1, 1, 3, 3] kernel: what {@link #filteredDownsample}
     * and {@link #filteredUpsample} smooth with, so that halving or doubling the resolution does not alias.
     */
    public static Tensor binomialFilter() {
        float e = 1 / 16f, s = 2 / 16f, c = 4 / 16f;   // powers of two: exact in float
        return Tensor.of(new float[] {e, s, e, s, c, s, e, s, e}, 1, 1, 3, 3);
    }

    /**
     * 2× downsampling of [n, c, h, w] to [n, c, ⌈h/2⌉, ⌈w/2⌉]: every channel is filtered with the same fixed
     * [1, 1, 3, 3] kernel (zero padding 1), then every second pixel is kept, in one strided convolution.
     * The channels become images of one channel, so the ungrouped convolution serves every backend.
     */
    public static Tensor filteredDownsample(Tensor x, Tensor filter) {
        int[] s = x.shape();
        Tensor y = conv2d(x.reshape(s[0] * s[1], 1, s[2], s[3]), filter, null, 2, 1);
        return y.reshape(s[0], s[1], y.size(2), y.size(3));
    }

    /**
     * 2× upsampling of [n, c, h, w] to [n, c, 2h, 2w]: zeros inserted after every pixel, then every channel
     * filtered with the fixed kernel times 4 (zero insertion keeps a quarter of the pixels), as one transposed
     * convolution of stride 2. With the binomial filter, even pixels copy the input and odd ones average neighbours.
     */
    public static Tensor filteredUpsample(Tensor x, Tensor filter) {
        int[] s = x.shape();
        Tensor y = convTranspose2d(x.reshape(s[0] * s[1], 1, s[2], s[3]), filter.mul(4f), null, 2, 1, 1);
        return y.reshape(s[0], s[1], 2 * s[2], 2 * s[3]);
    }

    /** One-hot rows [indices.length, classes]. */
    public static Tensor oneHot(int[] indices, int classes) {
        float[] v = new float[indices.length * classes];
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= classes) {
                throw new IndexOutOfBoundsException("oneHot: class " + indices[i] + " out of range [0, " + classes + ")");
            }
            v[i * classes + indices[i]] = 1f;
        }
        return Tensor.of(v, indices.length, classes);
    }
}
