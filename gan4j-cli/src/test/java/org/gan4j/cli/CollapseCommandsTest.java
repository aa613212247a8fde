package org.gan4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gan4j.nn.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The countermeasure flags of train, sweep, and experiment modes. */
class CollapseCommandsTest {
    @TempDir
    Path tmp;

    private static String[] gan4j(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int status = Main.run(args);
            return new String[] {Integer.toString(status), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void trainBuildsTheChosenCountermeasuresAndResumesWithThem() throws Exception {
        Path run = tmp.resolve("run");
        String[] small = {"train", "--model", "mlp2d", "--data", "ring8", "--g-hidden", "16", "--d-hidden", "16", "--batch-size", "20",
                "--device", "cpu", "--pack", "2", "--minibatch-discrimination", "--minibatch-std", "--spectral-norm", "--out", run.toString()};
        String[] r = gan4j(concat(small, "--steps", "10"));
        assertEquals("0", r[0], r[1] + r[2]);
        String config = Files.readString(run.resolve("config.json")).replaceAll("\\s", "");
        assertTrue(config.contains("\"countermeasures\":{\"pack\":2,\"minibatchKernels\":32,\"minibatchStd\":true,\"spectralNorm\":true}"), config);
        var names = SafeTensors.read(new RunDirectory(run).latestCheckpoint()).tensors().keySet();
        assertTrue(names.contains("discriminator.main.0.weight_orig"), names.toString());
        assertTrue(names.contains("discriminator.main.3.T"), names.toString());
        r = gan4j("train", "--resume", run.toString(), "--steps", "20");
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("resumed from checkpoints/step-000010.safetensors at step 10"), r[1]);
    }

    @Test
    void badCountermeasureSettingsFailWithOneLine() {
        String[] r = gan4j("train", "--model", "mlp2d", "--data", "ring8", "--batch-size", "25", "--pack", "2", "--device", "cpu", "--out", tmp.resolve("a").toString());
        assertEquals("1", r[0]);
        assertEquals("gan4j: --batch-size 25 must be divisible by --pack 2", r[2].strip());
        r = gan4j("train", "--model", "cgan-mlp", "--spectral-norm", "--device", "cpu", "--out", tmp.resolve("b").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].strip().contains("unconditional models only"), r[2]);
    }

    @Test
    void experimentModesPrintsItsTableBesideThePublishedRows() throws Exception {
        Path out = tmp.resolve("modes");
        String[] r = gan4j("experiment", "modes", "--steps", "20", "--seeds", "2", "--variants", "gan,pacgan2", "--datasets", "ring8",
                "--out", out.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("| ring8 | gan | 2 | 20 |"), r[1]);
        assertTrue(r[1].contains("| 6.3 | 98.2 |"), "published ring8 GAN row: " + r[1]);
        assertTrue(r[1].contains("| 7.9 | 95.6 |"), "published ring8 PacGAN2 row: " + r[1]);
        assertTrue(r[1].contains("stacked-mnist") && r[1].contains("./gan4j evaluate"), r[1]);
        List<String> csv = Files.readAllLines(out.resolve("modes.csv"));
        assertEquals(5, csv.size(), csv.toString());
        assertTrue(csv.get(1).startsWith("ring8,gan,1,20,"), csv.get(1));
        r = gan4j("experiment", "modes", "--variants", "nope");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("unknown variant 'nope'"), r[2]);
    }

    private static final String BASE = "--model mlp2d --data ring8 --g-hidden 16,16 --batch-size 20 --steps 30 --lr-d 1e-3 --device cpu --sample-every 1000";

    @Test
    void sweepTrainsRanksAndResumes() throws Exception {
        Path dir = tmp.resolve("sweep");
        String[] r = gan4j("sweep", "--base", BASE, "--grid", "spectral-norm=false,true", "--grid", "d-hidden=8,16x8", "--out", dir.toString(), "--parallel", "2");
        assertEquals("0", r[0], r[1] + r[2]);
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
        String[] again = gan4j("sweep", "--base", BASE, "--grid", "spectral-norm=false,true", "--grid", "d-hidden=8,16x8", "--out", dir.toString());
        assertEquals("0", again[0], again[1] + again[2]);
        assertEquals(4, again[1].lines().filter(l -> l.startsWith("[") && l.contains(": finished earlier")).count(), again[1]);
        assertEquals(Files.readString(dir.resolve("sweep.csv")).replaceAll("finished earlier", "trained"), String.join("\n", csv) + "\n");
    }

    @Test
    void badGridsFailWithOneLine() {
        String[] r = gan4j("sweep", "--grid", "lr-g", "--out", tmp.resolve("x").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("expected OPTION=V1,V2"), r[2]);
        r = gan4j("sweep", "--base", BASE, "--grid", "no-such-option=1,2", "--out", tmp.resolve("y").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("no-such-option"), r[2]);
        assertTrue(!Files.exists(tmp.resolve("y")), "nothing is trained when a run's options are wrong");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
