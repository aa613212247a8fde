package org.gan4j.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.gan4j.data.Datasets;
import org.gan4j.metrics.DomainClassifier;
import org.gan4j.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick form of {@code gan4j experiment modes}: ring8, one seed, the plain GAN and PacGAN2 side
 * by side (two threads). PacGAN2 must cover at least 7 of the 8 modes; the plain GAN's figures are
 * printed, not asserted. -Dgan4j.modes.steps=N lengthens the runs. Stacked MNIST is run briefly,
 * for its wiring and the consistency of its figures; a short arm, for what its run directory holds
 * and how a second call reuses it.
 */
class ModeCollapseExperimentTest {
    private static final long STEPS = Long.getLong("gan4j.modes.steps", 4000);

    @TempDir
    Path tmp;

    @Test
    void pacgan2CoversTheRing() {
        var gan = CompletableFuture.supplyAsync(() -> ModeCollapseExperiment.run(tmp, "ring8", ModeCollapseExperiment.variant("gan"), 1, STEPS));
        var pac = CompletableFuture.supplyAsync(() -> ModeCollapseExperiment.run(tmp, "ring8", ModeCollapseExperiment.variant("pacgan2"), 1, STEPS));
        List<ModeCollapseExperiment.Outcome> outcomes = List.of(gan.join(), pac.join());
        System.out.print(ModeCollapseExperiment.table(ModeCollapseExperiment.summarize(outcomes)));
        ModeCollapseExperiment.Outcome pacgan = outcomes.get(1);
        assertTrue(pacgan.modes() >= 7, "PacGAN2 on ring8: " + pacgan.describe());
    }

    @Test
    void stackedMnistRunsArePackedAndJudgedChannelByChannel() {
        // a narrow classifier from one pass over the shipped digits: enough to label blurry channels
        DomainClassifier digits = new DomainClassifier("mnist-tiny", new DomainClassifier.Architecture(1, 28, 4, 8, 16, 10), Rng.seeded(1));
        var mnist = Datasets.mnistShipped();
        digits.train(mnist, mnist, 1, 64, 0, Rng.seeded(2), s -> { });
        var v = ModeCollapseExperiment.variant("pacgan3");   // the batch of 64 is cut to 63, 21 packs
        var o = ModeCollapseExperiment.run(tmp, ModeCollapseExperiment.STACKED, v, 1, 3, digits, 1000, System.out::println);
        System.out.println("stacked-mnist, pacgan3, 3 steps: " + o.describe());
        assertEquals(1000, o.modesPossible());
        assertTrue(Double.isNaN(o.highQualityShare()));
        // KL(q ‖ uniform) = ln 1000 - H(q), and q spread over m modes has H(q) ≤ ln m
        assertTrue(o.kl() >= Math.log(1000.0 / o.modes()) - 1e-9 && o.kl() <= Math.log(1000) + 1e-9, o.describe());
        var e = assertThrows(IllegalArgumentException.class, () -> ModeCollapseExperiment.run(tmp, ModeCollapseExperiment.STACKED, v, 1, 3));
        assertEquals("stacked-mnist needs an MNIST classifier to judge its samples", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModeCollapseExperiment.data("ring9"));
        assertEquals("unknown dataset 'ring9' (known: ring8, grid25, stacked-mnist)", e.getMessage());
    }

    @Test
    void anArmTrainsInItsRunDirectoryAndIsJudgedAgainWithoutTraining() throws Exception {
        var v = ModeCollapseExperiment.variant("pacgan2");
        List<String> lines = new ArrayList<>();
        var first = ModeCollapseExperiment.run(tmp, "ring8", v, 3, 20, null, 500, lines::add);
        Path dir = tmp.resolve("ring8/pacgan2-seed3");
        assertEquals(dir, ModeCollapseExperiment.runDirectory(tmp, "ring8", v, 3));
        assertEquals("ring8 pacgan2 seed 3: step 2 of 20", lines.getFirst());
        RunConfig config = new RunDirectory(dir).readConfig();
        assertEquals(2, config.countermeasures().pack());
        assertEquals(100, config.batchSize());
        assertEquals(10, names(dir.resolve("samples")).size());
        assertEquals(List.of("latest", "step-000020.safetensors"), names(dir.resolve("checkpoints")));

        lines.clear();
        var again = ModeCollapseExperiment.run(tmp, "ring8", v, 3, 20, null, 500, lines::add);
        assertEquals(List.of("ring8 pacgan2 seed 3: resumed from checkpoints/step-000020.safetensors at step 20"), lines);
        assertEquals(first.describe(), again.describe());

        // lengthened, it continues as if it had been asked for 30 steps from the start
        var longer = ModeCollapseExperiment.run(tmp, "ring8", v, 3, 30, null, 500, line -> { });
        var fresh = ModeCollapseExperiment.run(tmp.resolve("fresh"), "ring8", v, 3, 30, null, 500, line -> { });
        assertEquals(fresh.describe(), longer.describe());
        assertEquals(List.of("latest", "step-000020.safetensors", "step-000030.safetensors"), names(dir.resolve("checkpoints")));
        var e = assertThrows(RunException.class, () -> ModeCollapseExperiment.run(tmp, "ring8", v, 3, 20, null, 500, line -> { }));
        assertEquals(dir + " holds a run of 30 steps, not 20; choose another folder", e.getMessage());
    }

    private static List<String> names(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
