package org.gan4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The mode-collapse countermeasures against PyTorch (resources/golden-countermeasures, written by
 * make_golden_countermeasures.py): torch.nn.utils.spectral_norm itself, and torch-op versions of
 * minibatch discrimination and minibatch standard deviation.
 */
class CountermeasureGoldenTest {
    private static final float TOL = 1e-5f;

    private static Map<String, Tensor> golden(String name) throws URISyntaxException {
        return SafeTensors.read(Path.of(CountermeasureGoldenTest.class.getResource("/golden-countermeasures/" + name + ".safetensors").toURI())).tensors();
    }

    @Test
    void spectralNormLinearTrainingMatchesPyTorch() throws Exception {
        Map<String, Tensor> g = golden("spectral_norm_linear_train");
        checkSpectralNorm(g, new Linear(6, 4), 3, true);
    }

    @Test
    void spectralNormLinearEvalMatchesPyTorch() throws Exception {
        Map<String, Tensor> g = golden("spectral_norm_linear_eval");
        checkSpectralNorm(g, new Linear(5, 3), 1, false);
    }

    @Test
    void spectralNormConvTrainingMatchesPyTorch() throws Exception {
        Map<String, Tensor> g = golden("spectral_norm_conv_train");
        checkSpectralNorm(g, new Conv2d(3, 4, 3, 2, 1), 2, true);
    }

    /** Loads PyTorch's starting state, runs the same forwards, compares outputs, gradients and the updated u, v. */
    private static void checkSpectralNorm(Map<String, Tensor> g, WeightedLayer layer, int forwards, boolean train) {
        SpectralNorm sn = new SpectralNorm(layer, Rng.seeded(1));
        sn.loadStateDict(Map.of("weight_orig", g.get("in.weight_orig"), "bias", g.get("in.bias"),
                "weight_u", g.get("in.weight_u"), "weight_v", g.get("in.weight_v")), true);
        sn.train(train);
        Tensor x = g.get("in.x").requiresGrad(true);
        Tensor out = null;
        for (int i = 0; i < forwards; i++) {
            out = sn.forward(x);
            close("out." + i, g.get("out." + i), out);
        }
        out.mul(g.get("gout")).sumAll().backward();
        close("grad.x", g.get("grad.x"), x.grad());
        close("grad.weight_orig", g.get("grad.weight_orig"), sn.weightOrig().grad());
        close("grad.bias", g.get("grad.bias"), layer.bias().grad());
        close("after.weight_u", g.get("after.weight_u"), sn.u());
        close("after.weight_v", g.get("after.weight_v"), sn.v());
    }

    @Test
    void spectralNormKeepsPyTorchStateNames() {
        SpectralNorm sn = new SpectralNorm(new Linear(3, 2), Rng.seeded(1));
        assertEquals(java.util.List.of("bias", "weight_orig", "weight_u", "weight_v"), java.util.List.copyOf(sn.stateDict().keySet()));
        assertEquals(2, sn.parameters().size());
    }

    @Test
    void minibatchDiscriminationMatchesTorchOps() throws Exception {
        Map<String, Tensor> g = golden("minibatch_discrimination");
        Tensor x = g.get("in.x").requiresGrad(true), t = g.get("in.t").requiresGrad(true);
        Tensor out = MinibatchDiscrimination.apply(x, t, 3, 2);
        close("out", g.get("out.0"), out);
        out.mul(g.get("gout")).sumAll().backward();
        close("grad.x", g.get("grad.x"), x.grad());
        close("grad.t", g.get("grad.t"), t.grad());
    }

    @Test
    void minibatchStdMatchesTorchOps() throws Exception {
        for (String name : new String[] {"minibatch_std_2d", "minibatch_std_4d"}) {
            Map<String, Tensor> g = golden(name);
            Tensor x = g.get("in.x").requiresGrad(true);
            Tensor out = new MinibatchStdDev().forward(x);
            close(name + " out", g.get("out.0"), out);
            out.mul(g.get("gout")).sumAll().backward();
            close(name + " grad.x", g.get("grad.x"), x.grad());
        }
    }

    private static void close(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        float[] e = expected.toArray(), a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= TOL * (1 + Math.abs(e[i])))) {
                throw new AssertionError(what + "[" + i + "]: PyTorch " + e[i] + ", gan4j " + a[i]);
            }
        }
    }
}
