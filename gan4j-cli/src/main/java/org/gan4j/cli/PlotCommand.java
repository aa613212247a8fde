package org.gan4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gan4j.run.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "One figure of metrics.jsonl (a loss, D's outputs, ada_p, fid, ...) over the steps of several runs, a line per run and key, as a PNG.")
final class PlotCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", arity = "1..*", description = "run directories; each line is named after its folder (after the path given where two folders share a name)")
    List<Path> runs;

    @Option(names = "--metric", required = true, split = ",",
            description = "keys of metrics.jsonl, e.g. fid or d_logit_seen,d_logit_unseen (loss_d, d_real, ada_p, ...)")
    List<String> metrics;

    @Option(names = "--out", required = true, description = "the PNG to write")
    Path out;

    @Option(names = "--title", description = "the figure's title (default: the metric)")
    String title;

    @Override
    public Integer call() {
        List<Plots.Series> lines = new ArrayList<>();
        List<String> names = lineNames(runs);
        for (int r = 0; r < runs.size(); r++) {
            Path dir = runs.get(r);
            RunDirectory run = new RunDirectory(dir);
            if (!Files.isRegularFile(run.metrics())) throw new CliException(dir + " is not a run directory: it has no metrics.jsonl");
            List<Map<String, Object>> history = run.readMetrics();
            String name = names.get(r);
            for (String metric : metrics) {
                List<Double> steps = new ArrayList<>(), values = new ArrayList<>();
                for (Map<String, Object> line : history) {
                    if (line.get(metric) instanceof Number v && line.get("step") instanceof Number step) {
                        steps.add(step.doubleValue());
                        values.add(v.doubleValue());
                    }
                }
                if (values.isEmpty()) throw new CliException(dir + "/metrics.jsonl has no '" + metric + "'");
                lines.add(new Plots.Series(metrics.size() == 1 ? name : name + " · " + metric, steps, values));
            }
        }
        Plots.write(out, List.of(title != null ? title : String.join(", ", metrics)), List.of(lines));
        System.out.println("wrote " + out);
        return 0;
    }

    /** Each run's folder name, or the path given where folders share a name (seed1/none, seed2/none). */
    static List<String> lineNames(List<Path> runs) {
        List<Path> full = runs.stream().map(d -> d.toAbsolutePath().normalize()).toList();
        List<String> folders = full.stream().map(d -> d.getFileName().toString()).toList();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            if (full.indexOf(full.get(i)) != i) throw new CliException(runs.get(i) + " is given twice");
            names.add(Collections.frequency(folders, folders.get(i)) > 1 ? runs.get(i).normalize().toString() : folders.get(i));
        }
        return names;
    }
}
