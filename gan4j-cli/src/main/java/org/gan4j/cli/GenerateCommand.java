package org.gan4j.cli;

import org.gan4j.run.TrainedGenerator;
import org.gan4j.run.Images;
import org.gan4j.run.Samples;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

@Command(name = "generate", mixinStandardHelpOptions = true, description = "Draw samples from a trained generator as a PNG grid.")
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    SampleSource source;

    @Option(names = "--count", defaultValue = "64", description = "number of samples (default: ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--out", required = true, description = "output PNG file")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "noise seed (default: ${DEFAULT-VALUE})")
    long seed;


    @Override
    public Integer call() {
        if (count < 1 || count > 10_000) throw new CliException("--count must be between 1 and 10000, got " + count);
        TrainedGenerator m = source.load();
        Tensor samples;
        try (var ng = Autograd.noGrad()) {
            samples = m.generator().generate(m.generator().noise(count, Rng.seeded(seed)), source.labels(m, count, null));
        }
        Images.writePng(Samples.picture(samples), out);
        System.out.println("wrote " + count + " samples from step " + m.step() + " to " + out);
        return 0;
    }
}
