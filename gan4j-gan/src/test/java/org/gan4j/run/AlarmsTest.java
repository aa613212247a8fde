package org.gan4j.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gan4j.optim.OptimizerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlarmsTest {
    @TempDir
    Path tmp;

    private static List<String> kinds(List<Alarms.Alarm> alarms) {
        return alarms.stream().map(Alarms.Alarm::kind).toList();
    }

    @Test
    void aNonFiniteLossSoundsOncePerEpisode() {
        Alarms a = new Alarms(100);
        assertEquals(List.of(), a.step(1, 0.7f, 0.7f, 0.5f));
        assertEquals(List.of("loss"), kinds(a.step(2, Float.NaN, 0.7f, 0.5f)));
        assertEquals(List.of(), a.step(3, Float.POSITIVE_INFINITY, 0.7f, 0.5f));   // still the same episode
        assertEquals(List.of(), a.step(4, 0.7f, 0.7f, 0.5f));
        assertEquals(List.of("loss"), kinds(a.step(5, 0.7f, Float.NEGATIVE_INFINITY, 0.5f)));
        // a NaN G loss is how a step that trained only D reports itself: no alarm
        assertEquals(List.of(), new Alarms(100).step(1, 0.7f, Float.NaN, 0.5f));
        assertEquals(new Alarms.Alarm(9, "loss", "training diverged: loss_d is NaN"), a.diverged(9, "loss_d is NaN"));
    }

    @Test
    void dOfGzPinnedNearZeroOrOneSoundsAfterEnoughSteps() {
        Alarms a = new Alarms(50);
        List<Alarms.Alarm> raised = new ArrayList<>();
        for (int step = 1; step <= 49; step++) raised.addAll(a.step(step, 0.1f, 5f, 0.005f));
        assertEquals(List.of(), raised, "49 pinned steps are not yet 'long'");
        raised.addAll(a.step(50, 0.1f, 5f, 0.005f));
        assertEquals(List.of("d_fake_pinned"), kinds(raised));
        assertTrue(raised.get(0).message().contains("near 0"), raised.get(0).message());
        for (int step = 51; step <= 200; step++) assertEquals(List.of(), a.step(step, 0.1f, 5f, 0.005f), "sounds once");

        // one healthy step ends the episode; pinned near 1 for long enough sounds again
        assertEquals(List.of(), a.step(201, 0.7f, 0.7f, 0.4f));
        raised.clear();
        for (int step = 202; step <= 251; step++) raised.addAll(a.step(step, 3f, 0.01f, 0.995f));
        assertEquals(List.of("d_fake_pinned"), kinds(raised));
        assertTrue(raised.get(0).message().contains("near 1"), raised.get(0).message());
        assertEquals(251, raised.get(0).step());
    }

    @Test
    void dOfGzThatOnlyVisitsTheEdgesDoesNotSound() {
        Alarms a = new Alarms(50);
        for (int step = 1; step <= 1000; step++) assertEquals(List.of(), a.step(step, 0.5f, 1f, step % 2 == 0 ? 0.01f : 0.3f));
    }

    @Test
    void aLossWithoutProbabilitiesIsNeverPinned() {
        // hinge, least squares and Wasserstein report D(G(z)) as NaN: their scores have no edges to pin to
        Alarms a = new Alarms(50);
        for (int step = 1; step <= 1000; step++) assertEquals(List.of(), a.step(step, -1f, 5f, Float.NaN));
    }

    @Test
    void collapsingSampleDiversitySounds() {
        Alarms a = new Alarms();
        assertEquals(List.of(), a.diversity(100, 2.0));   // untrained G: alike samples
        assertEquals(List.of(), a.diversity(200, 8.0));
        assertEquals(List.of(), a.diversity(300, 6.0));   // a dip is not a collapse
        assertEquals(List.of("diversity"), kinds(a.diversity(400, 1.5)));
        assertEquals(List.of(), a.diversity(500, 1.0));
        assertEquals(List.of(), a.diversity(600, 7.0));
        assertEquals(List.of("diversity"), kinds(a.diversity(700, 0.1)));
    }

    @Test
    void meanPairwiseDistance() {
        // three points in 2-D: (0,0), (3,4), (0,4): distances 5, 4, 3
        assertEquals(4.0, Alarms.meanPairwiseDistance(new float[] {0, 0, 3, 4, 0, 4}, 3), 1e-12);
        assertEquals(0.0, Alarms.meanPairwiseDistance(new float[] {1, 2, 1, 2, 1, 2}, 3), 0);   // collapsed onto one point
    }

    @Test
    void aDivergingRunWritesItsAlarmsToTheLogAndAlarmsJsonl() throws Exception {
        Path run = tmp.resolve("nan");
        List<Alarms.Alarm> heard = new ArrayList<>();
        OptimizerSpec huge = OptimizerSpec.adam(1e12f, 0.5f, 0.999f);
        GanRun gan = GanRun.builder().model("mlp2d").data("ring8").mlp(new int[] {16}, new int[] {16}, null).batchSize(16)
                .optimizerG(huge).optimizerD(huge).steps(200).checkpointEvery(1).onNan("rollback", 1).directory(run)
                .listener(new RunListener() {
                    @Override
                    public void alarm(Alarms.Alarm alarm) {
                        heard.add(alarm);
                    }
                }).build();
        RunException e = assertThrows(RunException.class, gan::fit);
        assertTrue(e.getMessage().contains("giving up"), e.getMessage());
        assertFalse(heard.isEmpty());
        List<String> alarms = Files.readAllLines(run.resolve("alarms.jsonl"));
        assertTrue(alarms.size() >= 2 && alarms.stream().allMatch(l -> l.contains("\"kind\":\"loss\"")), alarms.toString());
    }
}
