package org.gan4j.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.gan4j.data.Dataset;
import org.gan4j.data.Datasets;
import org.gan4j.data.StackedMnist;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Scope;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sanity of the image metrics in a real classifier's features. CI trains a narrow LeNet for three
 * epochs on 5,000 of the shipped test digits (the full classifier is trained by the CLI) and
 * compares the other 5,000 split in two halves.
 */
class ClassifierMetricsTest {
    private static DomainClassifier classifier;
    private static Tensor halfA, halfB;
    private static Dataset heldOut;

    @BeforeAll
    static void train() {
        Dataset digits = Datasets.mnistShipped();
        Dataset shuffled = new ShuffledSubset(digits, digits.size(), 1);
        Dataset train = new Slice(shuffled, 0, 5000);
        heldOut = new Slice(shuffled, 5000, 10_000);
        classifier = new DomainClassifier("mnist-small", new DomainClassifier.Architecture(1, 28, 8, 16, 32, 10), Rng.seeded(2));
        double accuracy = classifier.train(train, heldOut, 3, 32, 2, Rng.seeded(3), System.out::println);
        assertTrue(accuracy > 0.85, "the small classifier must be usable: " + accuracy);
        halfA = Scope.outside(() -> images(new Slice(heldOut, 0, 2500)));
        halfB = Scope.outside(() -> images(new Slice(heldOut, 2500, 5000)));
    }

    @Test
    void frechetDistanceSeparatesRealFromNoiseAndGrowsWithNoise() {
        double[][] a = classifier.apply(halfA).features();
        double realVsReal = FeatureMetrics.frechetDistance(a, classifier.apply(halfB).features());
        double realVsNoise = FeatureMetrics.frechetDistance(a, classifier.apply(Tensor.rand(Rng.seeded(4), 2500, 1, 28, 28).mul(2).sub(1)).features());
        System.out.printf("FD real/real %.4f, real/uniform noise %.4f%n", realVsReal, realVsNoise);
        assertTrue(realVsReal < 0.02 * realVsNoise, "two real halves must be far closer than real and noise");
        // Levels start where the noise moves FD beyond its sampling spread (σ = 0.1 does not, in this net).
        double previous = realVsReal;
        for (double sigma : new double[] {0.3, 0.6, 1.0, 1.5}) {
            Tensor noisy = halfB.add(Tensor.randn(Rng.seeded(5), halfB.shape()).mul((float) sigma));
            double fd = FeatureMetrics.frechetDistance(a, classifier.apply(noisy).features());
            System.out.printf("FD real/real+N(0, %.1f²) %.4f%n", sigma, fd);
            assertTrue(fd > previous, "FD must grow with the noise: " + fd + " after " + previous);
            previous = fd;
        }
    }

    @Test
    void kernelDistanceOfTwoRealHalvesIsZeroWithinItsSpread() {
        var kid = FeatureMetrics.kernelDistance(classifier.apply(halfA).features(), classifier.apply(halfB).features(), 10, 1000, 6);
        System.out.printf("KID real/real %.6f ± %.6f%n", kid.mean(), kid.std());
        assertTrue(Math.abs(kid.mean()) <= 2 * kid.std(), "KID of two real halves: " + kid);
    }

    @Test
    void evaluationOfRealImagesCoversEveryClassAndNamesItsExtractor() {
        var metrics = SampleEvaluation.evaluate(classifier, heldOut, halfB, Set.of("fid", "is", "modes"), 7);
        metrics.forEach(System.out::println);
        Metric covered = metrics.stream().filter(m -> m.name().equals("classes_covered")).findFirst().orElseThrow();
        assertTrue(covered.value() == 10 && covered.nFake() == 2500, covered.toString());
        Metric is = metrics.stream().filter(m -> m.name().equals("is")).findFirst().orElseThrow();
        // Three short epochs leave the narrow net unsure (IS 5.7 here; the CLI's full classifier gives real digits far more),
        // but real digits must still score well above a single class's 1.
        assertTrue(is.value() > 3 && is.value() <= 10, "real digits are confident and varied: " + is);
        assertTrue(metrics.stream().allMatch(m -> m.extractor().startsWith("mnist-small/")));
    }

    @Test
    void stackedDigitsCoverAlmostAllThousandModes() {
        // 5,000 real stacks: a perfect generator's modes; sampling alone leaves ~7 of 1,000 empty and a KL near 0.1
        Tensor stacks = images(StackedMnist.of(heldOut, 5000, 8), 3);
        var metrics = SampleEvaluation.evaluate(classifier, heldOut, stacks, Set.of("modes"), 9);
        metrics.forEach(System.out::println);
        assertTrue(metrics.get(0).name().equals("stacked_modes_covered") && metrics.get(0).value() > 950, metrics.toString());
        assertTrue(metrics.get(1).value() < 0.3, "KL to uniform of real stacks: " + metrics.get(1));
    }

    @Test
    void savedClassifierGivesTheSameOutputs(@TempDir Path dir) {
        Path file = dir.resolve("c.safetensors");
        classifier.save(file, Map.of("test_accuracy", "0.9"));
        DomainClassifier.Loaded loaded = DomainClassifier.load(file);
        Tensor some = halfA.slice(0, 0, 20);
        assertArrayEquals(classifier.apply(some).features()[19], loaded.classifier().apply(some).features()[19]);
        assertTrue(loaded.metadata().get("architecture").equals(classifier.architecture().describe()));
    }

    private static Tensor images(Dataset d) {
        return images(d, 1);
    }

    private static Tensor images(Dataset d, int channels) {
        float[] buf = new float[d.size() * d.itemLength()];
        for (int i = 0; i < d.size(); i++) d.copyItem(i, buf, i * d.itemLength());
        return Tensor.of(buf, d.size(), channels, 28, 28);
    }

    /** Items [from, to) of a dataset. */
    private record Slice(Dataset data, int from, int to) implements Dataset {
        public int size() {
            return to - from;
        }

        public int[] itemShape() {
            return data.itemShape();
        }

        public int classes() {
            return data.classes();
        }

        public void copyItem(int i, float[] dst, int offset) {
            data.copyItem(from + i, dst, offset);
        }

        public int label(int i) {
            return data.label(from + i);
        }

        public String describe() {
            return "items " + from + ".." + to + " of " + data.describe();
        }

        public String checksum() {
            return data.checksum();
        }
    }
}
