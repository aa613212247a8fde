package org.gan4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.gan4j.nn.SafeTensors;
import org.gan4j.run.DataSources;
import org.gan4j.run.RunDirectory;
import org.gan4j.run.TrainedGenerator;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path tmp;

    private static final String[] SMALL = {"--model", "mlp2d", "--data", "ring8", "--g-hidden", "32,32", "--d-hidden", "32",
            "--batch-size", "32", "--lr-g", "1e-3", "--lr-d", "1e-3", "--device", "cpu"};

    private static String[] args(String[] base, String... more) {
        String[] all = new String[base.length + more.length + 1];
        all[0] = "train";
        System.arraycopy(base, 0, all, 1, base.length);
        System.arraycopy(more, 0, all, base.length + 1, more.length);
        return all;
    }

    private static Map<String, Tensor> latest(Path run) {
        return SafeTensors.read(new RunDirectory(run).latestCheckpoint()).tensors();
    }

    @Test
    void trainWritesTheWholeRunDirectory() throws IOException {
        Path run = tmp.resolve("run");
        CommandLine r = CommandLine.run(args(SMALL, "--steps", "40", "--sample-every", "20", "--checkpoint-every", "20", "--out", run.toString()));
        assertEquals(0, r.status(), r.err() + r.out());
        assertTrue(Files.isRegularFile(run.resolve("config.json")));
        assertEquals(40, Files.readAllLines(run.resolve("metrics.jsonl")).size());
        assertTrue(Files.isRegularFile(run.resolve("samples/step-000020.png")));
        assertTrue(ImageIO.read(run.resolve("samples/step-000040.png").toFile()).getWidth() > 100);
        assertTrue(ImageIO.read(run.resolve("plots/losses.png").toFile()).getHeight() > 100);
        assertEquals("step-000040.safetensors", Files.readString(run.resolve("checkpoints/latest")).strip());
        assertTrue(run.resolve(".").toFile().list().length >= 5);
        String config = Files.readString(run.resolve("config.json"));
        assertTrue(config.contains("\"model\" : \"mlp2d\"") && config.contains("\"dataChecksum\""), config);
    }

    @Test
    void withoutArgumentsGan4jTrainsTheDefaultRecipe() {
        var parsed = new picocli.CommandLine(new Main()).parseArgs(Main.DEFAULT_RUN).subcommand();
        assertEquals("train", parsed.commandSpec().name());
        assertEquals(17, (Integer) parsed.matchedOptionValue("--epochs", 0), "the length QUALITY.md measured");
    }

    @Test
    void theProgressLineShowsDsProbabilitiesOnlyForLossesThatHaveThem() {
        for (String loss : List.of("bce", "hinge")) {
            CommandLine r = CommandLine.run(args(SMALL, "--loss", loss, "--steps", "3", "--out", tmp.resolve(loss).toString()));
            assertEquals(0, r.status(), r.err());
            String last = r.out().lines().filter(l -> l.contains("step 3/3")).findFirst().orElseThrow();
            assertEquals(loss.equals("bce"), last.contains("D(x)"), last);
        }
    }

    @Test
    void aFolderTrainsAtTheModelsSizeAndASizeItCannotTakeIsOneLineAndNoRunDirectory() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("pictures"));
        for (int i = 0; i < 4; i++) {
            var img = new java.awt.image.BufferedImage(30, 20, java.awt.image.BufferedImage.TYPE_INT_RGB);
            img.setRGB(i, i, 0xffffff);
            ImageIO.write(img, "png", folder.resolve(i + ".png").toFile());
        }
        String[] base = {"--model", "dcgan28", "--data", folder.toString(), "--width", "4", "--batch-size", "4", "--device", "cpu"};
        Path run = tmp.resolve("run"), big = tmp.resolve("big");
        CommandLine r = CommandLine.run(args(base, "--channels", "1", "--steps", "2", "--out", run.toString()));
        assertEquals(0, r.status(), r.err() + r.out());
        assertArrayEquals(new int[] {1, 1, 28, 28}, TrainedGenerator.load(run).sample(1, 1).shape(), "a gray 28×28 sample");
        CommandLine resumed = CommandLine.run("train", "--resume", run.toString(), "--steps", "3");
        assertEquals(0, resumed.status(), resumed.err() + resumed.out());

        CommandLine refused = CommandLine.run(args(base, "--image-size", "32", "--steps", "2", "--out", big.toString()));
        assertEquals(1, refused.status());
        assertEquals(1, refused.err().strip().lines().count(), refused.err());
        assertTrue(refused.err().contains("model dcgan28 makes 28×28 images, not 32×32"), refused.err());
        assertFalse(Files.exists(big));
    }

    @Test
    void aResumedRunEndsBitIdenticalToAnUninterruptedOne() {
        Path whole = tmp.resolve("whole"), parts = tmp.resolve("parts");
        assertEquals(0, CommandLine.run(args(SMALL, "--steps", "30", "--checkpoint-every", "10", "--out", whole.toString())).status());
        assertEquals(0, CommandLine.run(args(SMALL, "--steps", "17", "--checkpoint-every", "10", "--out", parts.toString())).status());
        CommandLine resumed = CommandLine.run("train", "--resume", parts.toString(), "--steps", "30");
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("resumed from checkpoints/step-000017.safetensors at step 17"), resumed.out());
        Map<String, Tensor> a = latest(whole), b = latest(parts);
        assertEquals(a.keySet(), b.keySet());
        a.forEach((name, t) -> assertArrayEquals(t.toArray(), b.get(name).toArray(), name));
    }

    @Test
    void divergenceRollsBackThenStopsWithoutAPoisonedCheckpoint() {
        Path run = tmp.resolve("nan");
        CommandLine r = CommandLine.run(args(new String[] {"--model", "mlp2d", "--data", "ring8", "--g-hidden", "16", "--d-hidden", "16",
                "--batch-size", "16", "--device", "cpu"}, "--lr-g", "1e12", "--lr-d", "1e12", "--steps", "200",
                "--checkpoint-every", "1", "--out", run.toString()));
        assertEquals(1, r.status(), r.out());
        assertTrue(r.out().contains("rolled back to step"), r.out());
        assertTrue(r.err().contains("diverged") && r.err().contains("giving up"), r.err());
        latest(run).forEach((name, t) -> assertEquals(0, t.nonFiniteCount(), name + " in the latest checkpoint"));
    }

    @Test
    void badInputGetsOneClearLineAndNoRunDirectory() {
        Path run = tmp.resolve("never");
        CommandLine model = CommandLine.run("train", "--model", "resnet", "--out", run.toString());
        assertEquals(1, model.status());
        assertTrue(model.err().contains("unknown model 'resnet'"), model.err());
        CommandLine batch = CommandLine.run(args(SMALL, "--batch-size", "1000000", "--out", run.toString()));
        assertEquals(1, batch.status());
        assertTrue(batch.err().contains("larger than the dataset"), batch.err());
        CommandLine beforeDevice = CommandLine.run("train", "--device", "cuda", "--batch-size", "0", "--out", run.toString());
        assertEquals(1, beforeDevice.status());
        assertTrue(beforeDevice.err().contains("batch size must be at least 1"), beforeDevice.err());
        CommandLine flag = CommandLine.run("train", "--bogus");
        assertEquals(2, flag.status());
        assertTrue(flag.err().contains("--bogus"), flag.err());
        assertFalse(Files.exists(run), "nothing half-written");
        CommandLine data = CommandLine.run("train", "--data", "no-such-set", "--out", run.toString());
        assertEquals(1, data.status());
        assertTrue(data.err().contains("no-such-set"), data.err());
        CommandLine resume = CommandLine.run("train", "--resume", tmp.toString());
        assertEquals(1, resume.status());
        assertTrue(resume.err().contains("is not a gan4j run directory"), resume.err());
        assertFalse(Files.exists(run), "nothing half-written");
    }

    @Test
    void rpganWithR1AndR2TrainsAndIsRecorded() throws IOException {
        Path run = tmp.resolve("rp");
        CommandLine r = CommandLine.run(args(SMALL, "--loss", "rpgan", "--r1", "0.1", "--r2", "0.1", "--reg-every", "2", "--steps", "3",
                "--out", run.toString()));
        assertEquals(0, r.status(), r.err() + r.out());
        var config = new ObjectMapper().readTree(run.resolve("config.json").toFile());
        assertEquals("rpgan", config.get("loss").asText());
        assertEquals(0.1f, config.get("r1").floatValue());
        assertEquals(0.1f, config.get("r2").floatValue());
        assertEquals(2, config.get("regEvery").asInt());
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            var m = new ObjectMapper().readTree(line);
            assertTrue(Double.isFinite(m.get("loss_d").asDouble()) && Double.isFinite(m.get("loss_g").asDouble()), line);
        }
    }

    @Test
    void halfLifeSchedulesAndBeta1ZeroTrainAndAreRecorded() throws IOException {
        Path run = tmp.resolve("sched");
        CommandLine r = CommandLine.run(args(SMALL, "--ema-half-life", "500", "--beta1", "0", "--lr-schedule", "cosine",
                "--r1", "0.1", "--gamma-schedule", "cosine", "--steps", "3", "--batch-size", "50", "--out", run.toString()));
        assertEquals(0, r.status(), r.err() + r.out());
        var config = new ObjectMapper().readTree(run.resolve("config.json").toFile());
        assertEquals(500, config.get("emaHalfLife").asLong());
        assertEquals((float) Math.pow(0.5, 50 / 500.0), config.get("ema").floatValue(), "the decay it resolved to");
        assertEquals(0f, config.get("optimizerG").get("beta1").floatValue());
        assertEquals("cosine", config.get("lrSchedule").asText());
        assertEquals("cosine", config.get("gammaSchedule").asText());
        for (String[] bad : new String[][] {{"--ema", "0.99", "--ema-half-life", "500"}, {"--lr-schedule", "linear", "--ema", "0"}}) {
            CommandLine refused = CommandLine.run(args(SMALL, bad[0], bad[1], bad[2], bad[3], "--steps", "2", "--out", tmp.resolve("never").toString()));
            assertEquals(1, refused.status(), refused.out());
            assertTrue(refused.err().strip().lines().count() == 1, refused.err());
        }
    }

    @Test
    void theRecipeFlagsAreRecordedAndBadOnesGetOneLine() throws IOException {
        Path run = tmp.resolve("recipe");
        CommandLine r = CommandLine.run(args(SMALL, "--init", "dcgan-conv", "--g-noise", "reuse", "--steps", "2", "--out", run.toString()));
        assertEquals(0, r.status(), r.err() + r.out());
        var config = new ObjectMapper().readTree(run.resolve("config.json").toFile());
        assertEquals("dcgan-conv", config.get("init").asText());
        assertEquals("reuse", config.get("gNoise").asText());
        Path never = tmp.resolve("never");
        r = CommandLine.run(args(SMALL, "--g-noise", "same", "--steps", "2", "--out", never.toString()));
        assertEquals("gan4j: unknown G noise 'same' (known: fresh, reuse)", r.err().strip());
        r = CommandLine.run(args(SMALL, "--init", "xavier", "--steps", "2", "--out", never.toString()));
        assertEquals("gan4j: unknown initialisation 'xavier' (known: dcgan, dcgan-conv)", r.err().strip());
        assertFalse(Files.exists(never), "refused before the run directory is made");
    }

    @Test
    void badRegularizationSettingsGetOneLine() {
        Path run = tmp.resolve("never");
        for (String[] bad : new String[][] {{"--r1", "-0.1"}, {"--r2", "-1"}, {"--reg-every", "0"}}) {
            CommandLine r = CommandLine.run(args(SMALL, bad[0], bad[1], "--steps", "2", "--out", run.toString()));
            assertEquals(1, r.status(), r.out());
            assertTrue(r.err().strip().lines().count() == 1 && (r.err().contains("γ") || r.err().contains("reg-every")), r.err());
        }
        assertFalse(Files.exists(run), "nothing half-written");
    }

    @Test
    void aRunFromBeforeTheRegularizersResumes() throws IOException {
        Path run = tmp.resolve("old");
        assertEquals(0, CommandLine.run(args(SMALL, "--steps", "2", "--checkpoint-every", "2", "--out", run.toString())).status());
        var mapper = new ObjectMapper();
        var config = (ObjectNode) mapper.readTree(run.resolve("config.json").toFile());
        config.remove(List.of("r1", "r2", "regEvery"));
        mapper.writeValue(run.resolve("config.json").toFile(), config);
        CommandLine resumed = CommandLine.run("train", "--resume", run.toString(), "--steps", "3");
        assertEquals(0, resumed.status(), resumed.err());
    }

    @Test
    void serveAndDashboardRefuseBadSettingsInOneLine() throws IOException {
        CommandLine queue = CommandLine.run("serve", tmp.toString(), "--queue", "0");
        assertEquals(1, queue.status());
        assertTrue(queue.err().contains("--queue must be at least 1"), queue.err());
        CommandLine folder = CommandLine.run("dashboard", tmp.resolve("absent").toString());
        assertEquals(1, folder.status());
        assertTrue(folder.err().contains("does not exist"), folder.err());
        CommandLine port = CommandLine.run("dashboard", tmp.toString(), "--port", "70000");
        assertEquals(1, port.status());
        assertTrue(port.err().contains("--port must be in 0..65535"), port.err());
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CommandLine busy = CommandLine.run("dashboard", tmp.toString(), "--port", Integer.toString(taken.getLocalPort()));
            assertEquals(1, busy.status());
            assertTrue(busy.err().startsWith("gan4j: cannot listen on 127.0.0.1:" + taken.getLocalPort()), busy.err());
        }
    }

    @Test
    void unwritableOutputIsRefused() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        CommandLine r = CommandLine.run(args(SMALL, "--steps", "2", "--out", file.resolve("run").toString()));
        assertEquals(1, r.status());
        assertTrue(r.err().contains("cannot create run directory"), r.err());
    }

    @Test
    void generateInterpolateAndInfoWorkOnATrainedRun() throws IOException {
        Path run = tmp.resolve("g");
        assertEquals(0, CommandLine.run("train", "--model", "cgan-mlp", "--data", DataSources.DEFAULT, "--g-hidden", "16,16", "--d-hidden", "16",
                "--steps", "3", "--batch-size", "8", "--device", "cpu", "--out", run.toString()).status());
        Path grid = tmp.resolve("grid.png");
        CommandLine g = CommandLine.run("generate", run.toString(), "--count", "10", "--class", "7", "--out", grid.toString());
        assertEquals(0, g.status(), g.err());
        assertTrue(ImageIO.read(grid.toFile()).getWidth() > 28 * 3);
        CommandLine badClass = CommandLine.run("generate", run.toString(), "--count", "4", "--class", "12", "--out", grid.toString());
        assertEquals(1, badClass.status());
        assertTrue(badClass.err().contains("--class 12 out of range"), badClass.err());
        Path gif = tmp.resolve("walk.gif");
        assertEquals(0, CommandLine.run("interpolate", run.toString(), "--from", "1", "--to", "2", "--steps", "4", "--out", gif.toString()).status());
        assertTrue(Files.size(gif) > 100);
        CommandLine info = CommandLine.run("info", "--model", "dcgan28");
        assertEquals(0, info.status(), info.err());
        assertTrue(info.out().contains("ConvTranspose2d") && info.out().contains("parameters"), info.out());
        CommandLine notARun = CommandLine.run("generate", tmp.toString(), "--out", grid.toString());
        assertEquals(1, notARun.status());
        assertTrue(notARun.err().contains("not a gan4j run directory"), notARun.err());
    }

    @Test
    void theWeightAverageSamplesWithBatchNormStatisticsOfItsOwn() {
        Path run = tmp.resolve("ema");
        assertEquals(0, CommandLine.run(args(SMALL, "--steps", "20", "--ema", "0.9", "--out", run.toString())).status());
        Map<String, Tensor> saved = latest(run);
        String stat = "main.1.running_mean";
        assertFalse(java.util.Arrays.equals(saved.get("generator." + stat).toArray(), saved.get("ema." + stat).toArray()),
                "the average's statistics are estimated for its weights, not copied from G");
        TrainedGenerator average = TrainedGenerator.load(run, true);
        assertArrayEquals(saved.get("ema." + stat).toArray(), average.generator().stateDict().get(stat).toArray());
        CommandLine g = CommandLine.run("generate", run.toString(), "--ema", "--count", "16", "--out", tmp.resolve("ema.png").toString());
        assertEquals(0, g.status(), g.err());
    }

    @Test
    void resumeRefusesTheFlagsItWouldIgnore() {
        Path run = tmp.resolve("own");
        assertEquals(0, CommandLine.run(args(SMALL, "--steps", "2", "--out", run.toString())).status());
        CommandLine r = CommandLine.run("train", "--resume", run.toString(), "--lr-g", "1", "--steps", "3");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("--lr-g cannot change them"), r.err());
        assertEquals(0, CommandLine.run("train", "--resume", run.toString(), "--steps", "3", "--device", "cpu").status(), "its length may change");
    }
}
