package org.gan4j.metrics;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.gan4j.data.Batch;
import org.gan4j.data.DataLoader;
import org.gan4j.data.Dataset;
import org.gan4j.nn.Conv2d;
import org.gan4j.nn.Dropout;
import org.gan4j.nn.Flatten;
import org.gan4j.nn.Linear;
import org.gan4j.nn.Loss;
import org.gan4j.nn.MaxPool2d;
import org.gan4j.nn.ReLU;
import org.gan4j.nn.SafeTensors;
import org.gan4j.nn.Sequential;
import org.gan4j.optim.Adam;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Scope;
import org.gan4j.tensor.Tensor;

/**
 * A LeNet-style CNN trained on a dataset's real images, whose penultimate layer is the feature
 * space of the quality metrics and whose softmax gives the class-based ones. Two 5×5
 * convolutions with max-pooling, a hidden fully connected layer (the features), dropout, and
 * the class logits.
 */
public final class DomainClassifier {

    /** The network's shape: input channels and side, conv widths, feature size, classes. */
    public record Architecture(int channels, int side, int conv1, int conv2, int features, int classes) {
        public static Architecture lenet(int channels, int side, int classes) {
            return new Architecture(channels, side, 32, 64, 128, classes);
        }

        /** e.g. "lenet 1x28x28 conv32-conv64-fc128-10". */
        public String describe() {
            return String.format(Locale.ROOT, "lenet %dx%dx%d conv%d-conv%d-fc%d-%d", channels, side, side, conv1, conv2, features, classes);
        }

