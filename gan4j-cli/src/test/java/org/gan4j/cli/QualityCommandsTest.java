package org.gan4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.gan4j.data.Dataset;
import org.gan4j.gan.Generator;
import org.gan4j.gan.ModelOptions;
import org.gan4j.gan.Models;
import org.gan4j.metrics.DomainClassifier;
import org.gan4j.metrics.Metric;
import org.gan4j.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train --eval-every, evaluate and the figures they share; the trained classifiers are measured in QUALITY.md, not here. */
class QualityCommandsTest {
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
    void mixtureRunsRecordTheirModesWhileTrainingAndWhenEvaluated() throws Exception {
        Path run = tmp.resolve("ring");
        String[] r = gan4j("train", "--model", "mlp2d", "--data", "ring8", "--g-hidden", "16", "--d-hidden", "16", "--batch-size", "20",
                "--steps", "30", "--eval-every", "20", "--device", "cpu", "--out", run.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        List<String> evaluated = Files.readAllLines(run.resolve("metrics.jsonl")).stream().filter(l -> l.contains("modes_covered")).toList();
        assertEquals(2, evaluated.size(), "steps 20 and 30 (the last): " + evaluated);
        assertTrue(evaluated.get(0).startsWith("{\"step\":20,") && evaluated.get(0).contains("\"eval_on\":\"nearest of 8 modes, 3 sigma, 2500 generated\""),
                evaluated.get(0));
        r = gan4j("evaluate", run.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("modes_covered = ") && r[1].contains("reverse_kl = ") && r[1].contains("0 real, 2500 generated"), r[1]);
    }

    @Test
    void imageFiguresNameTheirExtractorAndCounts() {
        Generator g = Models.create("dcgan28", ModelOptions.defaults().withWidth(8), Rng.seeded(1)).generator();
        DomainClassifier c = new DomainClassifier("tiny", new DomainClassifier.Architecture(1, 28, 4, 4, 8, 10), Rng.seeded(2));
        Dataset digits = DataSources.open("mnist-test", null);
        List<Metric> metrics = GeneratorMetrics.evaluate(g, digits, c, Set.of("fid", "kid", "pr", "is", "modes"), 60, 3);
        List<String> names = metrics.stream().map(Metric::name).toList();
        assertEquals(List.of("fid", "kid", "precision", "recall", "is", "classes_covered", "class_kl"), names);
        for (Metric m : metrics) {
            assertTrue(m.extractor().startsWith("tiny/") && m.nFake() == 60, m.toString());
            assertTrue(Double.isFinite(m.value()), m.toString());
        }
        assertEquals(60, metrics.getFirst().nReal());
    }
}
