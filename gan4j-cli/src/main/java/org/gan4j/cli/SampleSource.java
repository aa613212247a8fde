package org.gan4j.cli;

import org.gan4j.run.TrainedGenerator;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that name which trained generator to sample, and which class: a run, the weight average, --class. */
final class SampleSource {
    @Mixin
    TrainedRun run;

    @Option(names = "--class", description = "class to draw (conditional models; by default generate cycles through the classes, interpolate draws class 0)")
    Integer chosenClass;


    TrainedGenerator load() {
        return run.load();
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