        static Architecture parse(String s) {
            var m = java.util.regex.Pattern.compile("lenet (\\d+)x(\\d+)x\\d+ conv(\\d+)-conv(\\d+)-fc(\\d+)-(\\d+)").matcher(s);
            if (!m.matches()) throw new IllegalArgumentException("unknown classifier architecture '" + s + "'");
            return new Architecture(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)));
        }
    }

    /** What the network says about a batch of images: penultimate features, class probabilities, the argmax. */
    public record Outputs(double[][] features, double[][] probabilities, int[] predicted) {
    }

    private static final float LEARNING_RATE = 1e-3f;

    private final Architecture architecture;
    private final String name;
    private final Sequential body;   // image -> features
    private final Sequential head;   // features -> logits
    private final Sequential net;

    /** @param name what the metrics call this extractor, e.g. "mnist-lenet" */
    public DomainClassifier(String name, Architecture a, Rng rng) {
        this.name = name;
        this.architecture = a;
        int side = a.side() / 4;
        body = new Sequential(new Conv2d(a.channels(), a.conv1(), 5, 1, 2, true, rng), new ReLU(), new MaxPool2d(2),
                new Conv2d(a.conv1(), a.conv2(), 5, 1, 2, true, rng), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(a.conv2() * side * side, a.features(), rng), new ReLU());
        head = new Sequential(new Dropout(0.3f, rng.fork(7)), new Linear(a.features(), a.classes(), rng));
        net = new Sequential(body, head);
    }

    public Architecture architecture() {
        return architecture;
    }

    /** The extractor's name as metrics record it: the classifier and the layer. */
    public String extractor() {
        return name + "/penultimate";
    }

    /**
     * Trains with Adam and cross-entropy, the learning rate falling from 1e-3 to 0 along a cosine,
     * on images shifted by up to {@code maxShift} pixels (a cheap augmentation that keeps a small
     * training set from being memorised; 0 for none); reports one line per epoch to
     * {@code progress} and returns the accuracy on {@code test}.
     */
    public double train(Dataset train, Dataset test, int epochs, int batchSize, int maxShift, Rng rng, Consumer<String> progress) {
        checkShape(train.itemShape());
        Adam adam = new Adam(net.parameters(), LEARNING_RATE);
        DataLoader loader = new DataLoader(train, batchSize, rng, true, true);
        Rng shifts = rng.fork(1);
        long totalSteps = (long) epochs * loader.batchesPerEpoch(), step = 0;
        double accuracy = Double.NaN;
        for (int epoch = 0; epoch < epochs; epoch++) {
            net.train();
            long start = System.nanoTime();
            double lossSum = 0;
            int steps = 0;
            for (Batch b : loader.epoch(epoch)) {
                adam.setLearningRate((float) (LEARNING_RATE * 0.5 * (1 + Math.cos(Math.PI * step++ / totalSteps))));
                try (Scope scope = Scope.open()) {
                    adam.zeroGrad();
                    Tensor images = maxShift > 0 ? shifted(b.images(), maxShift, shifts) : b.images();
                    Tensor loss = Loss.crossEntropy(net.forward(images), b.labels());
                    loss.backward();
                    adam.step();
                    lossSum += loss.item();
                    steps++;
                }
            }
            accuracy = accuracy(test);
            progress.accept(String.format(Locale.ROOT, "epoch %d/%d: loss %.4f, test accuracy %.2f %% (%.0f s)",
                    epoch + 1, epochs, lossSum / steps, 100 * accuracy, (System.nanoTime() - start) / 1e9));
        }
        return accuracy;
    }

    /** Each image moved by its own random offset in [−max, max]², uncovered pixels set to the background −1. */
    private static Tensor shifted(Tensor images, int max, Rng rng) {
        int[] shape = images.shape();
        int n = shape[0], c = shape[1], h = shape[2], w = shape[3];
        float[] src = images.toArray(), dst = new float[src.length];
        java.util.Arrays.fill(dst, -1f);
        for (int i = 0; i < n; i++) {
            int dy = rng.nextInt(2 * max + 1) - max, dx = rng.nextInt(2 * max + 1) - max;
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * h * w;
                for (int y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
                    System.arraycopy(src, base + (y - dy) * w + Math.max(0, -dx), dst, base + y * w + Math.max(0, dx), w - Math.abs(dx));
                }
            }
        }
        return Tensor.of(dst, shape);
    }

    /** The share of {@code data}'s items whose label is the predicted class. */
    public double accuracy(Dataset data) {
        int correct = 0;
        DataLoader loader = new DataLoader(data, 500, null, false, false);
        for (Batch b : loader.epoch(0)) {
            int[] predicted = apply(b.images()).predicted();
            for (int i = 0; i < b.size(); i++) if (predicted[i] == b.labels()[i]) correct++;
        }
        return correct / (double) data.size();
    }

    /** Runs images [n, C, H, W] in [-1, 1] through the network in evaluation mode, 500 at a time. */
    public Outputs apply(Tensor images) {
        checkShape(java.util.Arrays.copyOfRange(images.shape(), 1, images.shape().length));
        int n = images.shape()[0];
        double[][] features = new double[n][], probabilities = new double[n][];
        int[] predicted = new int[n];
        net.eval();
        try (var ng = Autograd.noGrad()) {
            for (int from = 0; from < n; from += 500) {
                int to = Math.min(n, from + 500);
                try (Scope scope = Scope.open()) {
                    Tensor f = body.forward(images.slice(0, from, to));
                    float[] fs = f.toArray(), ps = head.forward(f).softmax(1).toArray();
                    int d = architecture.features(), c = architecture.classes();
                    for (int i = 0; i < to - from; i++) {
                        features[from + i] = toDouble(fs, i * d, d);
                        probabilities[from + i] = toDouble(ps, i * c, c);
                        predicted[from + i] = argmax(probabilities[from + i]);
                    }
                }
            }
        }
        return new Outputs(features, probabilities, predicted);
    }

    /** Outputs for the first {@code count} items of a dataset (all when it has fewer). */
    public Outputs apply(Dataset data, int count) {
        try (Scope scope = Scope.open()) {
            return apply(data.items(0, Math.min(count, data.size())));
        }
    }

    /** Writes weights and provenance atomically; {@code metadata} adds e.g. the test accuracy and data checksum. */
    public void save(Path file, Map<String, String> metadata) {
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("name", name);
        meta.put("architecture", architecture.describe());
        SafeTensors.write(file, net.stateDict(), meta);
    }

    /** A classifier written by {@link #save}; its metadata come back with it. */
    public static Loaded load(Path file) {
        SafeTensors.Contents contents = SafeTensors.read(file);
        String arch = contents.metadata().get("architecture");
        if (arch == null) throw new IllegalArgumentException(file + " is not a gan4j classifier (no architecture in its metadata)");
        DomainClassifier c = new DomainClassifier(contents.metadata().getOrDefault("name", "classifier"), Architecture.parse(arch), Rng.seeded(0));
        c.net.loadStateDict(contents.tensors(), true);
        return new Loaded(c, contents.metadata());
    }

    public record Loaded(DomainClassifier classifier, Map<String, String> metadata) {
    }

    private void checkShape(int[] item) {
        int[] want = {architecture.channels(), architecture.side(), architecture.side()};
        if (!java.util.Arrays.equals(item, want)) {
            throw new IllegalArgumentException(name + " classifier takes images " + java.util.Arrays.toString(want) + ", got " + java.util.Arrays.toString(item));
        }
    }

    private static double[] toDouble(float[] src, int offset, int length) {
        double[] out = new double[length];
        for (int j = 0; j < length; j++) out[j] = src[offset + j];
        return out;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
        return best;
    }
}
