package org.gan4j.cli;

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

    TrainedModel load() {
        return TrainedModel.load(dir, ema);
    }
}
