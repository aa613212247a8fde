package org.gan4j.tensor;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.gan4j.nn.Functional;
import org.gan4j.nn.Loss;
import org.gan4j.nn.MinibatchDiscrimination;
import org.gan4j.nn.MinibatchStdDev;
import org.gan4j.nn.SpectralNorm;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Compares every op's backward with central differences of L = Σ f(inputs)·w for a fixed
 * random w, and second derivatives with differences of a gradient built with createGraph.
 * Inputs stay clear of kinks (0 for relu/abs, clamp bounds) and ties (max, pooling).
 */
class GradCheckTest {
    private static final double EPS = 1e-2;
    private static final double RTOL = 1e-2;
    private static final double ATOL = 2e-3;

    private final Random random = new Random(42);

    // ---- elementwise ------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> broadcastingArithmetic() {
        Tensor a = randn(3, 1, 4), b = randn(2, 4), positive = uniform(0.5, 2, 3, 1, 4), awayFromZero = awayFrom(randn(2, 4), 0.5, 0);
        return Stream.of(
                check("add", x -> x[0].add(x[1]), a, b),
                check("sub", x -> x[0].sub(x[1]), a, b),
                check("mul", x -> x[0].mul(x[1]), a, b),
                check("div", x -> x[0].div(x[1]), a, awayFromZero),
                check("pow", x -> x[0].pow(x[1]), positive, b),
                check("maximum", x -> x[0].maximum(x[1]), distinct(3, 1, 4), distinct(2, 4).add(0.05f)),
                check("minimum", x -> x[0].minimum(x[1]), distinct(3, 1, 4), distinct(2, 4).add(0.05f)));
    }

    @TestFactory
    Stream<DynamicTest> scalarArithmetic() {
        Tensor x = randn(3, 4), positive = uniform(0.5, 2, 3, 4);
        return Stream.of(
                check("add scalar", t -> t[0].add(1.5f), x),
                check("mul scalar", t -> t[0].mul(-2.5f), x),
                check("div scalar", t -> t[0].div(4f), x),
                check("rdiv", t -> t[0].rdiv(2f), positive),
                check("pow scalar", t -> t[0].pow(2.5f), positive));
    }

    @TestFactory
    Stream<DynamicTest> unaryFunctions() {
        Tensor x = randn(4, 5), positive = uniform(0.2, 3, 4, 5), clear = awayFrom(randn(4, 5).mul(2f), 0.1, 0);
        Tensor cond = randn(4, 5).gt(0f);
        return Stream.of(
                check("neg", t -> t[0].neg(), x),
                check("exp", t -> t[0].exp(), x),
                check("log", t -> t[0].log(), positive),
                check("sqrt", t -> t[0].sqrt(), positive),
                check("abs", t -> t[0].abs(), clear),
                check("clamp", t -> t[0].clamp(-0.5f, 0.5f), awayFrom(randn(4, 5), 0.1, -0.5, 0.5)),
                check("relu", t -> t[0].relu(), clear),
                check("leakyRelu", t -> t[0].leakyRelu(0.2f), clear),
                check("tanh", t -> t[0].tanh(), x),
                check("sigmoid", t -> t[0].sigmoid(), x.mul(2f)),
                check("softplus", t -> t[0].softplus(), x.mul(3f)),
                check("logSigmoid", t -> t[0].logSigmoid(), x.mul(3f)),
                check("where", t -> Tensor.where(cond, t[0], t[1]), randn(4, 5), randn(5)));
    }

    // ---- reductions ---------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> reductions() {
        Tensor x = randn(3, 4, 5);
        return Stream.of(
                check("sum axis", t -> t[0].sum(1, false), x),
                check("sum axes keepDim", t -> t[0].sum(new int[] {0, 2}, true), x),
                check("sumAll", t -> t[0].sumAll(), x),
                check("mean axes", t -> t[0].mean(new int[] {1, 2}, false), x),
                check("meanAll", t -> t[0].meanAll(), x),
                check("var unbiased", t -> t[0].var(new int[] {2}, true, false), x),
                check("var biased", t -> t[0].var(new int[] {0, 2}, false, true), x),
                check("max", t -> t[0].max(1, false), distinct(3, 4, 5)),
                check("min", t -> t[0].min(2, true), distinct(3, 4, 5)),
                check("logsumexp", t -> t[0].logsumexp(1, false), x.mul(2f)),
                check("softmax", t -> t[0].softmax(-1), x.mul(2f)),
                check("logSoftmax", t -> t[0].logSoftmax(0), x.mul(2f)));
    }

    // ---- shapes and products ---------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> shapes() {
        Tensor x = randn(2, 3, 4);
        return Stream.of(
                check("reshape", t -> t[0].reshape(4, -1), x),
                check("permute", t -> t[0].permute(2, 0, 1), x),
                check("transpose", t -> t[0].transpose(0, 2), x),
                check("expand", t -> t[0].expand(2, 3, 3, 4), randn(3, 1, 4)),
                check("concat", t -> Tensor.concat(1, t[0], t[1]), x, randn(2, 2, 4)),
                check("slice", t -> t[0].slice(2, 1, 3), x),
                check("split", t -> t[0].split(1, 1, 2)[1], x),
                check("crop", t -> t[0].crop(new int[] {1, 0, 1}, new int[] {1, 2, 3}), x),
                check("pad", t -> t[0].pad(new int[] {0, 1, 2}, new int[] {1, 0, 1}, 0.5f), x),
                check("indexSelect", t -> t[0].indexSelect(1, new int[] {2, 0, 2}), x),
                check("indexAdd", t -> t[0].indexAdd(0, new int[] {1, 1, 0}, 3), randn(3, 4)));
    }

    @TestFactory
    Stream<DynamicTest> matrixProducts() {
        return Stream.of(
                check("matmul 2-D", t -> t[0].matmul(t[1]), randn(3, 4), randn(4, 2)),
                check("matmul batched", t -> t[0].matmul(t[1]), randn(2, 3, 4), randn(2, 4, 2)),
                check("matmul shared right", t -> t[0].matmul(t[1]), randn(2, 3, 4), randn(4, 2)),
                check("matmul shared left", t -> t[0].matmul(t[1]), randn(3, 4), randn(2, 4, 2)),
                check("bmm transposed", t -> Tensor.bmm(t[0], true, t[1], true, false), randn(2, 4, 3), randn(2, 2, 4)),
                check("bmm summed", t -> Tensor.bmm(t[0], false, t[1], false, true), randn(3, 2, 4), randn(3, 4, 2)),
                check("linear", t -> Functional.linear(t[0], t[1], t[2]), randn(3, 4), randn(2, 4), randn(2)));
    }

    // ---- layers -------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> convolutions() {
        ConvGeometry g = ConvGeometry.of(1, 2, 4, 4, 3, 3, 2, 1);
        return Stream.of(
                check("conv2d s1 p0", t -> Functional.conv2d(t[0], t[1], t[2], 1, 0), randn(2, 2, 4, 5), randn(3, 2, 3, 3), randn(3)),
                check("conv2d s2 p1", t -> Functional.conv2d(t[0], t[1], null, 2, 1), randn(1, 2, 6, 5), randn(2, 2, 4, 4)),
                check("conv2d s2 p2", t -> Functional.conv2d(t[0], t[1], t[2], 2, 2), randn(1, 1, 5, 5), randn(2, 1, 3, 3), randn(2)),
                check("convTranspose2d s2 p1", t -> Functional.convTranspose2d(t[0], t[1], t[2], 2, 1, 0),
                        randn(1, 2, 3, 3), randn(2, 2, 4, 4), randn(2)),
                check("convTranspose2d s2 p1 op1", t -> Functional.convTranspose2d(t[0], t[1], null, 2, 1, 1),
                        randn(2, 2, 2, 3), randn(2, 1, 3, 3)),
                check("convTranspose2d s1 p0", t -> Functional.convTranspose2d(t[0], t[1], t[2], 1, 0, 0),
                        randn(1, 2, 3, 2), randn(2, 2, 2, 2), randn(2)),
                check("conv2d groups 2 s2 p1", t -> Functional.conv2d(t[0], t[1], t[2], 2, 1, 2),
                        randn(2, 4, 5, 4), randn(6, 2, 3, 3), randn(6)),
                check("conv2d depthwise s1 p1", t -> Functional.conv2d(t[0], t[1], t[2], 1, 1, 3),
                        randn(2, 3, 4, 4), randn(3, 1, 3, 3), randn(3)),
                check("conv2d depthwise s2 p0", t -> Functional.conv2d(t[0], t[1], null, 2, 0, 3),
                        randn(1, 3, 5, 5), randn(3, 1, 3, 3)),
                checkSecondOrder("conv2d groups 2", t -> Functional.conv2d(t[0], t[1], t[2], 1, 1, 2),
                        randn(1, 4, 3, 3), randn(4, 2, 3, 3), randn(4)),
                check("conv2d + bias + leakyRelu in one pass", t -> Functional.conv2d(t[0], t[1], t[2], 2, 1, UnaryOp.LEAKY_RELU, 0.2f),
                        randn(2, 2, 5, 4), randn(3, 2, 3, 3), randn(3)),
                checkSecondOrder("conv2d + relu in one pass", t -> Functional.conv2d(t[0], t[1], null, 1, 1, UnaryOp.RELU, 0f).tanh(),
                        randn(1, 2, 3, 3), randn(2, 2, 3, 3)),
                check("linear + bias + relu in one pass", t -> Functional.linear(t[0], t[1], t[2], UnaryOp.RELU, 0f),
                        randn(4, 5), randn(3, 5), randn(3)),
                check("unfold", t -> t[0].unfold(g), randn(1, 2, 4, 4)),
                check("fold", t -> t[0].fold(g), randn(1, g.patchSize(), g.outputPixels())));
    }

    @TestFactory
    Stream<DynamicTest> normalization() {
        Tensor runningMean = randn(3).mul(0.1f), runningVar = uniform(0.5, 1.5, 3);
        return Stream.of(
                check("batchNorm train 2-D", t -> Functional.batchNorm(t[0], null, null, t[1], t[2], true, 0.1f, 1e-5f),
                        randn(5, 3), uniform(0.5, 1.5, 3), randn(3)),
                check("batchNorm train 4-D", t -> Functional.batchNorm(t[0], null, null, t[1], t[2], true, 0.1f, 1e-5f),
                        randn(2, 3, 2, 3), uniform(0.5, 1.5, 3), randn(3)),
                check("batchNorm eval", t -> Functional.batchNorm(t[0], runningMean, runningVar, t[1], t[2], false, 0.1f, 1e-5f),
                        randn(2, 3, 2, 2), uniform(0.5, 1.5, 3), randn(3)),
                check("layerNorm", t -> Functional.layerNorm(t[0], 2, t[1], t[2], 1e-5f),
                        randn(3, 2, 4), uniform(0.5, 1.5, 2, 4), randn(2, 4)));
    }

    /**
     * batchNorm's first-order gradient takes its one-pass kernels, a gradient built with
     * createGraph the ordinary ops: the two agree, on features and images of odd sizes.
     */
    @Test
    void batchNormOnePassGradientMatchesItsGraph() {
        for (int[] shape : new int[][] {{64, 512}, {3, 37}, {2, 5, 49}, {4, 3, 5, 5}}) {
            for (boolean training : new boolean[] {true, false}) {
                int c = shape[1];
                Tensor x = randn(shape).mul(2f).add(3f).requiresGrad(true), w = uniform(0.5, 1.5, c).requiresGrad(true);
                Tensor b = randn(c).requiresGrad(true), seed = randn(shape);
                Tensor runningMean = training ? null : randn(c).add(3f), runningVar = training ? null : uniform(3, 5, c);
                Tensor loss = Functional.batchNorm(x, runningMean, runningVar, w, b, training, 0.1f, 1e-5f).mul(seed).sumAll();
                Tensor[] onePass = Autograd.grad(new Tensor[] {loss}, new Tensor[] {x, w, b}, false);
                Tensor[] graph = Autograd.grad(new Tensor[] {loss}, new Tensor[] {x, w, b}, true);
                for (int k = 0; k < 3; k++) {
                    float[] fast = onePass[k].toArray(), slow = graph[k].toArray();
                    for (int i = 0; i < fast.length; i++) {
                        if (!(Math.abs(fast[i] - slow[i]) <= 1e-4 * Math.abs(slow[i]) + 1e-4)) {
                            fail(Arrays.toString(shape) + (training ? " training" : " eval") + " input " + k + " at " + i
                                    + ": one pass " + fast[i] + ", graph " + slow[i]);
                        }
                    }
                }
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> poolingAndResampling() {
        return Stream.of(
                check("maxPool2d k2 s2", t -> Functional.maxPool2d(t[0], 2, 2, 0), distinct(1, 2, 4, 4)),
                check("maxPool2d k3 s2 p1", t -> Functional.maxPool2d(t[0], 3, 2, 1), distinct(1, 2, 5, 5)),
                check("avgPool2d k2 s2", t -> Functional.avgPool2d(t[0], 2, 2, 0), randn(1, 2, 4, 4)),
                check("avgPool2d k3 s2 p1", t -> Functional.avgPool2d(t[0], 3, 2, 1), randn(1, 2, 5, 5)),
                check("upsampleNearest", t -> Functional.upsampleNearest(t[0], 2), randn(1, 2, 2, 3)),
                check("filteredDownsample", t -> Functional.filteredDownsample(t[0], Functional.binomialFilter()), randn(2, 2, 5, 4)),
                check("filteredUpsample", t -> Functional.filteredUpsample(t[0], Functional.binomialFilter()), randn(2, 2, 3, 4)),
                checkSecondOrder("filteredDownsample", t -> Functional.filteredDownsample(t[0], Functional.binomialFilter()).tanh(),
                        randn(1, 2, 4, 4)),
                checkSecondOrder("filteredUpsample", t -> Functional.filteredUpsample(t[0], Functional.binomialFilter()).tanh(),
                        randn(1, 2, 3, 3)),
                check("embedding", t -> Functional.embedding(new int[] {3, 1, 3, 0}, t[0]), randn(4, 3)));
    }

    @TestFactory
    Stream<DynamicTest> losses() {
        Tensor soft = uniform(0, 1, 3, 4), labels = randn(3, 4).gt(0f).mul(2f).sub(1f);
        // hinge: keep 1 - y·x clear of its kink at 0
        check("hinge", t -> Loss.hinge(t[0], labels), awayFrom(randn(3, 4).mul(2f), 0.1, -1, 1));
        return Stream.of(
                check("bceWithLogits", t -> Loss.bceWithLogits(t[0], soft), randn(3, 4).mul(3f)),
                check("bce", t -> Loss.bce(t[0], soft), uniform(0.1, 0.9, 3, 4)),
                check("mse", t -> Loss.mse(t[0], t[1]), randn(3, 4), randn(3, 4)),
                check("crossEntropy", t -> Loss.crossEntropy(t[0], new int[] {2, 0, 3}), randn(3, 4).mul(2f)));
    }

    /** The mode-collapse countermeasures; spectral norm with u, v held fixed, as its gradient treats them. */
    @TestFactory
    Stream<DynamicTest> countermeasures() {
        Tensor u = randn(3), v = randn(4);
        Tensor[] xt = clearOfL1Kinks();
        return Stream.of(
                check("minibatch discrimination", t -> MinibatchDiscrimination.apply(t[0], t[1], 3, 2), xt[0], xt[1]),
                check("minibatch std 2-D", t -> new MinibatchStdDev().forward(t[0]), randn(5, 3)),
                check("minibatch std 4-D", t -> new MinibatchStdDev().forward(t[0]), randn(3, 2, 2, 2)),
                check("spectral norm linear", t -> Functional.linear(t[0], SpectralNorm.divideBySigma(t[1], u, v), t[2]),
                        randn(2, 4), randn(3, 4), randn(3)),
                check("spectral norm conv", t -> Functional.conv2d(t[0], SpectralNorm.divideBySigma(t[1], u, v), null, 1, 0),
                        randn(1, 1, 3, 3), randn(3, 1, 2, 2)));
    }

    /** Features and projection whose projected rows differ by at least 0.2 in every coordinate (|.| has a kink at 0). */
    private Tensor[] clearOfL1Kinks() {
        while (true) {
            Tensor x = randn(4, 5), t = randn(5, 6).mul(0.5f);
            float[] m = x.matmul(t).toArray();
            boolean clear = true;
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < i; j++) {
                    for (int c = 0; c < 6; c++) clear &= Math.abs(m[i * 6 + c] - m[j * 6 + c]) > 0.2f;
                }
            }
            if (clear) return new Tensor[] {x, t};
        }
    }

    // ---- second order ---------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> secondOrderElementwise() {
        Tensor x = randn(3, 4), positive = uniform(0.5, 2, 3, 4);
        return Stream.of(
                checkSecondOrder("exp", t -> t[0].exp(), x),
                checkSecondOrder("log", t -> t[0].log(), positive),
                checkSecondOrder("sqrt", t -> t[0].sqrt(), positive),
                checkSecondOrder("tanh", t -> t[0].tanh(), x),
                checkSecondOrder("sigmoid", t -> t[0].sigmoid(), x),
                checkSecondOrder("softplus", t -> t[0].softplus(), x),
                checkSecondOrder("mul", t -> t[0].mul(t[1]), x, randn(4)),
                checkSecondOrder("div", t -> t[0].div(t[1]), x, positive),
                checkSecondOrder("pow", t -> t[0].pow(t[1]), positive, randn(3, 4)),
                checkSecondOrder("rdiv", t -> t[0].rdiv(2f), positive),
                checkSecondOrder("logSoftmax", t -> t[0].logSoftmax(1), x),
                checkSecondOrder("matmul", t -> t[0].matmul(t[1]).tanh(), randn(2, 3, 4), randn(4, 2)),
                checkSecondOrder("layerNorm", t -> Functional.layerNorm(t[0], 1, null, null, 1e-5f), x),
                checkSecondOrder("batchNorm", t -> Functional.batchNorm(t[0], null, null, null, null, true, 0.1f, 1e-5f), x),
                checkSecondOrder("bceWithLogits", t -> Loss.bceWithLogits(t[0], Tensor.full(0.3f, 3, 4)), x.mul(2f)));
    }

    /** d/dθ of R1 = Σ ||∇ₓ D(x)||², the gradient penalty's path through a gradient. */
    @TestFactory
    Stream<DynamicTest> r1PenaltyMlp() {
        return Stream.of("leakyRelu", "tanh").map(act -> check("R1 MLP " + act, t -> r1(t[0], v -> {
            Tensor h = Functional.linear(v, t[1], t[2]);
            h = act.equals("tanh") ? h.tanh() : h.leakyRelu(0.2f);
            return Functional.linear(h, t[3], t[4]);
        }), randn(3, 4), randn(5, 4), randn(5).mul(0.1f), randn(1, 5), randn(1)));
    }

    @TestFactory
    Stream<DynamicTest> r1PenaltyConv() {
        return Stream.of(
                check("R1 conv", t -> r1(t[0], v -> {
                    Tensor h = Functional.conv2d(v, t[1], t[2], 2, 1).leakyRelu(0.2f);
                    return Functional.linear(h.flatten(1), t[3], t[4]);
                }), randn(2, 1, 4, 4), randn(2, 1, 4, 4).mul(0.5f), randn(2).mul(0.1f), randn(1, 8).mul(0.5f), randn(1)));
    }

    private static Tensor r1(Tensor x, Function<Tensor, Tensor> d) {
        Tensor g = Autograd.grad(new Tensor[] {d.apply(x)}, new Tensor[] {x}, true)[0];
        return g.mul(g).sumAll();
    }

    // ---- the checker ----------------------------------------------------------------------------

    /**
     * The function Σᵢ ⟨∇ᵢ Σ f·w, vᵢ⟩ of the same inputs (w, vᵢ fixed random): its gradient
     * needs every backward of f to be differentiable.
     */
    private DynamicTest checkSecondOrder(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor[] v = Arrays.stream(inputs).map(t -> randn(t.shape())).toArray(Tensor[]::new);
        Tensor[] w = new Tensor[1];
        return check(name + " (second order)", t -> {
            Tensor y = f.apply(t);
            if (w[0] == null) w[0] = randn(y.shape());
            Tensor[] grads = Autograd.grad(new Tensor[] {y.mul(w[0]).sumAll()}, t, true);
            Tensor sum = grads[0].mul(v[0]).sumAll();
            for (int i = 1; i < grads.length; i++) sum = sum.add(grads[i].mul(v[i]).sumAll());
            return sum;
        }, inputs);
    }

    /** Autograd's gradient of Σ f·w against central differences, input by input, value by value. */
    private DynamicTest check(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        return DynamicTest.dynamicTest(name, () -> compare(name, f, inputs));
    }

    private void compare(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        float[][] values = Arrays.stream(inputs).map(Tensor::toArray).toArray(float[][]::new);
        Tensor[] leaves = leaves(inputs, values);
        Tensor out = f.apply(leaves);
        float[] w = randn(out.shape()).toArray();
        out.mul(Tensor.of(w, out.shape())).sumAll().backward();
        for (int i = 0; i < inputs.length; i++) {
            Tensor grad = leaves[i].grad();
            float[] analytic = grad == null ? new float[values[i].length] : grad.toArray();
            for (int j = 0; j < values[i].length; j++) {
                float saved = values[i][j];
                values[i][j] = (float) (saved + EPS);
                double plus = weightedSum(f, inputs, values, w);
                values[i][j] = (float) (saved - EPS);
                double minus = weightedSum(f, inputs, values, w);
                values[i][j] = saved;
                double numeric = (plus - minus) / (2 * EPS);
                if (!(Math.abs(analytic[j] - numeric) <= RTOL * Math.max(Math.abs(analytic[j]), Math.abs(numeric)) + ATOL)) {
                    fail(name + ": d/d(input " + i + ")[" + j + "] is " + analytic[j] + " by autograd, "
                            + numeric + " by finite differences");
                }
            }
        }
    }

    /** Σ f(inputs)·w accumulated in double from the float outputs. */
    private static double weightedSum(Function<Tensor[], Tensor> f, Tensor[] inputs, float[][] values, float[] w) {
        float[] y = f.apply(leaves(inputs, values)).toArray();
        double sum = 0;
        for (int k = 0; k < y.length; k++) sum += (double) y[k] * w[k];
        return sum;
    }

    private static Tensor[] leaves(Tensor[] inputs, float[][] values) {
        Tensor[] leaves = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) leaves[i] = Tensor.of(values[i], inputs[i].shape()).requiresGrad(true);
        return leaves;
    }

    // ---- inputs -----------------------------------------------------------------------------------

    private Tensor randn(int... shape) {
        float[] v = new float[Tensor.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian();
        return Tensor.of(v, shape);
    }

    private Tensor uniform(double low, double high, int... shape) {
        float[] v = new float[Tensor.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (low + (high - low) * random.nextDouble());
        return Tensor.of(v, shape);
    }

    /** Values 0.1 apart in random order, so a maximum never changes under a perturbation of EPS. */
    private Tensor distinct(int... shape) {
        int n = Tensor.numel(shape);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (i - n / 2f) * 0.1f;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            float s = v[i];
            v[i] = v[j];
            v[j] = s;
        }
        return Tensor.of(v, shape);
    }

    /** Pushes values within {@code margin} of any kink out to that distance. */
    private static Tensor awayFrom(Tensor t, double margin, double... kinks) {
        float[] v = t.toArray();
        for (int i = 0; i < v.length; i++) {
            for (double k : kinks) {
                double d = v[i] - k;
                if (Math.abs(d) < margin) v[i] = (float) (k + (d >= 0 ? margin : -margin));
            }
        }
        return Tensor.of(v, t.shape());
    }
}
