package org.gan4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gan4j.gan.FlopCount;
import org.gan4j.gan.GanModel;
import org.gan4j.gan.ModelOptions;
import org.gan4j.gan.Models;
import org.gan4j.run.RunConfig;
import org.gan4j.run.RunDirectory;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Layers, parameter counts and multiply-adds per image of a model or a run's model.")
final class InfoCommand implements Callable<Integer> {
    @ArgGroup(multiplicity = "1")
    Target target;

    static final class Target {
        @Parameters(paramLabel = "DIR", description = "run directory")
        Path dir;

        @Option(names = "--model", description = "model name: ${COMPLETION-CANDIDATES}", completionCandidates = ModelNames.class)
        String model;
    }

    @Override
    public Integer call() {
        RunConfig run = target.dir != null ? new RunDirectory(target.dir).readConfig() : null;
        GanModel m = run != null ? Models.create(run.model(), run.modelOptions(), Rng.seeded(0))
                : Models.create(target.model, ModelOptions.defaults(), Rng.seeded(0));
        System.out.println("model " + m.name() + (m.conditional() ? " (class-conditional)" : ""));
        FlopCount.Network g = FlopCount.generator(m), d = FlopCount.discriminator(m);
        print("generator", g);
        print("discriminator", d);
        System.out.printf(Locale.ROOT, "multiply-adds per image, forward: G %,d  D %,d%n", g.macs(), d.macs());
        long step = FlopCount.trainingStep(g, d);
        System.out.printf(Locale.ROOT, "multiply-adds per image of one training step (forward + backward, D and G updates): %,d = %.1f MFLOP%n",
                step, 2.0 * step / 1e6);
        return 0;
    }

    /** Prints each layer with its output shape, parameters and GEMM/conv multiply-adds. */
    private static void print(String title, FlopCount.Network network) {
        System.out.printf(Locale.ROOT, "%s: %,d parameters%n", title, network.params());
        for (FlopCount.Layer layer : network.layers()) {
            System.out.printf(Locale.ROOT, "  %-3s %-16s -> %-18s %,10d params  %,12d MACs%n", layer.name(), layer.type(),
                    Tensor.shapeString(layer.outputShape()), layer.params(), layer.macs());
        }
    }

    static final class ModelNames implements Iterable<String> {
        public java.util.Iterator<String> iterator() {
            return Models.NAMES.iterator();
        }
    }
}
