package org.gan4j.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.gan4j.gan.Augmentation;
import org.gan4j.gan.GanLoss;
import org.gan4j.gan.ModelOptions;
import org.gan4j.gan.Models;
import org.gan4j.gan.TrainOptions;
import org.gan4j.gan.Trainer;
import org.gan4j.metrics.ShuffledSubset;
import org.gan4j.nn.SafeTensors;
import org.gan4j.optim.OptimizerSpec;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Augmentation and the data limit in a run: exact resume with ADA's p, the limit's seeded choice and its record, bad settings. */
class AugmentRunTest {
    @TempDir
    Path tmp;

    /** A narrow dcgan28 on 200 of the shipped digits; a quick D and a quick ADA, so that p moves within a few steps. */
    private static RunBuilder small(Path dir) {
        return GanRun.builder().model("dcgan28").widths(4, 4, 0).data("mnist-test").dataLimit(200).batchSize(16)
                .optimizerD(OptimizerSpec.adam(2e-3f, 0.5f, 0.999f)).augment(new Augmentation("ada", 0.1f, 2, 100)).sampleEvery(100).checkpointEvery(3).seed(5).directory(dir);
    }

    @Test
    void aResumedAdaRunEndsWithTheBitsOfOneThatNeverStopped() throws Exception {
        GanRun whole = small(tmp.resolve("whole")).steps(10).build();
        whole.fit();
        small(tmp.resolve("parts")).steps(5).build().fit();   // its last checkpoint falls in the middle of an adjustment interval
        GanRun resumed = GanRun.builder().resume(tmp.resolve("parts")).steps(10).build();
        assertArrayEquals(((ShuffledSubset) whole.data()).order(), ((ShuffledSubset) resumed.data()).order(), "the same 200 images");
        resumed.fit();
        var a = SafeTensors.read(tmp.resolve("whole/checkpoints/step-000010.safetensors"));
        var b = SafeTensors.read(tmp.resolve("parts/checkpoints/step-000010.safetensors"));
        assertEquals(a.tensors().keySet(), b.tensors().keySet());
        a.tensors().forEach((name, t) -> assertArrayEquals(t.toArray(), b.tensors().get(name).toArray(), name));
        for (String key : List.of("ada_p", "ada_interval", "augment_rng", "rng")) assertEquals(a.metadata().get(key), b.metadata().get(key), key);
        List<Object> pWhole = whole.history().stream().map(m -> m.get("ada_p")).toList();
        List<Object> pResumed = resumed.history().stream().map(m -> m.get("ada_p")).toList();
        assertEquals(pWhole, pResumed, "p step by step in metrics.jsonl");
        assertTrue(pWhole.stream().anyMatch(p -> (double) p > 0), "p moved in this run: " + pWhole);
    }

    @Test
    void theDataLimitIsASeededChoiceRecordedInTheConfig() throws Exception {
        GanRun run = small(tmp.resolve("limited")).steps(1).build();
        run.fit();
        assertEquals(200, run.data().size());
        assertEquals(200, run.config().dataLimit());
        assertEquals(200, new RunDirectory(tmp.resolve("limited")).readConfig().dataLimit(), "config.json");
        String config = Files.readString(tmp.resolve("limited/config.json"));
        assertTrue(config.contains("\"dataLimit\" : 200") && config.contains("\"policy\" : \"ada\""), config);
        int[] chosen = ((ShuffledSubset) run.data()).order();
        assertEquals(200, Arrays.stream(chosen).distinct().count(), "200 different images");
        assertArrayEquals(chosen, ((ShuffledSubset) small(tmp.resolve("again")).build().data()).order(), "the same seed, the same images");
        int[] otherSeed = ((ShuffledSubset) small(tmp.resolve("other")).seed(6).build().data()).order();
        assertFalse(Arrays.equals(chosen, otherSeed), "another seed, another choice");
        var meta = SafeTensors.read(tmp.resolve("limited/checkpoints/step-000001.safetensors")).metadata();
        assertTrue(meta.get("provenance").contains("\"dataLimit\":200"), "the provenance in every checkpoint");
    }

