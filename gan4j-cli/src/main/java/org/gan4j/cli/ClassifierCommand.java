package org.gan4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gan4j.run.Classifiers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "classifier", mixinStandardHelpOptions = true, description = "Domain classifiers whose features the metrics use.",
        subcommands = ClassifierCommand.Train.class)
final class ClassifierCommand {

    @Command(name = "train", mixinStandardHelpOptions = true, description = "Train a LeNet-style classifier on a dataset and cache it.")
    static final class Train implements Callable<Integer> {
        @Option(names = "--data", required = true, description = "mnist, fashion-mnist or kmnist")
        String data;

        @Option(names = "--data-dir", description = "folder with the dataset's files; for mnist, one holding train10k-* trains on those 10,000 digits")
        Path dataDir;

        @Option(names = "--epochs", description = "epochs (default: 12 for mnist, 4 for the others)")
        Integer epochs;

        @Option(names = "--max-shift", description = "largest random shift of a training image in pixels (default: 2 for mnist, 0 for the others)")
        Integer maxShift;

        @Option(names = "--seed", defaultValue = "1", description = "seed (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--out", description = "output file (default: $GAN4J_HOME/classifiers/DATA.safetensors)")
        Path out;

        @Override
        public Integer call() {
            if (epochs != null && epochs < 1) throw new CliException("--epochs must be at least 1, got " + epochs);
            if (maxShift != null && (maxShift < 0 || maxShift > 8)) throw new CliException("--max-shift must be in 0..8, got " + maxShift);
            String name = Classifiers.forDataset(data);
            if (!name.equals(data)) throw new CliException("--data: train the '" + name + "' classifier, which judges " + data);
            Classifiers.Recipe defaults = Classifiers.recipe(name);
            var recipe = new Classifiers.Recipe(epochs != null ? epochs : defaults.epochs(), maxShift != null ? maxShift : defaults.maxShift());
            Classifiers.train(name, dataDir, recipe, seed, out != null ? out : Classifiers.cacheFile(name), System.out::println);
            return 0;
        }
    }
}
