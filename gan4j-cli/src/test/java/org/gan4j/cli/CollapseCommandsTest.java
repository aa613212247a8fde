package org.gan4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gan4j.nn.SafeTensors;
import org.gan4j.run.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The countermeasure flags of train, sweep, and experiment modes. */
class CollapseCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void trainBuildsTheChosenCountermeasuresAndResumesWithThem() throws Exception {
        Path run = tmp.resolve("run");
        String[] small = {"train", "--model", "mlp2d", "--data", "ring8", "--g-hidden", "16", "--d-hidden", "16", "--batch-size", "20",
                "--device", "cpu", "--pack", "2", "--minibatch-discrimination", "--minibatch-std", "--spectral-norm", "--unroll", "2",
                "--out", run.toString()};
        CommandLine r = CommandLine.run(concat(small, "--steps", "10"));
        assertEquals(0, r.status(), r.out() + r.err());
        String config = Files.readString(run.resolve("config.json")).replaceAll("\\s", "");
        assertTrue(config.contains("\"countermeasures\":{\"pack\":2,\"minibatchKernels\":32,\"minibatchStd\":true,\"spectralNorm\":true}"), config);
        assertTrue(config.contains("\"unrollSteps\":2"), config);
        var names = SafeTensors.read(new RunDirectory(run).latestCheckpoint()).tensors().keySet();
        assertTrue(names.contains("discriminator.main.0.weight_orig"), names.toString());
        assertTrue(names.contains("discriminator.main.3.T"), names.toString());
        r = CommandLine.run("train", "--resume", run.toString(), "--steps", "20");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("resumed from checkpoints/step-000010.safetensors at step 10"), r.out());
    }

    @Test
    void badCountermeasureSettingsFailWithOneLine() {
        CommandLine r = CommandLine.run("train", "--model", "mlp2d", "--data", "ring8", "--batch-size", "25", "--pack", "2", "--device", "cpu", "--out", tmp.resolve("a").toString());
        assertEquals(1, r.status());
        assertEquals("gan4j: batch size 25 must be divisible by the pack size 2", r.err().strip());
        r = CommandLine.run("train", "--model", "cgan-mlp", "--spectral-norm", "--device", "cpu", "--out", tmp.resolve("b").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().strip().contains("unconditional models only"), r.err());
        r = CommandLine.run("train", "--model", "mlp2d", "--data", "ring8", "--unroll", "-1", "--device", "cpu", "--out", tmp.resolve("c").toString());
        assertEquals(1, r.status());
        assertEquals("gan4j: unroll steps must be 0 (off) or positive", r.err().strip());
        r = CommandLine.run("train", "--model", "dcgan28", "--d-width", "-8", "--device", "cpu", "--out", tmp.resolve("d").toString());
        assertEquals(1, r.status());
        assertEquals("gan4j: widths must not be negative (0: the model's)", r.err().strip());
    }

    @Test
    void experimentModesPrintsItsTableBesideThePublishedRows() throws Exception {
        Path out = tmp.resolve("modes");
        String[] modes = {"experiment", "modes", "--steps", "20", "--seeds", "2", "--variants", "gan,pacgan2", "--datasets", "ring8",
                "--out", out.toString()};
        CommandLine r = CommandLine.run(modes);
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("| ring8 | gan | 2 | 20 |"), r.out());
        assertTrue(r.out().contains("| 6.3 | 98.2 |"), "published ring8 GAN row: " + r.out());
        assertTrue(r.out().contains("| 7.9 | 95.6 |"), "published ring8 PacGAN2 row: " + r.out());
        List<String> csv = Files.readAllLines(out.resolve("modes.csv"));
        assertEquals(5, csv.size(), csv.toString());
        assertTrue(csv.get(1).startsWith("ring8,gan,1,20,"), csv.get(1));
        assertTrue(Files.isRegularFile(out.resolve("ring8/pacgan2-seed2/checkpoints/latest")), "each run in its own run directory");

        // the same command again judges the finished runs without training them
        r = CommandLine.run(modes);
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("ring8 gan seed 1: resumed from checkpoints/step-000020.safetensors at step 20"), r.out());
        assertTrue(!r.out().contains("step 2 of 20"), r.out());
        assertEquals(withoutSeconds(csv), withoutSeconds(Files.readAllLines(out.resolve("modes.csv"))));

        r = CommandLine.run("experiment", "modes", "--variants", "nope");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("unknown variant 'nope'"), r.err());
        r = CommandLine.run("experiment", "modes", "--datasets", "ring9");
        assertEquals(1, r.status());
        assertEquals("gan4j: unknown dataset 'ring9' (known: ring8, grid25, stacked-mnist)", r.err().strip());
    }

    @Test
    void stackedMnistTrainsThreeChannelsWithItsOwnDiscriminatorWidth() throws Exception {
        Path run = tmp.resolve("stacked");
        CommandLine r = CommandLine.run("train", "--model", "dcgan28", "--width", "4", "--d-width", "2", "--data", "stacked-mnist",
                "--pack", "2", "--batch-size", "8", "--steps", "2", "--device", "cpu", "--out", run.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(Files.readString(run.resolve("config.json")).replaceAll("\\s", "").contains("\"channels\":3"));
        var weights = SafeTensors.read(new RunDirectory(run).latestCheckpoint()).tensors();
        // G ends in 3 channels from width 4; D, 2 wide, reads packs of two 3-channel images
        assertEquals(List.of(4, 3, 4, 4), shape(weights.get("generator.main.7.weight")));
        assertEquals(List.of(2, 6, 4, 4), shape(weights.get("discriminator.main.0.weight")));
    }

    private static final String BASE = "--model mlp2d --data ring8 --g-hidden 16,16 --batch-size 20 --steps 30 --lr-d 1e-3 --device cpu --sample-every 1000";

    @Test
    void sweepTrainsRanksAndResumes() throws Exception {
        Path dir = tmp.resolve("sweep");
        CommandLine r = CommandLine.run("sweep", "--base", BASE, "--grid", "spectral-norm=false,true", "--grid", "d-hidden=8,16x8", "--out", dir.toString(), "--parallel", "2");
        assertEquals(0, r.status(), r.out() + r.err());
        for (String name : List.of("spectral-norm=false_d-hidden=8", "spectral-norm=false_d-hidden=16x8", "spectral-norm=true_d-hidden=8",
                "spectral-norm=true_d-hidden=16x8")) {
            assertTrue(Files.isRegularFile(dir.resolve(name).resolve("checkpoints/latest")), name);
        }
        // the list value 16x8 reached train as two hidden layers, the flag as a flag
        String config = Files.readString(dir.resolve("spectral-norm=true_d-hidden=16x8/config.json")).replaceAll("\\s", "");
        assertTrue(config.contains("\"dHidden\":[16,8]") && config.contains("\"spectralNorm\":true"), config);
        assertTrue(Files.readString(dir.resolve("spectral-norm=false_d-hidden=8/config.json")).replaceAll("\\s", "")
                .contains("\"spectralNorm\":false"));

        List<String> csv = Files.readAllLines(dir.resolve("sweep.csv"));
        assertEquals("rank,run,spectral-norm,d-hidden,modes_covered,high_quality_share,reverse_kl,final_loss_d,final_loss_g,status", csv.get(0));
        assertEquals(5, csv.size());
        for (int i = 1; i < 5; i++) assertTrue(csv.get(i).startsWith(i + ","), csv.get(i));
        // ranked: modes covered never increase down the table
        double previous = Double.MAX_VALUE;
        for (int i = 1; i < 5; i++) {
            double modes = Double.parseDouble(csv.get(i).split(",")[4]);
            assertTrue(modes <= previous, csv.toString());
            previous = modes;
        }
        assertTrue(Files.readString(dir.resolve("sweep.md")).startsWith("| rank | run | spectral-norm | d-hidden |"));
        assertTrue(Files.size(dir.resolve("sweep-losses.png")) > 1000);

        // a second call keeps finished runs
        CommandLine again = CommandLine.run("sweep", "--base", BASE, "--grid", "spectral-norm=false,true", "--grid", "d-hidden=8,16x8", "--out", dir.toString());
        assertEquals(0, again.status(), again.out() + again.err());
        assertEquals(4, again.out().lines().filter(l -> l.startsWith("[") && l.contains(": finished earlier")).count(), again.out());
        assertEquals(Files.readString(dir.resolve("sweep.csv")).replaceAll("finished earlier", "trained"), String.join("\n", csv) + "\n");
    }

    @Test
    void badGridsFailWithOneLine() {
        CommandLine r = CommandLine.run("sweep", "--grid", "lr-g", "--out", tmp.resolve("x").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("expected OPTION=V1,V2"), r.err());
        r = CommandLine.run("sweep", "--base", BASE, "--grid", "no-such-option=1,2", "--out", tmp.resolve("y").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("no-such-option"), r.err());
        assertTrue(!Files.exists(tmp.resolve("y")), "nothing is trained when a run's options are wrong");
        r = CommandLine.run("sweep", "--base", BASE, "--grid", "label-smoothing=0.1,1.5", "--out", tmp.resolve("z").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("run label-smoothing=1.5: label smoothing must be in [0, 1)"), r.err());
        assertTrue(!Files.exists(tmp.resolve("z")), "a value that train refuses is caught before any run starts");
    }

    private static List<Integer> shape(org.gan4j.tensor.Tensor t) {
        return java.util.Arrays.stream(t.shape()).boxed().toList();
    }

    private static List<String> withoutSeconds(List<String> csv) {
        return csv.stream().map(line -> line.substring(0, line.lastIndexOf(','))).toList();
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
