package org.gan4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gan4j.data.Dataset;
import org.gan4j.gan.Generator;
import org.gan4j.io.Npy;
import org.gan4j.gan.ModelOptions;
import org.gan4j.gan.Models;
import org.gan4j.metrics.DomainClassifier;
import org.gan4j.metrics.Metric;
import org.gan4j.run.DataSources;
import org.gan4j.run.GeneratorMetrics;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train --eval-every, evaluate and the figures they share; the trained classifiers are measured in QUALITY.md, not here. */
class QualityCommandsTest {
    @TempDir
    Path tmp;

    /** A gan4j home of our own: the user's cached classifiers must not decide what these tests see. */
    @BeforeEach
    void emptyHome() {
        System.setProperty("gan4j.home", tmp.resolve("home").toString());
    }

    @AfterEach
    void userHome() {
        System.clearProperty("gan4j.home");
    }

    @Test
    void mixtureRunsRecordTheirModesWhileTrainingAndWhenEvaluated() throws Exception {
        Path run = tmp.resolve("ring");
        CommandLine r = CommandLine.run("train", "--model", "mlp2d", "--data", "ring8", "--g-hidden", "16", "--d-hidden", "16", "--batch-size", "20",
                "--steps", "30", "--eval-every", "20", "--device", "cpu", "--out", run.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        List<String> evaluated = Files.readAllLines(run.resolve("metrics.jsonl")).stream().filter(l -> l.contains("modes_covered")).toList();
        assertEquals(2, evaluated.size(), "steps 20 and 30 (the last): " + evaluated);
        assertTrue(evaluated.get(0).startsWith("{\"step\":20,") && evaluated.get(0).contains("\"eval_on\":\"nearest of 8 modes, 3 sigma, 2500 generated\""),
                evaluated.get(0));
        r = CommandLine.run("evaluate", run.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("modes_covered = ") && r.out().contains("reverse_kl = ") && r.out().contains("0 real, 2500 generated"), r.out());
        r = CommandLine.run("evaluate", run.toString(), "--metrics", "fid,fdi");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("gan4j: unknown metric 'fdi'"), r.err());
    }

    @Test
    void evaluatingImagesNeedsAReadableClassifier() throws Exception {
        Path run = tmp.resolve("digits");
        CommandLine r = CommandLine.run("train", "--model", "dcgan28", "--data", "mnist-test", "--width", "4", "--batch-size", "8",
                "--steps", "2", "--device", "cpu", "--out", run.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        Path cached = tmp.resolve("home/classifiers/mnist.safetensors");

        r = CommandLine.run("evaluate", run.toString());
        assertEquals(1, r.status());
        assertEquals("gan4j: no mnist classifier in " + cached + "; train it with './gan4j classifier train --data mnist' or pass --train-classifier",
                r.err().strip());

        r = CommandLine.run("experiment", "modes", "--datasets", "stacked-mnist", "--variants", "gan", "--seeds", "1");
        assertEquals(1, r.status());
        assertEquals("gan4j: no mnist classifier cached; train it with ./gan4j classifier train --data mnist"
                + " (or leave stacked-mnist out: --datasets ring8,grid25)", r.err().strip());

        r = CommandLine.run("evaluate", run.toString(), "--metrics", "nope");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("gan4j: unknown metric 'nope'"), "a typo is named before the classifier is looked for: " + r.err());

        Files.createDirectories(cached.getParent());
        Files.write(cached, new byte[] {1, 2, 3});
        r = CommandLine.run("evaluate", run.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("gan4j: " + cached + ": ") && r.err().strip().endsWith("train it again with ./gan4j classifier train --data mnist"),
                r.err());
    }

    @Test
    void evaluateScoresSamplesFromANpyFileAgainstTheTestSplit() throws Exception {
        Path cached = tmp.resolve("home/classifiers/mnist.safetensors");
        Files.createDirectories(cached.getParent());
        new DomainClassifier("tiny", new DomainClassifier.Architecture(1, 28, 4, 4, 8, 10), Rng.seeded(2)).save(cached, Map.of());
        Dataset digits = DataSources.openTest("mnist-test", null);
        float[] x = new float[100 * 784];
        for (int i = 0; i < 100; i++) digits.copyItem(i, x, i * 784);
        Path real = tmp.resolve("real.npy"), flat = tmp.resolve("flat.npy");
        Npy.write(real, Tensor.of(x, 100, 1, 28, 28));
        Npy.write(flat, Tensor.of(x, 100, 784));

        CommandLine r = CommandLine.run("evaluate", "--samples", real.toString(), "--data", "mnist-test", "--metrics", "fid,modes");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().startsWith(real + " against mnist-test") && r.out().contains("fid = ") && r.out().contains("tiny/penultimate; 100 real, 100 generated]")
                && r.out().contains("classes_covered = "), r.out());

        r = CommandLine.run("evaluate", "--samples", flat.toString(), "--data", "mnist-test");
        assertEquals(1, r.status());
        assertEquals("gan4j: samples of shape [100, 784] cannot be scored against the data's images: expected [n, 1, 28, 28] with n ≥ 10", r.err().strip());
        r = CommandLine.run("evaluate", "--samples", real.toString());
        assertEquals("gan4j: --samples needs --data: the dataset whose classifier and test split judge them", r.err().strip());
        r = CommandLine.run("evaluate", tmp.toString(), "--samples", real.toString(), "--data", "mnist-test");
        assertEquals("gan4j: --samples scores a file, not the run in " + tmp + "; give one of them", r.err().strip());
        r = CommandLine.run("evaluate");
        assertEquals("gan4j: name a run directory (DIR)", r.err().strip());
    }

    @Test
    void classifierTrainingRejectsBadFlagsBeforeLoadingData() {
        CommandLine r = CommandLine.run("classifier", "train", "--data", "mnist", "--max-shift", "9");
        assertEquals(1, r.status());
        assertEquals("gan4j: --max-shift must be in 0..8, got 9", r.err().strip());
        r = CommandLine.run("classifier", "train", "--data", "mnist", "--epochs", "0");
        assertEquals("gan4j: --epochs must be at least 1, got 0", r.err().strip());
        r = CommandLine.run("classifier", "train", "--data", "stacked-mnist");
        assertEquals("gan4j: --data: train the 'mnist' classifier, which judges stacked-mnist", r.err().strip());
    }

    @Test
    void imageFiguresNameTheirExtractorAndCounts() {
        Generator g = Models.create("dcgan28", ModelOptions.defaults().withWidth(8), Rng.seeded(1)).generator();
        DomainClassifier c = new DomainClassifier("tiny", new DomainClassifier.Architecture(1, 28, 4, 4, 8, 10), Rng.seeded(2));
        Dataset digits = DataSources.open("mnist-test", null);
        List<Metric> metrics = GeneratorMetrics.evaluate(g, digits, c, Set.of("fid", "kid", "pr", "is", "modes"), 60, 3);
        List<String> names = metrics.stream().map(Metric::name).toList();
        assertEquals(List.of("fid", "kid", "precision", "recall", "is", "classes_covered", "class_kl", "confident_share"), names);
        for (Metric m : metrics) {
            assertTrue(m.extractor().startsWith("tiny/") && m.nFake() == 60, m.toString());
            assertTrue(Double.isFinite(m.value()), m.toString());
        }
        assertEquals(60, metrics.getFirst().nReal());
    }
}
