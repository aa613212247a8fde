package org.gan4j.run;

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
public final class Classifiers {
    private Classifiers() {
    }

    /** How long to train, and how far to shift the training images. */
    public record Recipe(int epochs, int maxShift) {
    }

    /**
     * What reaches the accuracies in QUALITY.md within ten minutes on two cores: MNIST's 10,000
     * training digits need many shifted passes; the 60,000-image sets underfit in their few
     * passes, where shifts only cost accuracy.
     */
    public static Recipe recipe(String name) {
        return name.equals("mnist") ? new Recipe(12, 2) : new Recipe(4, 0);
    }

    /** The classifier that judges a dataset's samples: Stacked MNIST and the shipped digits use MNIST's. */
    public static String forDataset(String dataset) {
        String name = nameFor(dataset);
        if (name == null) throw new IllegalArgumentException("no domain classifier for dataset '" + dataset + "' (known: mnist, fashion-mnist, kmnist)");
        return name;
    }

    private static String nameFor(String dataset) {
        return switch (dataset) {
            case "mnist", "mnist-test", "stacked-mnist" -> "mnist";
            case "fashion-mnist", "kmnist" -> dataset;
            default -> null;
        };
    }

    /** The cached classifier that judges {@code dataset}'s samples, or null when it has none or none was trained yet. */
    public static DomainClassifier.Loaded cachedFor(String dataset) {
        String name = nameFor(dataset);
        return name == null ? null : cached(name);
    }

    /** Why {@link #cachedFor} found nothing, in words for the user. */
    public static String missing(String dataset) {
        String name = nameFor(dataset);
        return name == null ? "gan4j has no classifier for " + dataset
                : "no " + name + " classifier cached; train it with ./gan4j classifier train --data " + name;
    }

    /**
     * $GAN4J_HOME/classifiers/NAME.safetensors (GAN4J_HOME defaults to ~/.gan4j); the system
     * property gan4j.home, when set, comes first, so tests do not see the user's cache.
     */
    public static Path cacheFile(String name) {
        String set = System.getProperty("gan4j.home", System.getenv("GAN4J_HOME"));
        Path home = set != null && !set.isBlank() ? Path.of(set) : Path.of(System.getProperty("user.home"), ".gan4j");
        return home.resolve("classifiers").resolve(name + ".safetensors");
    }

    /** The cached classifier for {@code name}, or null when none was trained yet. */
    public static DomainClassifier.Loaded cached(String name) {
        Path file = cacheFile(name);
        if (!Files.isRegularFile(file)) return null;
        try {
            return DomainClassifier.load(file);
        } catch (IllegalArgumentException e) {
            // the file names what is wrong with it; the user also needs to know how to replace it
            throw new RunException(e.getMessage() + "; train it again with ./gan4j classifier train --data " + name);
        }
    }

    /**
     * Trains on the dataset's training split and scores on its test split, then writes the weights with
     * their accuracy, data checksums and architecture. For MNIST a folder holding the 10,000-digit
     * training subset (train10k-*-idx*-ubyte.gz) is used when --data-dir names one.
     */
    public static DomainClassifier.Loaded train(String name, Path dataDir, Recipe recipe, long seed, Path out, Consumer<String> progress) {
        Dataset train, test;
        try {
            Datasets datasets = Datasets.standard(dataDir);
            Path subset = dataDir == null ? null : dataDir.resolve("train10k-images-idx3-ubyte.gz");
            train = name.equals("mnist") && subset != null && Files.isRegularFile(subset)
                    ? Idx.read("mnist-train10k", subset, dataDir.resolve("train10k-labels-idx1-ubyte.gz"))
                    : datasets.load(name, Datasets.Split.TRAIN);
            test = datasets.load(name, Datasets.Split.TEST);
        } catch (DatasetException e) {
            throw new RunException(e.getMessage(), e);
        }
        int[] shape = train.itemShape();
        var architecture = DomainClassifier.Architecture.lenet(shape[0], shape[1], train.classes());
        progress.accept("training the " + name + " classifier (" + architecture.describe() + ") on " + train.describe()
                + ", " + recipe.epochs() + " epochs, shifts up to " + recipe.maxShift() + " pixels; test set " + test.describe());
        DomainClassifier classifier = new DomainClassifier(name + "-lenet", architecture, Rng.seeded(seed));
        double accuracy = classifier.train(train, test, recipe.epochs(), 64, recipe.maxShift(), Rng.seeded(seed).fork(1), progress);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("test_accuracy", String.format(Locale.ROOT, "%.4f", accuracy));
        meta.put("train_data", train.describe());
        meta.put("train_sha256", train.checksum());
        meta.put("test_data", test.describe());
        meta.put("test_sha256", test.checksum());
        meta.put("epochs", Integer.toString(recipe.epochs()));
        meta.put("max_shift", Integer.toString(recipe.maxShift()));
        meta.put("seed", Long.toString(seed));
        meta.put("gan4j_version", Provenance.VERSION);
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new RunException("cannot create " + out.getParent() + ": " + e.getMessage(), e);
        }
        classifier.save(out, meta);
        progress.accept(String.format(Locale.ROOT, "wrote %s (test accuracy %.2f %%)", out, 100 * accuracy));
        return new DomainClassifier.Loaded(classifier, meta);
    }
}
