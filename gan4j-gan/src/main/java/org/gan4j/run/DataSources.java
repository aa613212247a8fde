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

    /** The training split of {@code name}, from {@code dataDir} when given, else gan4j's cache (downloading when online). */
    public static Dataset open(String name, Path dataDir) {
        try {
            return switch (name) {
                case DEFAULT -> Datasets.mnistShipped();
                // the synthetic sets of PacGAN's protocol: 100,000 points, 128,000 stacked digits
                case "ring8", "grid25", ModeCollapseExperiment.STACKED -> ModeCollapseExperiment.data(name);
                default -> {
                    Path folder = Path.of(name);
                    if (Files.isDirectory(folder)) yield ImageFolder.read(folder, 64, true);
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
}
