package org.gan4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.gan4j.data.Dataset;
import org.gan4j.data.DatasetException;
import org.gan4j.data.Datasets;
import org.gan4j.data.Idx;
import org.gan4j.metrics.DomainClassifier;
import org.gan4j.tensor.Rng;

/** The domain classifiers behind the metrics: where they are cached, what they train on, which one a dataset uses. */
final class Classifiers {
    private Classifiers() {
    }

    /** Epochs that reach the accuracies in QUALITY.md within minutes on two cores: more passes over MNIST's 10,000 training digits. */
    static int defaultEpochs(String name) {
        return name.equals("mnist") ? 12 : 4;
    }

    /** The classifier that judges a dataset's samples: Stacked MNIST and the shipped digits use MNIST's. */
    static String forDataset(String dataset) {
        return switch (dataset) {
            case "mnist", "mnist-test", "stacked-mnist" -> "mnist";
            case "fashion-mnist", "kmnist" -> dataset;
            default -> throw new CliException("no domain classifier for dataset '" + dataset + "' (known: mnist, fashion-mnist, kmnist)");
        };
    }

    /** The cached classifier that judges {@code dataset}'s samples, or null when it has none or none was trained yet. */
    static DomainClassifier.Loaded cachedFor(String dataset) {
        return switch (dataset) {
            case "mnist", "mnist-test", "stacked-mnist", "fashion-mnist", "kmnist" -> cached(forDataset(dataset));
            default -> null;
        };
    }

    /** $GAN4J_HOME/classifiers/NAME.safetensors (GAN4J_HOME defaults to ~/.gan4j). */
    static Path cacheFile(String name) {
        String env = System.getenv("GAN4J_HOME");
        Path home = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".gan4j");
        return home.resolve("classifiers").resolve(name + ".safetensors");
    }

    /** The cached classifier for {@code name}, or null when none was trained yet. */
    static DomainClassifier.Loaded cached(String name) {
        Path file = cacheFile(name);
        return Files.isRegularFile(file) ? DomainClassifier.load(file) : null;
    }

    /**
     * Trains on the dataset's training split and scores on its test split, then writes the weights with
     * their accuracy, data checksums and architecture. For MNIST a folder holding the 10,000-digit
     * training subset (train10k-*-idx*-ubyte.gz) is used when --data-dir names one.
     */
    static DomainClassifier.Loaded train(String name, Path dataDir, int epochs, long seed, Path out, Consumer<String> progress) {
        Dataset train, test;
        try {
            Datasets datasets = Datasets.standard(dataDir);
            Path subset = dataDir == null ? null : dataDir.resolve("train10k-images-idx3-ubyte.gz");
            train = name.equals("mnist") && subset != null && Files.isRegularFile(subset)
                    ? Idx.read("mnist-train10k", subset, dataDir.resolve("train10k-labels-idx1-ubyte.gz"))
                    : datasets.load(name, Datasets.Split.TRAIN);
            test = datasets.load(name, Datasets.Split.TEST);
        } catch (DatasetException e) {
            throw new CliException(e.getMessage());
        }
        int[] shape = train.itemShape();
        var architecture = DomainClassifier.Architecture.lenet(shape[0], shape[1], train.classes());
        progress.accept("training the " + name + " classifier (" + architecture.describe() + ") on " + train.describe()
                + ", " + epochs + " epochs; test set " + test.describe());
        DomainClassifier classifier = new DomainClassifier(name + "-lenet", architecture, Rng.seeded(seed));
        double accuracy = classifier.train(train, test, epochs, 64, Rng.seeded(seed).fork(1), progress);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("test_accuracy", String.format(Locale.ROOT, "%.4f", accuracy));
        meta.put("train_data", train.describe());
        meta.put("train_sha256", train.checksum());
        meta.put("test_data", test.describe());
        meta.put("test_sha256", test.checksum());
        meta.put("epochs", Integer.toString(epochs));
        meta.put("seed", Long.toString(seed));
        meta.put("gan4j_version", TrainCommand.VERSION);
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new CliException("cannot create " + out.getParent() + ": " + e.getMessage());
        }
        classifier.save(out, meta);
        progress.accept(String.format(Locale.ROOT, "wrote %s (test accuracy %.2f %%)", out, 100 * accuracy));
        return new DomainClassifier.Loaded(classifier, meta);
    }
}
