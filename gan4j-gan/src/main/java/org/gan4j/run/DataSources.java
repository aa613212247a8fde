package org.gan4j.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gan4j.data.Dataset;
import org.gan4j.data.DatasetException;
import org.gan4j.data.Datasets;
import org.gan4j.data.ImageFolder;

/** What a run's data names: a downloadable dataset, the shipped digits, a synthetic set, or a folder of images. */
public final class DataSources {
    /** MNIST's 10,000 test digits, shipped inside gan4j so the first run works offline. */
    public static final String DEFAULT = "mnist-test";
    public static final List<String> NAMES = List.of(DEFAULT, "mnist", "fashion-mnist", "kmnist", "cifar10", "ring8", "grid25",
            ModeCollapseExperiment.STACKED);

    private DataSources() {
    }

    /** The training split of {@code name}, from {@code dataDir} when given, else gan4j's cache; a folder loads as 3×64×64. */
    public static Dataset open(String name, Path dataDir) {
        return open(name, dataDir, 0, 0);
    }

    /** A run's data as it trained on it: a folder at the run's image size and channels. */
    public static Dataset open(RunConfig config) {
        return open(config.data(), config.dataDir() == null ? null : Path.of(config.dataDir()), config.imageSize(), config.channels());
    }

    /**
     * Like {@link #open(String, Path)}, with a folder's images loaded at {@code size}×{@code size} and {@code channels}
     * (1 grayscale, 3 RGB); 0 keeps 64 and 3, what a folder loaded as before runs recorded its size. Named sets ignore both.
     */
    public static Dataset open(String name, Path dataDir, int size, int channels) {
        try {
            return switch (name) {
                case DEFAULT -> Datasets.mnistShipped();
                // the synthetic sets of PacGAN's protocol: 100,000 points, 128,000 stacked digits
                case "ring8", "grid25", ModeCollapseExperiment.STACKED -> ModeCollapseExperiment.data(name);
                default -> {
                    if (isFolder(name)) yield ImageFolder.read(Path.of(name), size > 0 ? size : 64, channels != 1);
                    if (!Datasets.names().contains(name)) {
                        throw new IllegalArgumentException("unknown dataset '" + name + "' (known: " + String.join(", ", NAMES)
                                + ", or a folder of images)");
                    }
                    yield Datasets.standard(dataDir).load(name, Datasets.Split.TRAIN);
                }
            };
        } catch (DatasetException e) {
            throw new RunException(e.getMessage(), e);
        }
    }

    /** The test split of a named image dataset (the shipped digits are MNIST's test split): what samples are scored against. */
    public static Dataset openTest(String name, Path dataDir) {
        if (name.equals(DEFAULT)) return Datasets.mnistShipped();
        if (!Datasets.names().contains(name)) {
            throw new IllegalArgumentException("no test split for '" + name + "' (known: " + DEFAULT + ", " + String.join(", ", Datasets.names()) + ")");
        }
        try {
            return Datasets.standard(dataDir).load(name, Datasets.Split.TEST);
        } catch (DatasetException e) {
            throw new RunException(e.getMessage(), e);
        }
    }

    /** Whether {@code name} means a folder of images rather than one of {@link #NAMES}. */
    public static boolean isFolder(String name) {
        return switch (name) {
            case DEFAULT, "ring8", "grid25", ModeCollapseExperiment.STACKED -> false;
            default -> Files.isDirectory(Path.of(name));
        };
    }
}
