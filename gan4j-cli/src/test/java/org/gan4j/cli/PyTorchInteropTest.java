package org.gan4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gan4j.nn.SafeTensors;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Generators trained in PyTorch, imported with import-weights, give PyTorch's images for the
 * same noise. The weights, noise and images come from src/test/python/pytorch_interop.py.
 */
class PyTorchInteropTest {
    @TempDir
    Path tmp;

    static Path resource(String name) {
        try {
            return Path.of(PyTorchInteropTest.class.getResource("/interop/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the command line; returns its status and what it printed to stderr. */
    static Map.Entry<Integer, String> gan4j(String... args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return Map.entry(Main.run(args), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
        }
    }

    /** A run directory made by import-weights from the golden PyTorch weights of {@code model}. */
    static Path imported(String model, Path dir) {
        Path run = dir.resolve(model);
        var r = gan4j("import-weights", resource(model + ".safetensors").toString(), "--model", model, "--out", run.toString());
        assertEquals(0, r.getKey(), r.getValue());
        return run;
    }

    /** The noise batch, labels (null when unconditional) and PyTorch's images for {@code model}. */
    record Golden(Tensor z, int[] labels, Tensor images) {
        static Golden of(String model) {
            Map<String, Tensor> io = SafeTensors.read(resource(model + ".io.safetensors")).tensors();
            int[] labels = null;
            if (model.startsWith("cgan-")) {
                float[] l = io.get("labels").toArray();
                labels = new int[l.length];
                for (int i = 0; i < l.length; i++) labels[i] = (int) l[i];
            }
            return new Golden(io.get("z"), labels, io.get("images"));
        }
    }

    static float maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        float worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        return worst;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dcgan28", "cgan-dcgan28", "mlp", "cgan-mlp"})
    void importedPyTorchGeneratorMakesPyTorchsImages(String model) {
        TrainedModel m = TrainedModel.load(imported(model, tmp), false);
        Golden g = Golden.of(model);
        Tensor images;
        try (var ng = Autograd.noGrad()) {
            images = m.generator().generate(g.z(), g.labels());
        }
        assertEquals(Tensor.shapeString(g.images().shape()), Tensor.shapeString(images.shape()));
        float diff = maxAbsDiff(g.images().toArray(), images.toArray());
        System.out.println(model + ": gan4j vs PyTorch, max abs difference " + diff);
        assertTrue(diff <= 1e-5f, model + ": max abs difference " + diff);
        // and the imported run is a run the other commands accept
        var r = gan4j("generate", tmp.resolve(model).toString(), "--count", "4", "--out", tmp.resolve(model + ".png").toString());
        assertEquals(0, r.getKey(), r.getValue());
        assertTrue(Files.isRegularFile(tmp.resolve(model + ".png")));
    }

    @Test
    void weightsOfAnotherArchitectureAreRefusedNamingTheProblem() {
        var r = gan4j("import-weights", resource("cgan-dcgan28.safetensors").toString(), "--model", "dcgan28", "--out", tmp.resolve("x").toString());
        assertEquals(1, r.getKey());
        assertTrue(r.getValue().contains("does not hold a dcgan28 generator") && r.getValue().contains("main.0.weight"), r.getValue());
        r = gan4j("import-weights", resource("dcgan28.safetensors").toString(), "--model", "mlp", "--out", tmp.resolve("x").toString());
        assertEquals(1, r.getKey());
        assertTrue(r.getValue().contains("no MLP generator"), r.getValue());
        r = gan4j("import-weights", tmp.resolve("missing.safetensors").toString(), "--model", "mlp", "--out", tmp.resolve("y").toString());
        assertEquals(1, r.getKey());
        assertTrue(r.getValue().contains("no such file"), r.getValue());
    }
}
