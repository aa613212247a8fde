package org.gan4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gan4j.data.Dataset;
import org.gan4j.data.DatasetException;
import org.gan4j.data.Datasets;
import org.gan4j.data.ImageFolder;
import org.gan4j.gan.ModeCollapseExperiment;

/** What --data names: a downloadable dataset, the shipped digits, a synthetic set, or an image folder. */
final class DataSources {
    /** MNIST's 10,000 test digits, shipped inside gan4j so the first run works offline. */
    static final String DEFAULT = "mnist-test";
    static final String NAMES_HELP = "mnist-test (shipped), mnist, fashion-mnist, kmnist, cifar10, ring8, grid25, stacked-mnist,";

    private DataSources() {
    }

    static Dataset open(String name, Path dataDir) {
        try {
            return switch (name) {
                case DEFAULT -> Datasets.mnistShipped();
                // the synthetic sets of PacGAN's protocol: 100,000 points, 128,000 stacked digits
                case "ring8", "grid25", ModeCollapseExperiment.STACKED -> ModeCollapseExperiment.data(name);
                default -> {
                    Path folder = Path.of(name);
                    if (Files.isDirectory(folder)) yield ImageFolder.read(folder, 64, true);
                    if (!Datasets.names().contains(name)) {
                        throw new CliException("--data: unknown dataset '" + name + "' (known: " + NAMES_HELP
                                + " or a folder of images)");
                    }
                    yield Datasets.standard(dataDir).load(name, Datasets.Split.TRAIN);
                }
            };
        } catch (DatasetException e) {
            throw new CliException(e.getMessage());
        }
    }
}
