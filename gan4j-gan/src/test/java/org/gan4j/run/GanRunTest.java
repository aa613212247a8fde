package org.gan4j.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.gan4j.gan.GanModel;
import org.gan4j.gan.Models;
import org.gan4j.gan.ModelOptions;
import org.gan4j.gan.StepStats;
import org.gan4j.nn.SafeTensors;
import org.gan4j.optim.OptimizerSpec;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library's training run: its builder, listeners, exact resume, provenance, custom models and old run directories. */
class GanRunTest {
    @TempDir
    Path tmp;

    private static RunBuilder small(Path dir) {
        return GanRun.builder().model("mlp2d").data("ring8").mlp(new int[] {16}, new int[] {16}, null).batchSize(32)
                .optimizerG(OptimizerSpec.rmsprop(1e-3f, 0.99f)).optimizerD(OptimizerSpec.adamW(1e-3f, 0.5f, 0.999f, 1e-2f))
                .sampleEvery(4).checkpointEvery(4).seed(3).directory(dir);
    }

    @Test
    void listenersHearEveryStepSampleAndCheckpointInOrder() {
        List<String> heard = new ArrayList<>();
        small(tmp.resolve("a")).steps(8).listener(new RunListener() {
            @Override
            public void started(GanRun run) {
                heard.add("started at " + run.startStep());
            }

            @Override
            public void stepped(StepStats stats, Map<String, Object> metrics) {
                assertEquals(stats.step(), ((Number) metrics.get("step")).longValue());
                heard.add("step " + stats.step());
            }

            @Override
            public void sampled(long step, BufferedImage picture, byte[] png) {
                heard.add("sample " + step);
            }

            @Override
            public void checkpointed(long step, Path checkpoint) {
                assertTrue(Files.isRegularFile(checkpoint), checkpoint.toString());
                heard.add("checkpoint " + step);
            }

            @Override
            public void finished(GanRun run) {
                heard.add("finished");
            }
        }).build().fit();
        assertEquals(List.of("started at 0", "step 1", "step 2", "step 3", "sample 4", "step 4", "checkpoint 4", "step 5", "step 6",
                "step 7", "sample 8", "step 8", "checkpoint 8", "finished"), heard);
    }

    @Test
    void aResumedRunEndsWithTheBitsOfOneThatNeverStopped() {
        small(tmp.resolve("whole")).steps(8).build().fit();
        small(tmp.resolve("parts")).steps(4).build().fit();
        GanRun resumed = GanRun.builder().resume(tmp.resolve("parts")).steps(8).build();
        assertEquals(OptimizerSpec.rmsprop(1e-3f, 0.99f), resumed.config().optimizerG(), "the optimizers come back from config.json");
        resumed.fit();
        var whole = SafeTensors.read(tmp.resolve("whole/checkpoints/step-000008.safetensors")).tensors();
        var parts = SafeTensors.read(tmp.resolve("parts/checkpoints/step-000008.safetensors")).tensors();
        assertEquals(whole.keySet(), parts.keySet());
        whole.forEach((name, t) -> assertArrayEquals(t.toArray(), parts.get(name).toArray(), name));
    }

