package org.gan4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gan4j.gan.Generator;
import org.gan4j.gan.ModelOptions;
import org.gan4j.gan.Models;
import org.gan4j.nn.SafeTensors;
import org.gan4j.run.TrainedGenerator;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /** A run directory made by import-weights from the golden PyTorch weights of {@code model}. */
    static Path imported(String model, Path dir) {
        Path run = dir.resolve(model);
        var r = CommandLine.run("import-weights", resource(model + ".safetensors").toString(), "--model", model, "--out", run.toString());
        assertEquals(0, r.status(), r.err());
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
        TrainedGenerator m = TrainedGenerator.load(imported(model, tmp), false);
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
        var r = CommandLine.run("generate", tmp.resolve(model).toString(), "--count", "4", "--out", tmp.resolve(model + ".png").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.isRegularFile(tmp.resolve(model + ".png")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet28", "resnet64"})
    void aResidualGeneratorImportsAtTheWidthAndChannelsOfItsWeights(String model) {
        Generator g = Models.create(model, ModelOptions.defaults().withWidth(8).withChannels(3), Rng.seeded(5)).generator();
        Path file = tmp.resolve(model + "-weights.safetensors");
        SafeTensors.write(file, g.stateDict(), Map.of());
        var r = CommandLine.run("import-weights", file.toString(), "--model", model, "--out", tmp.resolve(model).toString());
        assertEquals(0, r.status(), r.err());
        TrainedGenerator imported = TrainedGenerator.load(tmp.resolve(model));
        assertEquals(8, imported.config().width());
        assertEquals(3, imported.config().channels());
        g.eval();
        Tensor z = g.noise(2, Rng.seeded(9));
        try (var ng = Autograd.noGrad()) {
            assertArrayEquals(g.generate(z, null).toArray(), imported.generate(z, null).toArray());
        }
    }

    @Test
    void weightsOfAnotherArchitectureAreRefusedNamingTheProblem() {
        var r = CommandLine.run("import-weights", resource("cgan-dcgan28.safetensors").toString(), "--model", "dcgan28", "--out", tmp.resolve("x").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("does not hold a dcgan28 generator") && r.err().contains("main.0.weight"), r.err());
        r = CommandLine.run("import-weights", resource("dcgan28.safetensors").toString(), "--model", "mlp", "--out", tmp.resolve("x").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("no MLP generator"), r.err());
        r = CommandLine.run("import-weights", tmp.resolve("missing.safetensors").toString(), "--model", "mlp", "--out", tmp.resolve("y").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("no such file"), r.err());
    }

    @Test
    void aDamagedFileIsRefusedInOneLineAndNoRunIsMade() throws Exception {
        Path bad = Files.write(tmp.resolve("bad.safetensors"), new byte[] {1, 2, 3});
        var r = CommandLine.run("import-weights", bad.toString(), "--model", "mlp", "--out", tmp.resolve("z").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("gan4j: ") && r.err().contains("too short") && r.err().strip().lines().count() == 1, r.err());
        assertTrue(Files.notExists(tmp.resolve("z")));
    }
}
