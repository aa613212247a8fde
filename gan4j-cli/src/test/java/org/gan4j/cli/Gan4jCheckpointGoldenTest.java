package org.gan4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gan4j.nn.SafeTensors;
import org.gan4j.run.RunDirectory;
import org.gan4j.run.TrainedGenerator;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The other direction of PyTorchInteropTest: real gan4j training checkpoints, with gan4j's
 * images for a fixed noise batch, stored for src/test/python/pytorch_interop.py (selftest), which
 * loads them into PyTorch and checks PyTorch makes the same images. Here: the stored images are
 * still what gan4j makes of the stored checkpoint. {@code -Dgan4j.interop.write=true} trains new
 * runs and rewrites the files.
 */
class Gan4jCheckpointGoldenTest {
    private static final Path RESOURCES = Path.of("src/test/resources/interop");

    @TempDir
    Path tmp;

    private static String[] size(String model) {
        return model.contains("dcgan") ? new String[] {"--width", "4"} : new String[] {"--g-hidden", "16,32", "--d-hidden", "16"};
    }

    @ParameterizedTest
    @ValueSource(strings = {"dcgan28", "cgan-dcgan28", "mlp", "cgan-mlp"})
    void storedGan4jCheckpointGivesItsStoredImages(String model) throws IOException {
        if (Boolean.getBoolean("gan4j.interop.write")) write(model);
        Path run = tmp.resolve("run");
        Files.createDirectories(run.resolve("checkpoints"));
        Files.copy(RESOURCES.resolve("gan4j-" + model + ".config.json"), run.resolve("config.json"));
        Files.copy(RESOURCES.resolve("gan4j-" + model + ".checkpoint.safetensors"), run.resolve("checkpoints/step-000003.safetensors"));
        Files.writeString(run.resolve("checkpoints/latest"), "step-000003.safetensors\n");
        Map<String, Tensor> io = SafeTensors.read(RESOURCES.resolve("gan4j-" + model + ".io.safetensors")).tensors();
        for (boolean ema : new boolean[] {false, true}) {
            float diff = PyTorchInteropTest.maxAbsDiff(io.get(ema ? "images_ema" : "images").toArray(),
                    generate(TrainedGenerator.load(run, ema), io.get("z")).toArray());
            assertTrue(diff <= 1e-5f, model + (ema ? " (ema)" : "") + ": max abs difference " + diff);
        }
    }

    /** The model's images for noise z; classes 0, 1, 2, ... in turn when it is conditional. */
    private static Tensor generate(TrainedGenerator m, Tensor z) {
        try (var ng = Autograd.noGrad()) {
            return m.generator().generate(z, m.labels(z.size(0), null));
        }
    }

    /** Trains three steps and stores the run's config, its checkpoint and its images for a fixed noise batch. */
    private void write(String model) throws IOException {
        Path run = tmp.resolve("train");
        String[] base = {"train", "--model", model, "--steps", "3", "--batch-size", "8", "--ema", "0.5", "--device", "cpu", "--out", run.toString()};
        String[] sizes = size(model);
        String[] args = new String[base.length + sizes.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(sizes, 0, args, base.length, sizes.length);
        assertEquals(0, Main.run(args));
        Files.copy(run.resolve("config.json"), RESOURCES.resolve("gan4j-" + model + ".config.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(new RunDirectory(run).latestCheckpoint(), RESOURCES.resolve("gan4j-" + model + ".checkpoint.safetensors"), StandardCopyOption.REPLACE_EXISTING);
        TrainedGenerator plain = TrainedGenerator.load(run, false), averaged = TrainedGenerator.load(run, true);
        Tensor z = plain.generator().noise(8, Rng.seeded(5));
        Map<String, Tensor> io = new LinkedHashMap<>();
        io.put("z", z);
        int[] labels = plain.labels(8, null);
        if (labels != null) {
            float[] l = new float[labels.length];
            for (int i = 0; i < l.length; i++) l[i] = labels[i];
            io.put("labels", Tensor.of(l, l.length));
        }
        io.put("images", generate(plain, z));
        io.put("images_ema", generate(averaged, z));
        SafeTensors.write(RESOURCES.resolve("gan4j-" + model + ".io.safetensors"), io, Map.of("model", model));
    }
}
