package org.gan4j.cli;

import java.io.UncheckedIOException;
import org.gan4j.run.Provenance;
import org.gan4j.run.RunException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The gan4j command line. */
@Command(name = "gan4j", mixinStandardHelpOptions = true, version = "gan4j " + Provenance.VERSION,
        description = "Train, inspect and sample Generative Adversarial Networks.",
        subcommands = {TrainCommand.class, GenerateCommand.class, InterpolateCommand.class, InfoCommand.class,
                ImportWeightsCommand.class, ExportCommand.class, ServeCommand.class, DashboardCommand.class,
                SweepCommand.class, ExperimentCommand.class, BenchCommand.class,
                ClassifierCommand.class, EvaluateCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit status: 0 done, 1 failed, 2 bad usage. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main()).setOverwrittenOptionsAllowed(true);   // a later flag wins
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof CliException || e instanceof RunException || e instanceof IllegalArgumentException || e instanceof UncheckedIOException) {
                line.getErr().println("gan4j: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args.length == 0 ? new String[] {"train"} : args);
    }
}
