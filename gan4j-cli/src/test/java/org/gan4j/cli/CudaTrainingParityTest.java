package org.gan4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gan4j.gan.Augmentation;
import org.gan4j.gan.GanLoss;
import org.gan4j.gan.GanModel;
import org.gan4j.gan.ModelOptions;
import org.gan4j.gan.Models;
import org.gan4j.gan.StepStats;
import org.gan4j.gan.TrainOptions;
import org.gan4j.gan.Trainer;
import org.gan4j.tensor.Backend;
import org.gan4j.tensor.BackendUnavailableException;
import org.gan4j.tensor.Backends;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Twenty two-phase DCGAN steps on the GPU and on the CPU from the same seeds end within 1e-3
 * relative of each other (every parameter tensor, by norm, and the last losses). Lives here
 * because this module sees both the CUDA backend and the models. Skips without a GPU.
 */
@Tag("gpu")
class CudaTrainingParityTest {
    private static final int STEPS = 20;

    private record Run(Map<String, float[]> parameters, StepStats last) {
    }

    @AfterEach
    void restoreCpu() {
        Backends.setDefault(Backends.cpu());
    }

    @Test
    void twentyStepsOnGpuAndCpuAgree() {
        compare(TrainOptions.defaults());
    }

    /** DiffAugment's transforms on the GPU are the engine's own ops (a gather, elementwise factors, a mask): no kernel of their own. */
    @Test
    void twentyStepsWithDiffAugmentOnGpuAndCpuAgree() {
        compare(TrainOptions.defaults().withAugmentation(Augmentation.named("diffaugment")));
    }

    private static void compare(TrainOptions options) {
        Backend gpu;
        try {
            gpu = Backends.get("cuda");
        } catch (BackendUnavailableException e) {
            gpu = null;
            assumeTrue(false, "no CUDA device: " + e.getMessage());
        }
        Run cpu = train(Backends.cpu(), options), cuda = train(gpu, options);
        assertEquals(cpu.parameters().keySet(), cuda.parameters().keySet());
        cpu.parameters().forEach((name, want) -> {
            double err = relative(want, cuda.parameters().get(name));
            assertTrue(err <= 1e-3, name + ": relative difference " + err);
        });
        assertEquals(cpu.last().lossD(), cuda.last().lossD(), 1e-3 * Math.abs(cpu.last().lossD()));
        assertEquals(cpu.last().lossG(), cuda.last().lossG(), 1e-3 * Math.abs(cpu.last().lossG()));
    }

    private static Run train(Backend backend, TrainOptions options) {
        Backends.setDefault(backend);
        GanModel model = Models.create("dcgan28", ModelOptions.defaults().withWidth(8), Rng.seeded(1));
        Trainer trainer = new Trainer(model, GanLoss.nonSaturating(), options, null, Rng.seeded(2));
        Rng data = Rng.seeded(3);
        StepStats last = null;
        for (int step = 0; step < STEPS; step++) {
            Tensor real = Tensor.rand(data, 16, 1, 28, 28).mul(2f).sub(1f);
            last = trainer.step(real, null);
        }
        Map<String, float[]> parameters = new LinkedHashMap<>();
        model.generator().namedParameters().forEach((k, v) -> parameters.put("G." + k, on(backend, v)));
        model.discriminator().namedParameters().forEach((k, v) -> parameters.put("D." + k, on(backend, v)));
        return new Run(parameters, last);
    }

    /** The values of a parameter that must have lived on {@code backend}, else both runs were the same. */
    private static float[] on(Backend backend, Tensor t) {
        assertSame(backend, t.backend());
        return t.toArray();
    }

    /** ‖b − a‖ / ‖a‖. */
    private static double relative(float[] a, float[] b) {
        double diff = 0, norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (double) (b[i] - a[i]) * (b[i] - a[i]);
            norm += (double) a[i] * a[i];
        }
        return Math.sqrt(diff / Math.max(norm, 1e-30));
    }
}
