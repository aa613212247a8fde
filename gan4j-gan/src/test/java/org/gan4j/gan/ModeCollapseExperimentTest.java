package org.gan4j.gan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The quick form of {@code gan4j experiment modes}: ring8, one seed, the plain GAN and PacGAN2 side
 * by side (two threads). PacGAN2 must cover at least 7 of the 8 modes; the plain GAN's figures are
 * printed, not asserted. -Dgan4j.modes.steps=N lengthens the runs.
 */
class ModeCollapseExperimentTest {
    private static final long STEPS = Long.getLong("gan4j.modes.steps", 1500);

    @Test
    void pacgan2CoversTheRing() {
        var gan = CompletableFuture.supplyAsync(() -> ModeCollapseExperiment.run("ring8", ModeCollapseExperiment.variant("gan"), 1, STEPS));
        var pac = CompletableFuture.supplyAsync(() -> ModeCollapseExperiment.run("ring8", ModeCollapseExperiment.variant("pacgan2"), 1, STEPS));
        List<ModeCollapseExperiment.Outcome> outcomes = List.of(gan.join(), pac.join());
        System.out.print(ModeCollapseExperiment.table(ModeCollapseExperiment.summarize(outcomes)));
        ModeCollapseExperiment.Outcome pacgan = outcomes.get(1);
        assertTrue(pacgan.result().modesCovered() >= 7, "PacGAN2 on ring8: " + pacgan.result());
    }
}
