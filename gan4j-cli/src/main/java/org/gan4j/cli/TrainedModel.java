package org.gan4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gan4j.gan.Ema;
import org.gan4j.gan.GanModel;
import org.gan4j.gan.Generator;
import org.gan4j.gan.Models;
import org.gan4j.nn.SafeTensors;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;

/** A run's generator loaded from its latest checkpoint, for generate, interpolate and info. */
public record TrainedModel(RunConfig config, GanModel model, Generator generator, long step) {

    /** Loads the run in {@code dir}; with {@code ema} the weight average (when the run kept one). */
    public static TrainedModel load(Path dir, boolean ema) {
        RunDirectory run = new RunDirectory(dir);
        if (!Files.isRegularFile(run.config())) throw new CliException(dir + " is not a gan4j run directory (no config.json)");
        RunConfig config = run.readConfig();
        Path checkpoint = run.latestCheckpoint();
        if (checkpoint == null || !Files.isRegularFile(checkpoint)) throw new CliException(dir + " has no checkpoint yet");
        SafeTensors.Contents contents = SafeTensors.read(checkpoint);
        GanModel model = Models.create(config.model(), config.modelOptions(), Rng.seeded(config.seed()));
        String prefix = ema ? "ema." : "generator.";
        if (ema && config.ema() <= 0) throw new CliException("--ema: the run in " + dir + " kept no weight average (train with --ema DECAY)");
        Map<String, Tensor> weights = new LinkedHashMap<>();
        contents.tensors().forEach((k, v) -> {
            if (k.startsWith(prefix)) weights.put(k.substring(prefix.length()), v);
        });
        model.generator().loadStateDict(weights, true);
        // checkpoints from before standing statistics hold G's BatchNorm statistics under "ema."
        if (ema) Ema.estimateBatchNormStatistics(model.generator());
        model.generator().eval();
        return new TrainedModel(config, model, model.generator(), Long.parseLong(contents.metadata().get("step")));
    }

    /** Class labels for n samples: all {@code chosen} when given, else 0, 1, 2, ... in turn; null if unconditional. */
    public int[] labels(int n, Integer chosen) {
        int classes = generator.classes();
        if (classes == 0) {
            if (chosen != null) throw new CliException("--class: model " + config.model() + " is not class-conditional");
            return null;
        }
        if (chosen != null && (chosen < 0 || chosen >= classes)) {
            throw new CliException("--class " + chosen + " out of range: the model knows classes 0.." + (classes - 1));
        }
        if (chosen == null) return generator.classesInTurn(n, 0);
        int[] labels = new int[n];
        java.util.Arrays.fill(labels, chosen);
        return labels;
    }
}
