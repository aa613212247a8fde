package org.gan4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.gan4j.export.OnnxExport;
import org.gan4j.gan.Generator;
import org.gan4j.gan.ModelOptions;
import org.gan4j.gan.Models;
import org.gan4j.nn.BatchNorm;
import org.gan4j.nn.Dropout;
import org.gan4j.nn.Linear;
import org.gan4j.nn.Sequential;
import org.gan4j.nn.Tanh;
import org.gan4j.run.TrainedGenerator;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exported generators, run by ONNX Runtime, give gan4j's own images for the same noise. */
class OnnxExportTest {
    private static final float TOLERANCE = 1e-5f;

    @TempDir
    Path tmp;

    /** ONNX Runtime's images for noise z (and labels, when the model takes them). */
    static float[] runOnnx(byte[] model, Tensor z, int[] labels, long[] expectedShape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("z", OnnxTensor.createTensor(env, FloatBuffer.wrap(z.toArray()), new long[] {z.size(0), z.size(1)}));
            if (labels != null) {
                long[] l = new long[labels.length];
                for (int i = 0; i < l.length; i++) l[i] = labels[i];
                inputs.put("label", OnnxTensor.createTensor(env, LongBuffer.wrap(l), new long[] {l.length}));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                OnnxTensor images = (OnnxTensor) result.get("images").orElseThrow();
                assertArrayEquals(expectedShape, images.getInfo().getShape());
                FloatBuffer b = images.getFloatBuffer();
                float[] out = new float[b.remaining()];
                b.get(out);
                return out;
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        }
    }

    private static long[] longs(int[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < shape.length; i++) out[i] = shape[i];
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dcgan28", "cgan-dcgan28", "mlp", "cgan-mlp"})
    void exportCommandWritesAModelThatOnnxRuntimeRunsLikeGan4j(String model) throws Exception {
        Path run = PyTorchInteropTest.imported(model, tmp);
        Path onnx = tmp.resolve(model + ".onnx");
        var r = CommandLine.run("export", run.toString(), "--format", "onnx", "--out", onnx.toString());
        assertEquals(0, r.status(), r.err());

        var golden = PyTorchInteropTest.Golden.of(model);
        Tensor own;
        try (var ng = Autograd.noGrad()) {
            own = TrainedGenerator.load(run, false).generator().generate(golden.z(), golden.labels());
        }
        float[] ort = runOnnx(Files.readAllBytes(onnx), golden.z(), golden.labels(), longs(own.shape()));
        float diff = PyTorchInteropTest.maxAbsDiff(own.toArray(), ort);
        assertTrue(diff <= TOLERANCE, model + ": ONNX Runtime vs gan4j, max abs difference " + diff);
        float vsTorch = PyTorchInteropTest.maxAbsDiff(golden.images().toArray(), ort);
        System.out.println(model + ": ONNX Runtime vs gan4j, max abs difference " + diff + "; vs PyTorch " + vsTorch);
        assertTrue(vsTorch <= TOLERANCE, model + ": ONNX Runtime vs PyTorch, max abs difference " + vsTorch);
    }

    /** Bias-free transposed convolutions from a 1×1 start (dcgan64) and a 2-D output (mlp2d), with non-trivial BatchNorm statistics. */
    @ParameterizedTest
    @ValueSource(strings = {"dcgan64", "mlp2d"})
    void otherArchitecturesMatchToo(String model) throws OrtException {
        Rng rng = Rng.seeded(3);
        Generator g = Models.create(model, ModelOptions.defaults().withWidth(8).withGHidden(16, 16), rng).generator();
        for (var m : g.modules()) {
            if (m instanceof BatchNorm b) {
                int n = b.runningMean().numel();
                b.runningMean().assign(Tensor.randn(rng, n).mul(0.1f));
                b.runningVar().assign(Tensor.rand(rng, n).add(0.5f));
            }
        }
        g.eval();
        Tensor z = g.noise(5, rng), own;
        try (var ng = Autograd.noGrad()) {
            own = g.generate(z, null);
        }
        float[] ort = runOnnx(OnnxExport.of(g, model, "test").toByteArray(), z, null, longs(own.shape()));
        float diff = PyTorchInteropTest.maxAbsDiff(own.toArray(), ort);
        assertTrue(diff <= TOLERANCE, model + ": max abs difference " + diff);
    }

    @Test
    void aLayerWithNoOnnxFormIsRefusedNamingIt() {
        Generator g = new Generator(new Sequential(new Linear(4, 8), new Dropout(0.5f), new Tanh()), 4, new int[] {8});
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.of(g, "test", "test"));
        assertTrue(e.getMessage().contains("main.1") && e.getMessage().contains("no ONNX form"), e.getMessage());
    }

    @Test
    void theResidualModelsAreRefusedNamingTheirFirstLayer() {
        Generator g = Models.create("resnet28", ModelOptions.defaults().withWidth(8), Rng.seeded(1)).generator();
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.of(g, "resnet28", "test"));
        assertEquals("ONNX export: layer main.0 (GenerativeBasis) has no ONNX form in gan4j yet", e.getMessage());
    }

    @Test
    void unknownFormatIsRefused() throws IOException {
        Path run = PyTorchInteropTest.imported("mlp", tmp);
        var r = CommandLine.run("export", run.toString(), "--format", "tflite", "--out", tmp.resolve("g").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("--format: unknown format 'tflite'"), r.err());
    }
}
