package org.gan4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gan4j.io.AtomicFile;
import org.gan4j.metrics.DomainClassifier;
import org.gan4j.run.Classifiers;
import org.gan4j.run.ModeCollapseExperiment.Outcome;
import org.gan4j.run.ModeCollapseExperiment;
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
            description = {"Mode collapse for the plain GAN and each countermeasure, printed next to",
                    "PacGAN's published rows:",
                    "  ring8, grid25 (Table 1): mlp2d, Adam 1e-4, β1 0.8, batch 100;",
                    "    2,500 samples judged by their distance to the modes",
                    "  stacked-mnist (Table 2): dcgan28 on 3 channels, Adam 2e-4, β1 0.5, batch 64;",
                    "    26,000 samples, each channel labelled by the cached MNIST classifier"})
    static final class Modes implements Callable<Integer> {
        /** What --quick runs: the CI-sized check. */
        static final long QUICK_STEPS = 4000;

        @Option(names = "--quick", description = "ring8 only, gan and pacgan2, one seed, " + QUICK_STEPS + " steps")
        boolean quick;

        @Option(names = "--seeds", defaultValue = "3", description = "runs per variant, seeds 1..N (default: ${DEFAULT-VALUE})")
        int seeds;

        @Option(names = "--steps", description = "training steps per run (default: 10000 on ring8 and grid25, "
                + "2000 on stacked-mnist: one pass over its 128,000 stacks)")
        Long steps;

        @Option(names = "--datasets", split = ",", defaultValue = "ring8,grid25,stacked-mnist", description = "default: ${DEFAULT-VALUE}")
        List<String> datasets;

        @Option(names = "--variants", split = ",", description = "default: all of gan, pacgan2, pacgan3, pacgan4, "
                + "minibatch-discrimination, minibatch-std, spectral-norm, ema, unrolled5")
        List<String> variants;

        @Option(names = "--parallel", defaultValue = "0", description = "runs at once (default: the number of cores)")
        int parallel;

        @Option(names = "--out", description = {"folder of the runs (DATASET/VARIANT-seedN), the table (modes.md) and one line",
                "per run (modes.csv); given again, finished runs are judged without training and unfinished ones",
                "resume (default: runs/modes-<time>)"})
        Path out;

        @Override
        public Integer call() {
            if (quick) {
                datasets = List.of("ring8");
                variants = List.of("gan", "pacgan2");
                seeds = 1;
                steps = QUICK_STEPS;
            }
            if (seeds < 1 || (steps != null && steps < 1)) throw new CliException("--seeds and --steps must be at least 1");
            List<ModeCollapseExperiment.Variant> chosen;
            try {
                chosen = variants == null ? ModeCollapseExperiment.VARIANTS : variants.stream().map(ModeCollapseExperiment::variant).toList();
                datasets.forEach(ModeCollapseExperiment::requireKnown);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            DomainClassifier digits = datasets.contains(ModeCollapseExperiment.STACKED) ? digitsClassifier() : null;
            int threads = parallel > 0 ? parallel : Runtime.getRuntime().availableProcessors();
            int total = datasets.size() * chosen.size() * seeds;
            if (out == null) out = Path.of("runs", "modes-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            System.out.printf(Locale.ROOT, "%d runs (%d at a time) in %s%n", total, threads, out);

            List<Callable<Outcome>> jobs = new ArrayList<>();
            for (String d : datasets) {
                long n = steps != null ? steps : ModeCollapseExperiment.defaultSteps(d);
                int samples = d.equals(ModeCollapseExperiment.STACKED) ? ModeCollapseExperiment.STACKED_SAMPLES : ModeCollapseExperiment.SAMPLES;
                for (var v : chosen) {
                    for (long seed = 1; seed <= seeds; seed++) {
                        long s = seed;
                        jobs.add(() -> ModeCollapseExperiment.run(out, d, v, s, n, digits, samples, System.out::println));
                    }
                }
            }
            List<Outcome> outcomes = ParallelRuns.run(jobs, threads, (count, o) -> System.out.printf(Locale.ROOT,
                    "[%d/%d] %s %s seed %d, %d steps: %s (%.0f s)%n", count, total, o.dataset(), o.variant(), o.seed(), o.steps(),
                    o.describe(), o.seconds()));
            String table = ModeCollapseExperiment.table(ModeCollapseExperiment.summarize(outcomes));
            System.out.println();
            System.out.print(table);
            write(outcomes, table);
            return 0;
        }

        /** Stacked MNIST's judge: the cached MNIST classifier, which the user trains once. */
        private static DomainClassifier digitsClassifier() {
            DomainClassifier.Loaded mnist = Classifiers.cached("mnist");
            if (mnist == null) {
                throw new CliException(Classifiers.missing(ModeCollapseExperiment.STACKED) + " (or leave stacked-mnist out: --datasets ring8,grid25)");
            }
            System.out.println("stacked-mnist: each channel labelled by " + mnist.classifier().extractor().replace("/penultimate", "")
                    + " (test accuracy " + mnist.metadata().get("test_accuracy") + ")");
            return mnist.classifier();
        }

        private void write(List<Outcome> outcomes, String table) {
            StringBuilder csv = new StringBuilder("dataset,variant,seed,steps,modes_covered,modes,high_quality_share,kl,seconds\n");
            for (Outcome o : outcomes) {
                csv.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%.4f,%.4f,%.1f%n", o.dataset(), o.variant(), o.seed(), o.steps(),
                        o.modes(), o.modesPossible(), o.highQualityShare(), o.kl(), o.seconds()));
            }
            try {
                Files.createDirectories(out);
                AtomicFile.write(out.resolve("modes.md"), table.getBytes(StandardCharsets.UTF_8));
                AtomicFile.write(out.resolve("modes.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + out, e);
            }
            System.out.println("written: " + out.resolve("modes.md") + ", " + out.resolve("modes.csv"));
        }
    }
}
