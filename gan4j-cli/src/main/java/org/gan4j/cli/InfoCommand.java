package org.gan4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gan4j.gan.Discriminator;
import org.gan4j.gan.GanModel;
import org.gan4j.gan.Generator;
import org.gan4j.gan.ModelOptions;
import org.gan4j.gan.Models;
import org.gan4j.nn.Conv2d;
import org.gan4j.nn.ConvTranspose2d;
import org.gan4j.nn.Linear;
import org.gan4j.nn.Module;
import org.gan4j.nn.Sequential;
import org.gan4j.tensor.Autograd;
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
        GanModel m = target.dir != null ? TrainedModel.load(target.dir, false).model()
                : Models.create(target.model, ModelOptions.defaults(), Rng.seeded(0));
        System.out.println("model " + m.name() + (m.conditional() ? " (class-conditional)" : ""));
        long gMacs = describe("generator", m.generator().children().get("main"), m.generator().noise(1, Rng.seeded(0)), m);
        Tensor sample;
        try (var ng = Autograd.noGrad()) {
            m.generator().eval();
            sample = m.generator().generate(m.generator().noise(1, Rng.seeded(0)), m.conditional() ? new int[] {0} : null);
        }
        long dMacs = describe("discriminator", m.discriminator().children().get("main"), sample, m);
        System.out.printf(Locale.ROOT, "multiply-adds per image, forward: G %,d  D %,d%n", gMacs, dMacs);
        System.out.printf(Locale.ROOT, "one training step per image (forward + backward ≈ 3× forward; D sees real and fake, G's step runs D again): %.1f MFLOP%n",
                2.0 * 3 * (gMacs + 3 * dMacs) / 1e6);
        return 0;
    }

    /** Prints each layer with its output shape and parameters; returns its GEMM/conv multiply-adds. */
    private static long describe(String title, Module main, Tensor input, GanModel m) {
        Module owner = title.equals("generator") ? m.generator() : m.discriminator();
        long params = owner.parameters().stream().mapToLong(Tensor::numel).sum();
        System.out.printf(Locale.ROOT, "%s: %,d parameters%n", title, params);
        Tensor x = input;
        if (owner instanceof Generator g && g.classes() > 0) x = Tensor.concat(1, x, Tensor.zeros(1, g.classes()));
        if (owner instanceof Discriminator d && d.classes() > 0 && !(m.name().contains("dcgan"))) {
            x = Tensor.concat(1, x.flatten(1), Tensor.zeros(1, d.classes()));
        }
        long macs = 0;
        try (var ng = Autograd.noGrad()) {
            owner.eval();
            for (var e : ((Sequential) main).children().entrySet()) {
                Module layer = e.getValue();
                Tensor y = layer.forward(x);
                long layerMacs = macs(layer, x, y);
                macs += layerMacs;
                long layerParams = layer.parameters().stream().mapToLong(Tensor::numel).sum();
                System.out.printf(Locale.ROOT, "  %-3s %-16s -> %-18s %,10d params  %,12d MACs%n", e.getKey(), layer.typeName(),
                        Tensor.shapeString(y.shape()), layerParams, layerMacs);
                x = y;
            }
        }
        return macs;
    }

    static long macs(Module layer, Tensor in, Tensor out) {
        if (layer instanceof Linear l) return (long) l.weight().numel() * (in.numel() / in.size(-1));
        if (layer instanceof Conv2d c) return (long) c.weight().numel() * out.size(2) * out.size(3);
        if (layer instanceof ConvTranspose2d c) return (long) c.weight().numel() * in.size(2) * in.size(3);
        return 0;
    }

    static final class ModelNames implements Iterable<String> {
        public java.util.Iterator<String> iterator() {
            return Models.NAMES.iterator();
        }
    }
}
