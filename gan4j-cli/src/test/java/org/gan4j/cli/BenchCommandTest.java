package org.gan4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import org.gan4j.gan.FlopCount;
import org.gan4j.gan.GanModel;
import org.gan4j.gan.ModelOptions;
import org.gan4j.gan.Models;
import org.gan4j.tensor.Backends;
import org.gan4j.tensor.Rng;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shape of bench's output, never its speed. */
class BenchCommandTest {
    private static final String[] TINY = {"bench", "--model", "mlp", "--batch-size", "8,4", "--device", "cpu", "--threads", "1",
            "--warmup", "0.05", "--seconds", "0.05", "--blocks", "2"};

    @AfterEach
    void restoreDevice() {
        Backends.setDefault(Backends.cpu());   // --threads installed a backend of its own
    }

    private static String run(String... extra) {
        String[] args = new String[TINY.length + extra.length];
        System.arraycopy(TINY, 0, args, 0, TINY.length);
        System.arraycopy(extra, 0, args, TINY.length, extra.length);
        CommandLine r = CommandLine.run(args);
        assertEquals(0, r.status(), r.err());
        return r.out();
    }

    @Test
    void jsonHasOnePositiveLinePerBatchSize() throws Exception {
        String[] lines = run("--json").strip().split("\n");
        assertEquals(2, lines.length, String.join("\n", lines));
        for (int i = 0; i < lines.length; i++) {
            JsonNode line = new ObjectMapper().readTree(lines[i]);
            assertEquals("mlp", line.get("model").asText());
            assertEquals(i == 0 ? 8 : 4, line.get("batch").asInt());
            for (String field : new String[] {"steps_per_s", "images_per_s", "gflops", "inference_images_per_s"}) {
                assertTrue(line.get(field).asDouble() > 0, field + " in " + lines[i]);
            }
            assertEquals(line.get("batch").asDouble() * line.get("steps_per_s").asDouble(), line.get("images_per_s").asDouble(), 1e-6);
            assertEquals(1, line.get("threads").asInt());
            assertEquals("cpu", line.get("device").asText());
            assertEquals(2, line.get("blocks").asInt());
            assertTrue(!line.get("java").asText().isEmpty() && !line.get("cpu").asText().isEmpty(), lines[i]);
        }
    }

    @Test
    void tableHasAHeaderAndARowPerBatchSize() {
        String[] lines = run().strip().split("\n");
        assertEquals(4, lines.length, String.join("\n", lines));
        assertTrue(lines[1].contains("images/s") && lines[1].contains("GFLOP/s"), lines[1]);
        assertTrue(lines[2].startsWith("mlp") && lines[3].startsWith("mlp"), String.join("\n", lines));
    }

    @Test
    void runsAloneAsTheCommandLineRunsIt() {
        String[] alone = Arrays.copyOfRange(TINY, 1, TINY.length);   // without "bench"
        CommandLine ok = CommandLine.capture(() -> Main.runAlone(new BenchCommand(), alone));
        assertEquals(0, ok.status(), ok.err());
        assertEquals(4, ok.out().strip().split("\n").length, ok.out());
        CommandLine bad = CommandLine.capture(() -> Main.runAlone(new BenchCommand(), "--blocks", "0"));
        assertEquals(1, bad.status());
        assertEquals("gan4j: --blocks must be ≥ 1, --seconds > 0, --warmup ≥ 0", bad.err().strip());
    }

    @Test
    void flopCountOfTheMlpStepMatchesTheLayerSizes() {
        GanModel m = Models.create("mlp", ModelOptions.defaults(), Rng.seeded(0));
        long g = 100L * 256 + 256L * 512 + 512L * 1024 + 1024L * 784, d = 784L * 512 + 512L * 256 + 256L;
        long gFirst = 100L * 256, dFirst = 784L * 512;
        // G: forward, weight and input gradients (none into z); D: 2 × (forward, weight and input gradients
        // but the first layer's) in phase 1, forward and all input gradients in phase 2
        long expected = (3 * g - gFirst) + 2 * (3 * d - dFirst) + 2 * d;
        assertEquals(expected, FlopCount.trainingStep(FlopCount.generator(m), FlopCount.discriminator(m)));
    }
}
