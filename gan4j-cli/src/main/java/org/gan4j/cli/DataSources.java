package org.gan4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gan4j.data.Dataset;
import org.gan4j.data.DatasetException;
import org.gan4j.data.Datasets;
import org.gan4j.data.ImageFolder;
import org.gan4j.data.Mixtures;
import org.gan4j.data.StackedMnist;

/** What --data names: a downloadable dataset, the shipped digits, a synthetic set, or an image folder. */
final class DataSources {
    /** MNIST's 10,000 test digits, shipped inside gan4j so the first run works offline. */
    static final String DEFAULT = "mnist-test";
    static final String NAMES_HELP = "mnist-test (shipped), mnist, fashion-mnist, kmnist, cifar10, ring8, grid25, stacked-mnist,";
    /** Sizes of the synthetic sets: PacGAN's protocol draws 100,000 points and 128,000 stacked digits. */
    private static final int MIXTURE_SAMPLES = 100_000, STACKED_SAMPLES = 128_000;
    private static final long DATA_SEED = 2018;

    private DataSources() {
    }

    static Dataset open(String name, Path dataDir) {
        try {
            return switch (name) {
                case DEFAULT -> Datasets.mnistShipped();
                case "ring8" -> Mixtures.ring8(MIXTURE_SAMPLES, DATA_SEED);
                case "grid25" -> Mixtures.grid25(MIXTURE_SAMPLES, DATA_SEED);
                case "stacked-mnist" -> StackedMnist.of(Datasets.mnistShipped(), STACKED_SAMPLES, DATA_SEED);
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
