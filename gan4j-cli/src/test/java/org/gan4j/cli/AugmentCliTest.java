package org.gan4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train --augment, --ada-target and --data-limit: recorded, logged, resumed, and refused in one line when bad. */
class AugmentCliTest {
    @TempDir
    Path tmp;

    private static final List<String> SMALL = List.of("train", "--model", "dcgan28", "--width", "4", "--batch-size", "16", "--device", "cpu",
            "--sample-every", "100");

    private static CommandLine train(String... more) {
        List<String> all = new java.util.ArrayList<>(SMALL);
        all.addAll(List.of(more));
        return CommandLine.run(all.toArray(String[]::new));
    }

    @Test
    void adaOnASmallSubsetIsRecordedLoggedAndResumes() throws IOException {
        Path run = tmp.resolve("ada");
        CommandLine r = train("--augment", "ada", "--ada-target", "0.5", "--data-limit", "100", "--steps", "3", "--out", run.toString());
        assertEquals(0, r.status(), r.err() + r.out());
        assertTrue(r.out().contains("100 random items of"), r.out());
        var mapper = new ObjectMapper();
        var config = mapper.readTree(run.resolve("config.json").toFile());
        assertEquals(100, config.get("dataLimit").asInt());
        assertEquals("ada", config.get("augment").get("policy").asText());
        assertEquals(0.5f, config.get("augment").get("adaTarget").floatValue());
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            var p = mapper.readTree(line).get("ada_p");
            assertTrue(p != null && p.asDouble() >= 0 && p.asDouble() <= 1, line);
        }
        CommandLine resumed = CommandLine.run("train", "--resume", run.toString(), "--steps", "4");
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("100 random items of"), resumed.out());
        CommandLine changed = CommandLine.run("train", "--resume", run.toString(), "--augment", "none");
        assertEquals(1, changed.status());
        assertTrue(changed.err().contains("--augment cannot change them"), changed.err());
    }

    @Test
    void aDataLimitWithEvaluationsLogsAndDrawsDsLogitsOnTrainedAndLeftOutImages() throws IOException {
        Path run = tmp.resolve("limited");
        CommandLine r = train("--data-limit", "64", "--eval-every", "2", "--steps", "2", "--out", run.toString());
        assertEquals(0, r.status(), r.err());
        var last = new ObjectMapper().readTree(Files.readAllLines(run.resolve("metrics.jsonl")).getLast());
        assertTrue(last.get("d_logit_seen").isNumber() && last.get("d_logit_unseen").isNumber(), last.toString());
        int panels = 3 + (last.has("fid") ? 1 : 0);   // losses, D's outputs, the logits; the FD where a classifier is cached
        assertEquals(panels * 320, ImageIO.read(run.resolve("plots/losses.png").toFile()).getHeight());

        Path png = tmp.resolve("logits.png");
        CommandLine both = CommandLine.run("plot", run.toString(), "--metric", "d_logit_seen,d_logit_unseen", "--out", png.toString());
        assertEquals(0, both.status(), both.err());
        assertEquals(320, ImageIO.read(png.toFile()).getHeight(), "two keys, one figure");
        CommandLine oneMissing = CommandLine.run("plot", run.toString(), "--metric", "d_logit_seen,ada_p", "--out", png.toString());
        assertTrue(oneMissing.err().contains("metrics.jsonl has no 'ada_p'"), oneMissing.err());
    }

    @Test
    void adaPIsDrawnWithTheLossesAndPlottedAcrossRuns() throws IOException {
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        for (Path run : List.of(a, b)) {
            CommandLine r = train("--augment", "ada", "--data-limit", "64", "--steps", "2", "--out", run.toString());
            assertEquals(0, r.status(), r.err());
        }
        assertEquals(3 * 320, ImageIO.read(a.resolve("plots/losses.png").toFile()).getHeight(), "losses, D's outputs and ADA's p");
        Path png = tmp.resolve("p.png");
        CommandLine plot = CommandLine.run("plot", a.toString(), b.toString(), "--metric", "ada_p", "--out", png.toString());
        assertEquals(0, plot.status(), plot.err());
        assertEquals(320, ImageIO.read(png.toFile()).getHeight());

        CommandLine absent = CommandLine.run("plot", a.toString(), "--metric", "fid", "--out", png.toString());
        assertNotEquals(0, absent.status());
        assertTrue(absent.err().contains("metrics.jsonl has no 'fid'"), absent.err());
        CommandLine notARun = CommandLine.run("plot", tmp.toString(), "--metric", "ada_p", "--out", png.toString());
        assertNotEquals(0, notARun.status());
        assertTrue(notARun.err().contains("is not a run directory"), notARun.err());

        // runs in folders of one name (seed1/a, seed2/a) are named by their paths; one run given twice is refused
        Path other = tmp.resolve("seed2/a");
        Files.createDirectories(other.getParent());
        Files.move(b, other);
        CommandLine sameName = CommandLine.run("plot", a.toString(), other.toString(), "--metric", "ada_p", "--out", png.toString());
        assertEquals(0, sameName.status(), sameName.err());
        assertEquals(List.of(a.toString(), other.toString()), PlotCommand.lineNames(List.of(a, other)));
        assertEquals(List.of("a", "b"), PlotCommand.lineNames(List.of(a, tmp.resolve("b"))), "folders of their own names: the names alone");
        CommandLine twice = CommandLine.run("plot", a.toString(), a.resolve(".").toString(), "--metric", "ada_p", "--out", png.toString());
        assertNotEquals(0, twice.status());
        assertTrue(twice.err().contains("is given twice"), twice.err());
    }

    @Test
    void badFlagsGetOneLineAndNoRunDirectory() {
        Path never = tmp.resolve("never");
        String[][] bad = {
                {"--augment", "crop"}, {"unknown augmentation 'crop'"},
                {"--augment", "diffaugment", "--ada-target", "0.6"}, {"--ada-target goes with --augment ada only"},
                {"--augment", "ada", "--ada-target", "1.5"}, {"ADA's target must be in (0, 1)"},
                {"--data-limit", "0"}, {"the data limit must be at least 1 image"},
                {"--data-limit", "20000"}, {"the data limit 20000 is larger than the data (10000 items)"},
                {"--model", "mlp2d", "--data", "ring8", "--augment", "diffaugment"}, {"augmentation works on square images"},
        };
        for (int i = 0; i < bad.length; i += 2) {
            List<String> args = new java.util.ArrayList<>(List.of(bad[i]));
            args.addAll(List.of("--steps", "2", "--out", never.toString()));
            CommandLine r = train(args.toArray(String[]::new));
            assertEquals(1, r.status(), String.join(" ", bad[i]) + ": " + r.out());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(bad[i + 1][0]), r.err());
        }
        assertFalse(Files.exists(never), "nothing half-written");
    }
}
