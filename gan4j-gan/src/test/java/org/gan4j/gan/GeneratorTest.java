package org.gan4j.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GeneratorTest {
    @Test
    void samplesAreRepeatableInEvaluationModeAndBatchedWithoutChangingThem() {
        Generator g = Models.create("cgan-mlp", ModelOptions.defaults().withGHidden(8, 8).withDHidden(8), Rng.seeded(1)).generator();
        g.train();
        Tensor many = g.sample(1203, 5);
        assertArrayEquals(new int[] {1203, 1, 28, 28}, many.shape());
        assertTrue(g.isTraining(), "sampling leaves the generator's mode as it was");
        assertArrayEquals(many.toArray(), g.sample(1203, 5).toArray(), "the same seed gives the same samples");
        // batches of 500 each draw their own noise stream, so a prefix does not depend on how many follow
        float[] first500 = Arrays.copyOf(many.toArray(), 500 * 784);
        assertArrayEquals(first500, g.sample(500, 5).toArray());
        assertFalse(Arrays.equals(first500, g.sample(500, 6).toArray()), "another seed, other samples");

        // what a batch is: evaluation mode (BatchNorm's running statistics), the seed's stream for that batch, classes in turn
        g.eval();
        Tensor direct = g.generate(g.noise(3, Rng.seeded(5).fork(0)), new int[] {0, 1, 2});
        g.train();
        assertArrayEquals(direct.toArray(), g.sample(3, 5).toArray(), 1e-6f);
    }

    @Test
    void aNoiseBatchMadeInPartsIsTheSameBitsAsInOnePass() {
        for (String model : new String[] {"dcgan28", "cgan-dcgan28", "resnet28"}) {
            Generator g = Models.create(model, ModelOptions.defaults().withWidth(8), Rng.seeded(2)).generator();
            Tensor z = g.noise(620, Rng.seeded(3));
            int[] labels = g.classesInTurn(620, 4);
            g.train();
            Tensor parts = g.sample(z, labels);
            assertTrue(g.isTraining(), "sampling leaves the generator's mode as it was");
            g.eval();
            try (var ng = Autograd.noGrad()) {
                assertArrayEquals(g.generate(z, labels).toArray(), parts.toArray(), model + ": 500 + 120 rows against 620 at once");
            }
        }
    }
}
