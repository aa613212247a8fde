package org.gan4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gan4j.gan.ModeCollapseExperiment;
import org.gan4j.gan.ModeCollapseExperiment.Outcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "experiment", mixinStandardHelpOptions = true, subcommands = ExperimentCommand.Modes.class,
        description = "Published benchmarks, reproduced with gan4j.")
final class ExperimentCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "modes", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Mode collapse on the ring of 8 and the grid of 25 Gaussians (PacGAN's Table 1 protocol: mlp2d,",
                    "Adam 1e-4, β1 0.8, batch 100, 2,500 samples judged) for the plain GAN and each countermeasure,",
                    "printed next to the published rows."})
    static final class Modes implements Callable<Integer> {
        /** What --quick runs: the CI-sized check. */
        static final long QUICK_STEPS = 4000;

        @Option(names = "--quick", description = "ring8 only, gan and pacgan2, one seed, " + QUICK_STEPS + " steps")
        boolean quick;

        @Option(names = "--seeds", defaultValue = "3", description = "runs per variant, seeds 1..N (default: ${DEFAULT-VALUE})")
        int seeds;

        @Option(names = "--steps", defaultValue = "10000", description = "training steps per run (default: ${DEFAULT-VALUE})")
        long steps;

        @Option(names = "--datasets", split = ",", defaultValue = "ring8,grid25", description = "default: ${DEFAULT-VALUE}")
        List<String> datasets;

        @Option(names = "--variants", split = ",", description = "default: all of gan, pacgan2, pacgan3, pacgan4, "
                + "minibatch-discrimination, minibatch-std, spectral-norm, ema")
        List<String> variants;

        @Option(names = "--parallel", defaultValue = "0", description = "runs at once (default: the number of cores)")
        int parallel;

        @Option(names = "--out", description = "also write the table (modes.md) and one line per run (modes.csv) here")
        Path out;

        @Override
        public Integer call() {
            if (quick) {
                datasets = List.of("ring8");
                variants = List.of("gan", "pacgan2");
                seeds = 1;
                steps = QUICK_STEPS;
            }
            if (seeds < 1 || steps < 1) throw new CliException("--seeds and --steps must be at least 1");
            List<ModeCollapseExperiment.Variant> chosen = variants == null ? ModeCollapseExperiment.VARIANTS
                    : variants.stream().map(ModeCollapseExperiment::variant).toList();
            datasets.forEach(ModeCollapseExperiment::data);   // fails early on an unknown name
            int threads = parallel > 0 ? parallel : Runtime.getRuntime().availableProcessors();
            int total = datasets.size() * chosen.size() * seeds;
            System.out.printf(Locale.ROOT, "%d runs of %d steps (%d at a time)%n", total, steps, threads);

            List<Callable<Outcome>> jobs = new ArrayList<>();
            for (String d : datasets) {
                for (var v : chosen) {
                    for (long seed = 1; seed <= seeds; seed++) {
                        long s = seed;
                        jobs.add(() -> ModeCollapseExperiment.run(d, v, s, steps));
                    }
                }
            }
            List<Outcome> outcomes = ParallelRuns.run(jobs, threads, (count, o) -> System.out.printf(Locale.ROOT,
                    "[%d/%d] %s %s seed %d: %s (%.0f s)%n", count, total, o.dataset(), o.variant(), o.seed(), o.result(), o.seconds()));
            String table = ModeCollapseExperiment.table(ModeCollapseExperiment.summarize(outcomes));
            System.out.println();
            System.out.print(table);
            System.out.println("stacked-mnist (dcgan28 on 3 stacked digits, 1000 modes; published DCGAN 99 modes, KL 3.4; PacDCGAN2 1000, KL 0.06):"
                    + " not part of this experiment; train a run with --data stacked-mnist and score it with"
                    + " ./gan4j evaluate (the MNIST classifier labels each channel; 26,000 samples)");
            if (out != null) write(outcomes, table);
            return 0;
        }

        private void write(List<Outcome> outcomes, String table) {
            StringBuilder csv = new StringBuilder("dataset,variant,seed,steps,modes_covered,high_quality_share,reverse_kl,seconds\n");
            for (Outcome o : outcomes) {
                csv.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%.4f,%.4f,%.1f%n", o.dataset(), o.variant(), o.seed(), o.steps(),
                        o.result().modesCovered(), o.result().highQualityShare(), o.result().reverseKl(), o.seconds()));
            }
            try {
                Files.createDirectories(out);
                RunDirectory.writeAtomically(out.resolve("modes.md"), table.getBytes(StandardCharsets.UTF_8));
                RunDirectory.writeAtomically(out.resolve("modes.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + out, e);
            }
            System.out.println("written: " + out.resolve("modes.md") + ", " + out.resolve("modes.csv"));
        }
    }
}
