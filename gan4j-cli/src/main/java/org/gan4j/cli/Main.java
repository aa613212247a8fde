package org.gan4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.gan4j.run.Provenance;
import org.gan4j.run.RunException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The gan4j command line. */
@Command(name = "gan4j", mixinStandardHelpOptions = true, version = "gan4j " + Provenance.VERSION,
        description = "Train, inspect and sample Generative Adversarial Networks.",
        subcommands = {TrainCommand.class, GenerateCommand.class, InterpolateCommand.class, InfoCommand.class,
                ImportWeightsCommand.class, ExportCommand.class, ServeCommand.class, DashboardCommand.class,
                SweepCommand.class, ExperimentCommand.class, BenchCommand.class,
                ClassifierCommand.class, EvaluateCommand.class, PlotCommand.class})
public final class Main {

    @Option(names = "--debug", description = "print the stack trace of a failure (also: environment variable GAN4J_DEBUG=1)")
    boolean debug = "1".equals(System.getenv("GAN4J_DEBUG"));

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * What {@code gan4j} without arguments runs: dcgan28 on the shipped digits for 17 epochs, about 5
     * minutes on 2 cores and better digits than 12 (QUALITY.md, "The default run's recipe").
     */
    static final String[] DEFAULT_RUN = {"train", "--epochs", "17"};

    /** Runs a command line and returns its exit status: 0 done, 1 failed, 2 bad usage. */
    public static int run(String... args) {
        Main main = new Main();
        return execute(main, new CommandLine(main), args.length == 0 ? DEFAULT_RUN : args);
    }

    /**
     * Runs one command without the others, which picocli would inspect first: for a Java runtime
     * without the modules some of them name (bench/gpu-check's has no java.desktop).
     */
    static int runAlone(Object command, String... args) {
        return execute(new Main(), new CommandLine(command), args);
    }

    private static int execute(Main main, CommandLine cli, String[] args) {
        cli.setOverwrittenOptionsAllowed(true);   // a later flag wins
        cli.setExecutionExceptionHandler((e, line, parsed) -> main.fail(e, line.getErr()));
        try {
            return cli.execute(args);
        } catch (Error e) {
            // picocli hands only Exceptions to the handler; an OutOfMemoryError gets its line here
            return main.fail(e, cli.getErr());
        }
    }

    /** Prints a failure as one line (and, with --debug, its stack trace); returns the exit status 1. */
    private int fail(Throwable e, PrintWriter err) {
        String line = describe(e);
        // an error gan4j did not word itself is named by its type: then where it arose helps
        if (!debug && line.startsWith(e.getClass().getSimpleName())) line += " (GAN4J_DEBUG=1 shows where)";
        err.println("gan4j: " + line);
        if (debug) e.printStackTrace(err);
        err.flush();
        return 1;
    }

    /**
     * What failed, in one line. The messages of gan4j's own errors are written for users; a
     * file-system error's message is often only a path, so its type gives the reason; any other
     * exception is named by its type when its message alone would be unclear.
     */
    static String describe(Throwable e) {
        String m = e.getMessage();
        FileSystemException fs = find(e, FileSystemException.class);
        if (fs != null) return what(m, fs) + ": " + reason(fs);
        IOException io = find(e, IOException.class);
        if (io != null && String.valueOf(io.getMessage()).contains("No space left on device")) {
            return (m == null || m.equals(io.getMessage()) ? "cannot write" : what(m, null)) + ": no space left on device (free some space)";
        }
        if (e instanceof UncheckedIOException && io != null && m != null && String.valueOf(io.getMessage()).startsWith(m)) {
            return io.getMessage();   // the cause says the same, and why
        }
        if (m == null || m.isBlank()) return e.getClass().getSimpleName();
        boolean written = e instanceof CliException || e instanceof RunException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException || e instanceof IOException || e instanceof UncheckedIOException;
        return written ? m : e.getClass().getSimpleName() + ": " + m;
    }

    /** "cannot write FILE" from a message such as "cannot write FILE: detail", or "cannot use PATH" when the message is only the path. */
    private static String what(String m, FileSystemException fs) {
        if (m == null || fs != null && (m.equals(fs.getMessage()) || m.equals(fs.toString()))) return "cannot use " + (fs != null ? fs.getFile() : "a file");
        int colon = m.indexOf(": ");
        return m.startsWith("cannot ") && colon > 0 ? m.substring(0, colon) : m;
    }

    private static String reason(FileSystemException fs) {
        Path file = fs.getFile() != null ? Path.of(fs.getFile()).toAbsolutePath() : null;
        if (fs instanceof NoSuchFileException && file != null && file.getParent() != null && !Files.isDirectory(file.getParent())) {
            return "no such folder " + file.getParent() + " (create it first)";
        }
        if (fs instanceof NoSuchFileException) return "no such file";
        if (fs instanceof AccessDeniedException) return "permission denied";
        String why = fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName();
        return why.contains("No space left on device") ? "no space left on device (free some space)" : why;
    }

    /** The first of {@code e} and its causes that is a {@code type}. */
    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) return type.cast(t);
        }
        return null;
    }
}
