package org.gan4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.gan4j.nn.Functional;
import org.gan4j.nn.Loss;
import org.gan4j.optim.Adam;
import org.gan4j.optim.Optimizer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Rebuilds every case that make_golden.py computed with PyTorch (resources/golden) from the
 * stored inputs, and compares the output and the gradients of sum(out · gout).
 */
class GoldenTest {
    /** Ops whose long dot products round differently from PyTorch's kernels. */
    private static final Set<String> LONG_SUMS = Set.of("conv2d", "conv_transpose2d", "matmul");
    private static final int CASES = 80;

    @TestFactory
    Stream<DynamicTest> pytorchParity() throws IOException, URISyntaxException {
        Path dir = Path.of(GoldenTest.class.getResource("/golden").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
        }
        assertEquals(CASES, files.size(), "golden files in " + dir);
        return files.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString().replace(".safetensors", ""),
                () -> check(GoldenFile.read(p))));
    }

    private static void check(GoldenFile f) {
        String op = f.str("op");
        double tol = LONG_SUMS.contains(op) ? 1e-4 : 1e-5;
        switch (op) {
            case "adam" -> checkAdam(f, tol);
            case "gan_step" -> checkGanStep(f, tol);
            default -> checkOp(f, op, tol);
        }
    }

    /** Inputs with a stored gradient require one; out and out.* are compared, then gout is backpropagated. */
    private static void checkOp(GoldenFile f, String op, double tol) {
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (String key : f.values().keySet()) {
            if (!key.startsWith("in.")) continue;
            String name = key.substring(3);
            in.put(name, f.tensor(key).requiresGrad(f.has("grad." + name)));
        }
        Map<String, Tensor> outputs = build(op, in, f);
        for (String key : f.values().keySet()) {
            if (key.equals("out") || key.startsWith("out.")) {
                assertNotNull(outputs.get(key), f.name() + ": nothing computed for " + key);
                assertClose(f, key, outputs.get(key), tol);
            }
        }
        if (!f.has("gout")) return;
        outputs.get("out").backward(f.tensor("gout"));
        for (String key : f.values().keySet()) {
            if (!key.startsWith("grad.")) continue;
            // an input the output does not depend on gets no gradient, as PyTorch's None; compare it as zeros
            Tensor input = in.get(key.substring(5));
            assertClose(f, key, input.grad() != null ? input.grad() : Tensor.zerosLike(input), tol);
        }
    }

    private static Map<String, Tensor> build(String op, Map<String, Tensor> in, GoldenFile f) {
        Tensor x = in.get("x"), a = in.get("a"), b = in.get("b");
        Tensor input = in.get("input"), target = in.get("target");
        Map<String, Tensor> extra = new LinkedHashMap<>();
        Tensor out = switch (op) {
            case "add" -> a.add(b);
            case "sub" -> a.sub(b);
            case "mul" -> a.mul(b);
            case "div" -> a.div(b);
            case "pow" -> a.pow(b);
            case "neg" -> x.neg();
            case "exp" -> x.exp();
            case "log" -> x.log();
            case "sqrt" -> x.sqrt();
            case "abs" -> x.abs();
            case "clamp" -> x.clamp(f.number("min"), f.number("max"));
            case "relu" -> x.relu();
            case "leaky_relu" -> x.leakyRelu(f.number("slope"));
            case "tanh" -> x.tanh();
            case "sigmoid" -> x.sigmoid();
            case "softplus" -> x.softplus();
            case "logsigmoid" -> x.logSigmoid();
            case "where" -> Tensor.where(in.get("cond"), a, b);
            case "sum" -> x.sum(f.ints("axes"), f.flag("keepdim"));
            case "mean" -> x.mean(f.ints("axes"), f.flag("keepdim"));
            case "max" -> x.max(f.integer("axis"), f.flag("keepdim"));
            case "var" -> x.var(f.ints("axes"), f.flag("unbiased"), f.flag("keepdim"));
            case "logsumexp" -> x.logsumexp(f.integer("axis"), f.flag("keepdim"));
            case "softmax" -> x.softmax(f.integer("axis"));
            case "log_softmax" -> x.logSoftmax(f.integer("axis"));
            case "matmul" -> input.matmul(in.get("other"));
            case "permute" -> x.permute(f.ints("order"));
            case "concat" -> Tensor.concat(f.integer("axis"), a, b);
            case "slice" -> x.slice(f.integer("axis"), f.integer("start"), f.integer("end"));
            case "index_select" -> x.indexSelect(f.integer("axis"), f.indices("in.index"));
            case "pad" -> x.pad(f.ints("before"), f.ints("after"), f.number("value"));
            case "conv2d" -> Functional.conv2d(x, in.get("weight"), in.get("bias"), f.integer("stride"), f.integer("padding"),
                    f.meta().containsKey("groups") ? f.integer("groups") : 1);
            case "conv_transpose2d" -> Functional.convTranspose2d(x, in.get("weight"), in.get("bias"),
                    f.integer("stride"), f.integer("padding"), f.integer("output_padding"));
            case "batch_norm" -> {
                Tensor runningMean = in.get("running_mean"), runningVar = in.get("running_var");
                extra.put("out.running_mean", runningMean);
                extra.put("out.running_var", runningVar);
                yield Functional.batchNorm(x, runningMean, runningVar, in.get("weight"), in.get("bias"),
                        f.flag("training"), f.number("momentum"), f.number("eps"));
            }
            case "layer_norm" -> Functional.layerNorm(x, f.integer("normalized_dims"), in.get("weight"), in.get("bias"),
                    f.number("eps"));
            case "embedding" -> Functional.embedding(f.indices("in.indices"), in.get("weight"));
            case "max_pool2d" -> Functional.maxPool2d(x, f.integer("kernel"), f.integer("stride"), f.integer("padding"));
            case "avg_pool2d" -> Functional.avgPool2d(x, f.integer("kernel"), f.integer("stride"), f.integer("padding"));
            case "upsample_nearest" -> Functional.upsampleNearest(x, f.integer("factor"));
            case "filtered_downsample" -> Functional.filteredDownsample(x, Functional.binomialFilter());
            case "filtered_upsample" -> Functional.filteredUpsample(x, Functional.binomialFilter());
            case "bce_with_logits" -> Loss.bceWithLogits(input, target);
            case "bce" -> Loss.bce(input, target);
            case "bce_sigmoid" -> Loss.bce(input.sigmoid(), target);
            case "mse" -> Loss.mse(input, target);
            case "cross_entropy" -> Loss.crossEntropy(input, f.indices("in.target"));
            case "hinge" -> Loss.hinge(input, target);
            case "r1_conv" -> r1(x, v -> {
                Tensor h = Functional.conv2d(v, in.get("conv_w"), in.get("conv_b"), 2, 1).leakyRelu(f.number("slope"));
                return Functional.linear(h.flatten(1), in.get("lin_w"), in.get("lin_b"));
            });
            case "r1_mlp" -> r1(x, v -> Functional.linear(
                    Functional.linear(v, in.get("w1"), in.get("b1")).tanh(), in.get("w2"), in.get("b2")));
            default -> throw new AssertionError(f.name() + ": no rebuild for op " + op);
        };
        extra.put("out", out);
        return extra;
    }

    /** R1: the batch sum of ||∇ₓ D(x)||², still differentiable in D's weights. */
    private static Tensor r1(Tensor x, UnaryOperator<Tensor> d) {
        Tensor g = Autograd.grad(new Tensor[] {d.apply(x)}, new Tensor[] {x}, true)[0];
        return g.mul(g).sumAll();
    }

    /** Ten steps of Adam (or AdamW) on a linear regression, comparing the parameters after each. */
    private static void checkAdam(GoldenFile f, double tol) {
        Tensor x = f.tensor("in.x"), y = f.tensor("in.y");
        Tensor weight = f.tensor("in.weight").requiresGrad(true), bias = f.tensor("in.bias").requiresGrad(true);
        Optimizer opt = adam(List.of(weight, bias), f);
        for (int step = 1; step <= f.integer("steps"); step++) {
            opt.zeroGrad();
            Loss.mse(Functional.linear(x, weight, bias), y).backward();
            opt.step();
            assertClose(f, "step" + step + ".weight", weight, tol);
            assertClose(f, "step" + step + ".bias", bias, tol);
        }
    }

    /**
     * One training step of a tiny MLP GAN: D on real x and detached G(z), step D; then G through
     * D on fresh noise z2, step G only.
     */
    private static void checkGanStep(GoldenFile f, double tol) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (String key : f.values().keySet()) {
            if (key.startsWith("init.")) params.put(key.substring(5), f.tensor(key).requiresGrad(true));
        }
        UnaryOperator<Tensor> g = z -> Functional.linear(
                Functional.linear(z, params.get("G.0.weight"), params.get("G.0.bias")).relu(),
                params.get("G.2.weight"), params.get("G.2.bias")).tanh();
        UnaryOperator<Tensor> d = v -> Functional.linear(
                Functional.linear(v, params.get("D.0.weight"), params.get("D.0.bias")).leakyRelu(f.number("slope")),
                params.get("D.2.weight"), params.get("D.2.bias"));
        Optimizer optG = adam(params.entrySet().stream().filter(e -> e.getKey().startsWith("G.")).map(Map.Entry::getValue).toList(), f);
        Optimizer optD = adam(params.entrySet().stream().filter(e -> e.getKey().startsWith("D.")).map(Map.Entry::getValue).toList(), f);
        Tensor ones = Tensor.ones(5, 1), zeros = Tensor.zeros(5, 1);

        optD.zeroGrad();
        Tensor lossD = Loss.bceWithLogits(d.apply(f.tensor("in.x")), ones)
                .add(Loss.bceWithLogits(d.apply(g.apply(f.tensor("in.z")).detach()), zeros));
        lossD.backward();
        optD.step();
        assertClose(f, "loss_d", lossD, tol);
        params.forEach((n, p) -> assertClose(f, "after_d." + n, p, tol));

        optG.zeroGrad();
        Tensor lossG = Loss.bceWithLogits(d.apply(g.apply(f.tensor("in.z2"))), ones);
        lossG.backward();
        optG.step();
        assertClose(f, "loss_g", lossG, tol);
        params.forEach((n, p) -> assertClose(f, "after_g." + n, p, tol));
    }

    private static Optimizer adam(List<Tensor> params, GoldenFile f) {
        float weightDecay = f.meta().containsKey("weight_decay") ? f.number("weight_decay") : 0f;
        boolean decoupled = f.meta().containsKey("decoupled") && f.flag("decoupled");
        return new Adam(params, f.number("lr"), f.number("beta1"), f.number("beta2"), f.number("eps"), weightDecay, decoupled);
    }

    /** |actual - expected| ≤ tol · max(1, |expected|) everywhere, shapes equal. */
    static void assertClose(GoldenFile f, String key, Tensor actual, double tol) {
        assertArrayEquals(f.shapes().get(key), actual.shape(), f.name() + ": shape of " + key);
        float[] expected = f.values().get(key), got = actual.toArray();
        for (int i = 0; i < expected.length; i++) {
            double bound = tol * Math.max(1, Math.abs(expected[i]));
            if (!(Math.abs(got[i] - expected[i]) <= bound)) {
                fail(f.name() + ": " + key + "[" + i + "] is " + got[i] + ", PyTorch gives " + expected[i]
                        + " (tolerance " + bound + ")");
            }
        }
    }
}
