package org.gan4j.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gan4j.optim.OptimizerSpec;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** resnet28 trains on the shipped digits as R3GAN trains (rpgan, R1 and R2, β1 = 0), resumes exactly and loads back. */
class ResNetRunTest {
    @TempDir
    Path tmp;

    private RunBuilder tiny(Path dir, long steps) {
        return GanRun.builder().model("resnet28").widths(8, 0, 0).data("mnist-test").loss("rpgan").r1(0.1f).r2(0.1f)
                .optimizerG(OptimizerSpec.adam(2e-4f, 0f, 0.99f)).optimizerD(OptimizerSpec.adam(2e-4f, 0f, 0.99f))
                .batchSize(8).steps(steps).checkpointEvery(2).sampleEvery(2).seed(3).directory(dir);
    }

    @Test
    void resnet28TrainsOnDigitsWithTheR3ganLossAndResumesToTheSameBits() {
        GanRun whole = tiny(tmp.resolve("whole"), 4).build();
        whole.fit();
        List<Map<String, Object>> history = whole.history();
        assertEquals(4, history.size());
        for (Map<String, Object> line : history) {
            for (String key : List.of("loss_d", "loss_g")) {
                Object v = line.get(key);   // a value that is not finite is logged as null
                assertTrue(v instanceof Number n && Double.isFinite(n.doubleValue()), key + " at step " + line.get("step") + ": " + v);
            }
        }
        assertFalse(history.getFirst().get("loss_g").equals(history.getLast().get("loss_g")), "the networks learn: " + history);

        tiny(tmp.resolve("parts"), 2).build().fit();
        GanRun.builder().resume(tmp.resolve("parts")).steps(4).build().fit();
        Tensor a = TrainedGenerator.load(tmp.resolve("whole")).sample(4, 7), b = TrainedGenerator.load(tmp.resolve("parts")).sample(4, 7);
        assertArrayEquals(new int[] {4, 1, 28, 28}, a.shape());
        assertArrayEquals(a.toArray(), b.toArray(), "a resumed run ends with the bits of one that never stopped");
    }
}
