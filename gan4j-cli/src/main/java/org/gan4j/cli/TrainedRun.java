package org.gan4j.cli;

import java.nio.file.Path;
import org.gan4j.run.TrainedGenerator;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options that name a trained generator: its run directory, and whether to take the weight average. */
final class TrainedRun {
    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "run directory")
    Path dir;

    @Option(names = "--ema", description = "use the exponential moving average of G's weights")
    boolean ema;

    TrainedGenerator load() {
        if (dir == null) throw new CliException("name a run directory (DIR)");
        return TrainedGenerator.load(dir, ema);
    }
}