    @Test
    void withADataLimitEachEvaluationLogsDsLogitsOnTrainedAndOnLeftOutImages() throws Exception {
        GanRun run = small(tmp.resolve("checked")).steps(4).evalEvery(2).build();
        run.fit();
        int[] chosen = ((ShuffledSubset) run.data()).order();
        ShuffledSubset longer = new ShuffledSubset(DataSources.open("mnist-test", null), 200 + OverfitCheck.IMAGES, 5);
        assertArrayEquals(chosen, longer.slice(0, 200).order(), "a longer choice of the same seed begins with the trained images");
        ShuffledSubset leftOut = longer.slice(200, 200 + OverfitCheck.IMAGES);
        assertTrue(Arrays.stream(leftOut.order()).noneMatch(i -> Arrays.stream(chosen).anyMatch(j -> j == i)), "none of them trained on");

        List<Map<String, Object>> checked = run.history().stream().filter(m -> m.containsKey("d_logit_seen")).toList();
        assertEquals(List.of(2L, 4L), checked.stream().map(m -> m.get("step")).toList(), "at every evaluation step");
        // the last check saw the final D: D in evaluation mode on 192 trained images (12 whole batches of 16) and 512 left-out ones
        var d = run.trainer().model().discriminator();
        d.eval();
        double seen = d.score(run.data().items(0, 192), null).meanAll().item();
        double unseen = d.score(leftOut.items(0, OverfitCheck.IMAGES), null).meanAll().item();
        assertEquals(seen, ((Number) checked.getLast().get("d_logit_seen")).doubleValue(), 1e-4);
        assertEquals(unseen, ((Number) checked.getLast().get("d_logit_unseen")).doubleValue(), 1e-4);
        assertNotEquals(seen, unseen);
        small(tmp.resolve("unchecked")).steps(4).build().fit();
        var checkedState = SafeTensors.read(tmp.resolve("checked/checkpoints/step-000004.safetensors")).tensors();
        SafeTensors.read(tmp.resolve("unchecked/checkpoints/step-000004.safetensors")).tensors()
                .forEach((name, t) -> assertArrayEquals(t.toArray(), checkedState.get(name).toArray(), "the checks change nothing: " + name));

        GanRun unlimited = small(tmp.resolve("all")).dataLimit(10_000).steps(2).evalEvery(2).build();
        unlimited.fit();
        assertTrue(unlimited.history().stream().noneMatch(m -> m.containsKey("d_logit_seen")), "nothing left out, nothing to compare");
        GanRun fewLeft = small(tmp.resolve("few")).dataLimit(9_990).steps(2).evalEvery(2).build();
        fewLeft.fit();
        assertTrue(fewLeft.history().stream().noneMatch(m -> m.containsKey("d_logit_unseen")), "10 left out: not a batch of 16");
    }

    @Test
    void badLimitsAndAugmentationOfPointsAreRefusedBeforeAnythingIsWritten() {
        Path dir = tmp.resolve("never");
        assertEquals("the data limit must be at least 1 image, got 0",
                assertThrows(IllegalArgumentException.class, () -> small(dir).dataLimit(0).build()).getMessage());
        assertEquals("the data limit 10001 is larger than the data (10000 items)",
                assertThrows(IllegalArgumentException.class, () -> small(dir).dataLimit(10_001).build()).getMessage());
        IllegalArgumentException points = assertThrows(IllegalArgumentException.class, () -> GanRun.builder().model("mlp2d").data("ring8")
                .augment(Augmentation.named("diffaugment")).directory(dir).build());
        assertTrue(points.getMessage().startsWith("augmentation works on square images; ring8"), points.getMessage());
        assertFalse(Files.exists(dir));
    }

    @Test
    void aConditionalModelTrainsOnAugmentedImagesWithItsLabelsUntouched() {
        for (String policy : List.of("diffaugment", "ada")) {
            var model = Models.create("cgan-dcgan28", ModelOptions.defaults().withWidth(4), Rng.seeded(1));
            Trainer t = new Trainer(model, GanLoss.nonSaturating(), TrainOptions.defaults().withAugmentation(new Augmentation(policy, 0.1f, 1, 16))
                    .withGradientRegularization(0.1f, 0.1f, 1), null, Rng.seeded(2));
            int[] labels = {0, 1, 2, 3, 4, 5, 6, 7};
            for (int step = 0; step < 3; step++) {
                var s = t.step(Tensor.rand(Rng.seeded(step), 8, 1, 28, 28).mul(2f).sub(1f), labels);
                assertTrue(Float.isFinite(s.lossD()) && Float.isFinite(s.lossG()), policy + ": " + s);
            }
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, labels, policy + ": the classes are the batch's own");
        }
    }

    @Test
    void everyImageModelAndEveryLossTrainsThroughTheAugmentation() {
        ModelOptions narrow = ModelOptions.defaults().withWidth(4).withGHidden(16).withDHidden(16);
        for (String name : List.of("mlp", "dcgan28", "dcgan64", "cgan-mlp", "cgan-dcgan28")) {
            for (String loss : GanLoss.NAMES) {
                var model = Models.create(name, narrow, Rng.seeded(1));
                // DiffAugment runs every one of its transforms on every batch, so each is differentiated through each D and loss
                Trainer t = new Trainer(model, GanLoss.named(loss), TrainOptions.defaults().withAugmentation(Augmentation.named("diffaugment"))
                        .withGradientRegularization(0.1f, 0.1f, 1), null, Rng.seeded(2));
                int[] shape = model.generator().outputShape(), labels = model.conditional() ? new int[] {1, 2, 3, 4} : null;
                for (int step = 0; step < 2; step++) {
                    var s = t.step(Tensor.rand(Rng.seeded(step), 4, shape[0], shape[1], shape[2]).mul(2f).sub(1f), labels);
                    assertTrue(Float.isFinite(s.lossD()) && Float.isFinite(s.lossG()), name + ", " + loss + ": " + s);
                }
            }
        }
    }

    @Test
    void withoutAugmentationNothingOfItIsMadeOrSaved() {
        var options = TrainOptions.defaults();
        Map<String, String> meta = new java.util.HashMap<>();
        var model = Models.create("dcgan28", ModelOptions.defaults().withWidth(4), Rng.seeded(1));
        Trainer plain = new Trainer(model, GanLoss.nonSaturating(), options, null, Rng.seeded(2));
        assertEquals(null, plain.augmenter());
        plain.step(Tensor.rand(Rng.seeded(0), 8, 1, 28, 28), null);
        plain.stateDict(meta);
        assertFalse(meta.containsKey("ada_p"), "nothing of augmentation in its checkpoints");
        assertNotEquals(null, new Trainer(model, GanLoss.nonSaturating(), options.withAugmentation(Augmentation.named("ada")), null, Rng.seeded(2)).augmenter());
    }
}