    @Test
    void aKilledCosineRunResumesOntoTheSameSchedule() {
        small(tmp.resolve("whole")).steps(8).lrSchedule("cosine").r1(0.5f).gammaSchedule("cosine").emaHalfLife(100).build().fit();
        Path dir = tmp.resolve("killed");
        RuntimeException kill = new RuntimeException("killed");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> small(dir).steps(8).lrSchedule("cosine").r1(0.5f)
                .gammaSchedule("cosine").emaHalfLife(100).listener(new RunListener() {
                    @Override
                    public void stepped(StepStats stats, Map<String, Object> metrics) {
                        if (stats.step() == 6) throw kill;
                    }
                }).build().fit());
        assertSame(kill, thrown);
        GanRun resumed = GanRun.builder().resume(dir).build();
        assertEquals((float) Math.pow(0.5, 32 / 100.0), resumed.config().ema(), "the half-life's decay at batch 32");
        resumed.fit();
        var whole = SafeTensors.read(tmp.resolve("whole/checkpoints/step-000008.safetensors")).tensors();
        var parts = SafeTensors.read(dir.resolve("checkpoints/step-000008.safetensors")).tensors();
        assertEquals(whole.keySet(), parts.keySet());
        whole.forEach((name, t) -> assertArrayEquals(t.toArray(), parts.get(name).toArray(), name));
        // the last step (t = 7 of 8) ran at ½(1 + cos(7π/8)) of the rate
        assertEquals((float) (1e-3f * (0.5 * (1 + Math.cos(Math.PI * 7 / 8)))), parts.get("optimizer_g.lr").item());
    }

    @Test
    void configAndCheckpointsCarryTheProvenance() throws Exception {
        Path dir = tmp.resolve("p");
        small(dir).steps(4).build().fit();
        String config = Files.readString(dir.resolve("config.json"));
        assertTrue(config.contains("\"provenance\"") && config.contains("\"gan4j\" : \"" + Provenance.VERSION + "\"")
                && config.contains("\"java\""), config);
        String meta = SafeTensors.read(dir.resolve("checkpoints/step-000004.safetensors")).metadata().get("provenance");
        assertTrue(meta.contains("\"dataChecksum\":\"") && meta.contains("\"model\":\"mlp2d\"") && meta.contains("\"os\":"), meta);
        assertTrue(config.contains("\"time\"") && !meta.contains("\"time\""), "config.json says when; a checkpoint does not: " + meta);
    }

    @Test
    void theSameRunTwiceWritesTheSameCheckpointBytes() throws Exception {
        small(tmp.resolve("a")).steps(4).build().fit();
        Thread.sleep(1100); // config.json's time moves on; the checkpoint must not notice
        small(tmp.resolve("b")).steps(4).build().fit();
        String file = "checkpoints/step-000004.safetensors";
        assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(file)), Files.readAllBytes(tmp.resolve("b").resolve(file)));
    }

    @Test
    void aModelOfYourOwnTrainsAndLoadsBackIntoItsGenerator() {
        ModelOptions o = ModelOptions.defaults().withGHidden(8).withDHidden(8);
        GanModel mine = Models.create("mlp2d", o, Rng.seeded(1));
        Path dir = tmp.resolve("mine");
        GanRun.builder().model(new GanModel("my-mlp", mine.generator(), mine.discriminator())).data("ring8").batchSize(16).steps(3)
                .directory(dir).build().fit();
        assertThrows(RunException.class, () -> TrainedGenerator.load(dir));   // gan4j cannot rebuild a model it does not know
        IllegalArgumentException ema = assertThrows(IllegalArgumentException.class, () -> GanRun.builder()
                .model(new GanModel("my-mlp", mine.generator(), mine.discriminator())).data("ring8").ema(0.9f).directory(tmp.resolve("e")).build());
        assertTrue(ema.getMessage().contains("needs one of gan4j's named models"), ema.getMessage());
        GanModel fresh = Models.create("mlp2d", o, Rng.seeded(99));
        Tensor samples = TrainedGenerator.load(dir, false, fresh.generator()).sample(5, 1);
        assertArrayEquals(new int[] {5, 2}, samples.shape());
        assertArrayEquals(mine.generator().stateDict().get("main.0.weight").toArray(), fresh.generator().stateDict().get("main.0.weight").toArray());
    }

    @Test
    void aDirectoryHoldingARunIsNotOverwritten() {
        Path dir = tmp.resolve("once");
        small(dir).steps(2).build().fit();
        RunException e = assertThrows(RunException.class, () -> small(dir).steps(2).build());
        assertTrue(e.getMessage().contains("already holds a run"), e.getMessage());
    }

    @Test
    void runDirectoriesFromBeforeOptimizerSpecsStillRead() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("old"));
        Files.writeString(dir.resolve("config.json"), """
                {"version":"0.1.0","model":"mlp2d","data":"ring8","batchSize":32,"steps":8,"loss":"bce",
                 "lrG":1.0E-4,"lrD":3.0E-4,"beta1":0.8,"beta2":0.999,"dSteps":1,"seed":1,"sampleEvery":4,"checkpointEvery":4,
                 "onNan":"rollback","maxRollbacks":3}
                """);
        RunConfig c = new RunDirectory(dir).readConfig();
        assertEquals(OptimizerSpec.adam(1e-4f, 0.8f, 0.999f), c.optimizerG());
        assertEquals(OptimizerSpec.adam(3e-4f, 0.8f, 0.999f), c.optimizerD());
    }

    @Test
    void runsFromBeforeTheRecipeOptionsResumeWithTheirOldRecipe() throws Exception {
        Path whole = tmp.resolve("whole"), parts = tmp.resolve("parts"), today = tmp.resolve("today");
        tinyDcgan(whole).init("dcgan-conv").gNoise("reuse").steps(6).build().fit();
        tinyDcgan(parts).init("dcgan-conv").gNoise("reuse").steps(3).build().fit();
        tinyDcgan(today).steps(6).build().fit();
        // config.json as runs wrote it before init and gNoise were recorded
        Path config = parts.resolve("config.json");
        String recorded = Files.readString(config);
        String older = recorded.replaceAll(",\\s*\"init\" : \"dcgan-conv\"", "").replaceAll(",\\s*\"gNoise\" : \"reuse\"", "");
        assertTrue(recorded.contains("\"gNoise\" : \"reuse\"") && !older.contains("init") && !older.contains("gNoise"), older);
        Files.writeString(config, older);
        RunConfig c = new RunDirectory(parts).readConfig();
        assertEquals("dcgan-conv", c.modelOptions().init());
        assertEquals("reuse", c.trainOptions().gNoise());

        GanRun.builder().resume(parts).steps(6).build().fit();
        var expected = SafeTensors.read(whole.resolve("checkpoints/step-000006.safetensors")).tensors();
        var resumed = SafeTensors.read(parts.resolve("checkpoints/step-000006.safetensors")).tensors();
        expected.forEach((name, t) -> assertArrayEquals(t.toArray(), resumed.get(name).toArray(), name));
        var fresh = SafeTensors.read(today.resolve("checkpoints/step-000006.safetensors")).tensors();
        assertFalse(Arrays.equals(expected.get("generator.main.0.weight").toArray(), fresh.get("generator.main.0.weight").toArray()),
                "today's default recipe trains otherwise");
    }

    private static RunBuilder tinyDcgan(Path dir) {
        return GanRun.builder().model("dcgan28").data("mnist-test").widths(4, 0, 0).batchSize(8).checkpointEvery(3).sampleEvery(3).seed(3).directory(dir);
    }

    @Test
    void resumeRepairsWhatAKillLeavesAndNeverStartsOverSilently() throws Exception {
        small(tmp.resolve("whole")).steps(12).build().fit();
        Path dir = tmp.resolve("hurt");
        small(dir).steps(8).build().fit();
        Path checkpoints = dir.resolve("checkpoints");
        Files.delete(checkpoints.resolve("latest"));                                         // the pointer lost
        Files.writeString(checkpoints.resolve(".step-000012.safetensors.123.tmp"), "half");   // a write cut short
        Files.writeString(dir.resolve("metrics.jsonl"), "{\"step\": 9, \"loss_d\"", java.nio.file.StandardOpenOption.APPEND);   // a torn line
        deleteTree(dir.resolve("plots"));
        List<String> told = new ArrayList<>();
        GanRun.builder().resume(dir).steps(12).listener(new RunListener() {
            @Override
            public void message(String line) {
                told.add(line);
            }
        }).build().fit();
        assertTrue(told.stream().anyMatch(l -> l.contains("latest is missing") && l.contains("step-000008.safetensors")), told.toString());
        assertTrue(told.stream().anyMatch(l -> l.contains("removed 1 temporary file")), told.toString());
        assertTrue(told.stream().anyMatch(l -> l.contains("dropped 1 torn line of metrics.jsonl")), told.toString());
        assertTrue(told.contains("resumed from checkpoints/step-000008.safetensors at step 8"), told.toString());
        List<Long> steps = new RunDirectory(dir).readMetrics().stream().map(m -> ((Number) m.get("step")).longValue()).toList();
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 12).boxed().toList(), steps, "every step logged once");
        assertTrue(Files.isDirectory(dir.resolve("plots")), "plots/ is back");
        var whole = SafeTensors.read(tmp.resolve("whole/checkpoints/step-000012.safetensors")).tensors();
        var hurt = SafeTensors.read(checkpoints.resolve("step-000012.safetensors")).tensors();
        whole.forEach((name, t) -> assertArrayEquals(t.toArray(), hurt.get(name).toArray(), name));
    }

    @Test
    void aCheckpointThatDoesNotReadIsMovedAsideAndLatestIsOnlyANameInCheckpoints() throws Exception {
        Path dir = tmp.resolve("corrupt");
        small(dir).steps(8).build().fit();
        Path checkpoints = dir.resolve("checkpoints");
        Files.writeString(checkpoints.resolve("step-000008.safetensors"), "not a checkpoint");
        Files.writeString(checkpoints.resolve("latest"), "../../../../etc/passwd\n");
        List<String> told = new ArrayList<>();
        GanRun run = GanRun.builder().resume(dir).listener(new RunListener() {
            @Override
            public void message(String line) {
                told.add(line);
            }
        }).build();
        run.fit();
        assertTrue(Files.isRegularFile(checkpoints.resolve("step-000008.safetensors.corrupt")), "kept for a look");
        assertTrue(told.contains("resumed from checkpoints/step-000004.safetensors at step 4"), told.toString());
        assertEquals(8, run.trainer().steps());
        assertEquals("step-000008.safetensors", Files.readString(checkpoints.resolve("latest")).strip());
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
