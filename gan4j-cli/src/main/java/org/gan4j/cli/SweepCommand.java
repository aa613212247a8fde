package org.gan4j.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gan4j.io.AtomicFile;
import org.gan4j.run.RunConfig;
import org.gan4j.run.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train every combination of the --grid values, each in its own run directory under --out, then",
                "score and rank them (sweep.md, sweep.csv) and overlay their loss curves (sweep-losses.png).",
                "Run it again to finish an interrupted sweep: finished runs are kept, unfinished ones resume.",
                "Example: gan4j sweep --base \"--model mlp2d --data ring8 --steps 2000 --batch-size 100\"",
                "  --grid lr-g=1e-4,2e-4 --grid d-hidden=256,512x256 --out runs/sweep"})
final class SweepCommand implements Callable<Integer> {
    @Option(names = "--base", defaultValue = "", description = "train options every run shares, as one string")
    String base;

    @Option(names = "--grid", required = true, paramLabel = "OPTION=V1,V2",
            description = "a train option (without --) and its values; 512x256 stands for the list 512,256. Repeatable.")
    List<String> grids;

    @Option(names = "--out", required = true, description = "folder of the sweep's run directories and tables")
    Path out;

    @Option(names = "--parallel", defaultValue = "1", description = "runs trained at once (default: ${DEFAULT-VALUE})")
    int parallel;

    /** One train option and the values it takes. */
    record Axis(String option, List<String> values) {
    }

    /** One run of the sweep: its directory name, its grid values and its train options, parsed and checked. */
    record Combination(String name, List<String> values, TrainCommand train) {
    }

    /** What became of one run. */
    record Outcome(Combination run, String status, RunScorer.Score score, double lossD, double lossG) {
    }

