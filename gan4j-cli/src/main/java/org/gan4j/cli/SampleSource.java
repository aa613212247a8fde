package org.gan4j.cli;

import org.gan4j.run.TrainedGenerator;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options that name which trained generator to sample: a run, a class, the weight average. */
final class SampleSource {
    @Parameters(index = "0", paramLabel = "DIR", description = "run directory")
    Path dir;

    @Option(names = "--class", description = "class to draw (conditional models; by default generate cycles through the classes, interpolate draws class 0)")
    Integer chosenClass;

    @Option(names = "--ema", description = "use the exponential moving average of G's weights")
    boolean ema;

    TrainedGenerator load() {
        return TrainedGenerator.load(dir, ema);
    }

    /** The classes of n samples: --class, else the model's own choice ({@code fallback} when given, else in turn). */
    int[] labels(TrainedGenerator m, int n, Integer fallback) {
        try {
            return m.labels(n, chosenClass != null ? chosenClass : fallback);
        } catch (IllegalArgumentException e) {
            // "class 12 out of range: ...", "model mlp is not class-conditional"
            throw new CliException(m.generator().classes() > 0 ? "--" + e.getMessage() : "--class: " + e.getMessage());
        }
    }
}