    @Override
    public Integer call() {
        if (parallel < 1) throw new CliException("--parallel must be at least 1");
        List<Axis> axes = grids.stream().map(SweepCommand::axis).toList();
        List<String> baseArgs = base.isBlank() ? List.of() : Arrays.asList(base.trim().split("\\s+"));
        for (String a : baseArgs) {
            if (a.equals("--out") || a.equals("--resume")) throw new CliException("--base: " + a + " is set by the sweep itself");
        }
        List<Combination> runs = combinations(axes, baseArgs);   // every run's options are checked before any trains
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new CliException("cannot create " + out + ": " + e.getMessage());
        }
        System.out.printf(Locale.ROOT, "%d runs in %s (%d at a time); logs in each run's train.log%n", runs.size(), out, parallel);
        List<Outcome> outcomes = runAll(runs);
        outcomes.sort(RANKING);
        String table = table(axes, outcomes, false);
        write(out.resolve("sweep.md"), table);
        write(out.resolve("sweep.csv"), table(axes, outcomes, true));
        plot(outcomes);
        System.out.println();
        System.out.print(table);
        System.out.println("written: " + out.resolve("sweep.md") + ", " + out.resolve("sweep.csv") + ", " + out.resolve("sweep-losses.png"));
        return outcomes.stream().anyMatch(o -> o.status().startsWith("failed")) ? 1 : 0;
    }

    private static Axis axis(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) throw new CliException("--grid " + spec + ": expected OPTION=V1,V2,... such as lr-g=1e-4,2e-4");
        String option = spec.substring(0, eq).replaceFirst("^--", "");
        if (option.equals("out") || option.equals("resume")) throw new CliException("--grid " + spec + ": --" + option + " is set by the sweep itself");
        return new Axis(option, List.of(spec.substring(eq + 1).split(",")));
    }

    /** Every combination of the axes' values, the first axis varying slowest. */
    private List<Combination> combinations(List<Axis> axes, List<String> baseArgs) {
        List<Combination> runs = new ArrayList<>();
        int total = axes.stream().mapToInt(a -> a.values().size()).reduce(1, Math::multiplyExact);
        for (int i = 0; i < total; i++) {
            List<String> values = new ArrayList<>(), args = new ArrayList<>(baseArgs), name = new ArrayList<>();
            for (int a = axes.size() - 1, rest = i; a >= 0; a--) {
                Axis axis = axes.get(a);
                String v = axis.values().get(rest % axis.values().size());
                rest /= axis.values().size();
                values.addFirst(v);
                name.addFirst(axis.option() + "=" + v);
                args.add("--" + axis.option());
                args.add(v.matches("\\d+(x\\d+)+") ? v.replace('x', ',') : v);
            }
            String dirName = String.join("_", name).replaceAll("[^A-Za-z0-9=.+_-]", "-");
            args.add("--out");
            args.add(out.resolve(dirName).toString());
            runs.add(new Combination(dirName, values, train(args, dirName)));
        }
        return runs;
    }

    /** A run's options, parsed once and passed through train's own checks. */
    private static TrainCommand train(List<String> args, String run) {
        TrainCommand command = new TrainCommand();
        try {
            new CommandLine(command).setOverwrittenOptionsAllowed(true).parseArgs(args.toArray(String[]::new));
            command.validate();
        } catch (CommandLine.ParameterException | CliException e) {
            throw new CliException("run " + run + ": " + e.getMessage());
        }
        return command;
    }

    private List<Outcome> runAll(List<Combination> runs) {
        List<Callable<Outcome>> jobs = runs.stream().<Callable<Outcome>>map(c -> () -> runOne(c)).toList();
        return ParallelRuns.run(jobs, parallel, (count, o) -> System.out.printf(Locale.ROOT, "[%d/%d] %s: %s%s%n", count, runs.size(),
                o.run().name(), o.status(), o.score() == null ? "" : o.score().values().entrySet().stream()
                        .map(e -> " " + e.getKey() + " " + format(e.getValue())).collect(java.util.stream.Collectors.joining(","))));
    }

    /** Trains (or resumes, or keeps) one run, then scores it. A failing run is reported, not fatal to the sweep. */
    private Outcome runOne(Combination c) {
        RunDirectory dir = new RunDirectory(out.resolve(c.name()));
        String status;
        try {
            boolean started = Files.isRegularFile(dir.config());
            if (started && lastStep(dir) >= dir.readConfig().steps()) {
                status = "finished earlier";
            } else {
                TrainCommand train = c.train();
                if (started) train.resume = dir.root();
                Files.createDirectories(dir.root());
                try (PrintStream log = new PrintStream(new FileOutputStream(dir.root().resolve("train.log").toFile(), true), true,
                        StandardCharsets.UTF_8)) {
                    train.log = log;
                    Devices.select(train.device);
                    train.builder().build().fit();
                }
                status = started ? "resumed" : "trained";
            }
            RunConfig config = dir.readConfig();
            double[] losses = finalLosses(dir);
            return new Outcome(c, status, RunScorer.score(dir.root(), config), losses[0], losses[1]);
        } catch (IOException | RuntimeException e) {
            return new Outcome(c, "failed: " + e.getMessage(), null, Double.NaN, Double.NaN);
        }
    }

    /** Scored runs first, best first (their rank keys compared in order); then unscored ones in grid order. */
    private static final Comparator<Outcome> RANKING = (a, b) -> {
        if (a.score() == null || b.score() == null) return Boolean.compare(a.score() == null, b.score() == null);
        return -Arrays.compare(a.score().rankKey(), b.score().rankKey());
    };

    private static long lastStep(RunDirectory dir) {
        List<Map<String, Object>> m = dir.readMetrics();
        return m.isEmpty() ? 0 : ((Number) m.getLast().get("step")).longValue();
    }

    /** Mean D and G losses over the last tenth of the run: the only figures when no scorer judges the data. */
    private static double[] finalLosses(RunDirectory dir) {
        List<Map<String, Object>> m = dir.readMetrics();
        List<Map<String, Object>> tail = m.subList(m.size() - Math.max(1, m.size() / 10), m.size());
        return new double[] {mean(tail, "loss_d"), mean(tail, "loss_g")};
    }

    private static double mean(List<Map<String, Object>> lines, String key) {
        return lines.stream().map(l -> l.get(key)).filter(v -> v != null).mapToDouble(v -> ((Number) v).doubleValue()).average().orElse(Double.NaN);
    }

    /** The ranked table as markdown, or as CSV. */
    private static String table(List<Axis> axes, List<Outcome> outcomes, boolean csv) {
        LinkedHashSet<String> figures = new LinkedHashSet<>();
        outcomes.stream().filter(o -> o.score() != null).forEach(o -> figures.addAll(o.score().values().keySet()));
        List<String> header = new ArrayList<>(List.of("rank", "run"));
        axes.forEach(a -> header.add(a.option()));
        header.addAll(figures);
        header.addAll(List.of("final_loss_d", "final_loss_g", "status"));
        List<List<String>> rows = new ArrayList<>();
        int rank = 0;
        for (Outcome o : outcomes) {
            List<String> row = new ArrayList<>(List.of(o.score() == null ? "-" : Integer.toString(++rank), o.run().name()));
            row.addAll(o.run().values());
            for (String f : figures) row.add(o.score() == null || !o.score().values().containsKey(f) ? "" : format(o.score().values().get(f)));
            row.addAll(List.of(format(o.lossD()), format(o.lossG()), o.status()));
            rows.add(row);
        }
        StringBuilder b = new StringBuilder();
        if (csv) {
            b.append(String.join(",", header)).append('\n');
            for (List<String> r : rows) b.append(String.join(",", r.stream().map(SweepCommand::csvField).toList())).append('\n');
        } else {
            b.append("| ").append(String.join(" | ", header)).append(" |\n");
            b.append("|").append("---|".repeat(header.size())).append('\n');
            for (List<String> r : rows) b.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        return b.toString();
    }

    private static String format(double v) {
        return Double.isNaN(v) ? "" : Double.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** D and G loss of every run on two shared charts, each curve a moving average over 1/50 of its run. */
    private void plot(List<Outcome> outcomes) {
        List<Plots.Series> d = new ArrayList<>(), g = new ArrayList<>();
        for (Outcome o : outcomes) {
            List<Map<String, Object>> m = new RunDirectory(out.resolve(o.run().name())).readMetrics();
            d.add(smoothed(o.run().name(), m, "loss_d"));
            g.add(smoothed(o.run().name(), m, "loss_g"));
        }
        Plots.write(out.resolve("sweep-losses.png"), List.of("D loss", "G loss"), List.of(d, g));
    }

    private static Plots.Series smoothed(String name, List<Map<String, Object>> lines, String key) {
        List<double[]> points = new ArrayList<>();
        for (Map<String, Object> l : lines) {
            if (l.get(key) != null) points.add(new double[] {((Number) l.get("step")).doubleValue(), ((Number) l.get(key)).doubleValue()});
        }
        int window = Math.max(1, points.size() / 50);
        List<Double> x = new ArrayList<>(), y = new ArrayList<>();
        double sum = 0;
        for (int i = 0; i < points.size(); i++) {
            sum += points.get(i)[1];
            if (i >= window) sum -= points.get(i - window)[1];
            if (i >= window - 1) {
                x.add(points.get(i)[0]);
                y.add(sum / window);
            }
        }
        return new Plots.Series(name, x, y);
    }

    private static void write(Path file, String text) {
        try {
            AtomicFile.write(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
