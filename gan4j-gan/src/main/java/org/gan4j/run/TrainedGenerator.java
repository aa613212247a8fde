package org.gan4j.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gan4j.gan.Ema;
import org.gan4j.gan.GanModel;
import org.gan4j.gan.Generator;
import org.gan4j.gan.Models;
import org.gan4j.nn.SafeTensors;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;

/** A run's generator loaded from its latest checkpoint, in evaluation mode, ready to sample. */
public record TrainedGenerator(RunConfig config, Generator generator, long step) {

    /** The trained generator of the run in {@code dir}. */
    public static TrainedGenerator load(Path dir) {
        return load(dir, false);
    }

    /** With {@code ema} the weight average, when the run kept one. */
    public static TrainedGenerator load(Path dir, boolean ema) {
        RunConfig config = new RunDirectory(dir).readConfig();
        if (!Models.NAMES.contains(config.model())) {
            throw new RunException("the run in " + dir + " trained a model of its own (" + config.model()
                    + "); load it into that generator with TrainedGenerator.load(dir, generator)");
        }
        GanModel model = Models.create(config.model(), config.modelOptions(), Rng.seeded(config.seed()));
        return load(dir, ema, model.generator());
    }

    /** Loads the run's weights into {@code into}, a generator of the architecture the run trained. */
    public static TrainedGenerator load(Path dir, boolean ema, Generator into) {
        RunDirectory run = new RunDirectory(dir);
        RunConfig config = run.readConfig();
        RunDirectory.Checkpoint checkpoint = run.newestCheckpoint(null);
        if (checkpoint == null) throw new RunException(dir + " has no checkpoint yet");
        if (ema && config.ema() <= 0) throw new RunException("the run in " + dir + " kept no weight average (train with ema > 0)");
        SafeTensors.Contents contents = checkpoint.contents();
        String prefix = ema ? "ema." : "generator.";
        Map<String, Tensor> weights = new LinkedHashMap<>();
        contents.tensors().forEach((k, v) -> {
            if (k.startsWith(prefix)) weights.put(k.substring(prefix.length()), v);
        });
        into.loadStateDict(weights, true);
        // checkpoints from before standing statistics hold G's BatchNorm statistics under "ema."
        if (ema) Ema.estimateBatchNormStatistics(into);
        into.eval();
        return new TrainedGenerator(config, into, Long.parseLong(contents.metadata().get("step")));
    }

    /** {@code n} samples from the noise of {@code seed}; a conditional model's classes go 0, 1, 2, ... in turn. */
    public Tensor sample(int n, long seed) {
        return sample(n, seed, null);
    }

    /** {@code n} samples from the noise of {@code seed}, of the given classes (a conditional model; null: in turn). */
    public Tensor sample(int n, long seed, int[] labels) {
        return generate(generator.noise(n, Rng.seeded(seed)), labels);
    }

    /** The samples of a given noise batch [n, latentDim] (and classes, for a conditional model; null otherwise). */
    public Tensor generate(Tensor z, int[] labels) {
        int[] s = z.shape();
        if (s.length != 2 || s[1] != generator.latentDim()) {
            throw new IllegalArgumentException("noise of shape " + Tensor.shapeString(s) + ": model " + config.model()
                    + " takes [n, " + generator.latentDim() + "]");
        }
        if (labels != null) {
            if (generator.classes() == 0) throw new IllegalArgumentException("model " + config.model() + " is not class-conditional: it takes no labels");
            if (labels.length != s[0]) throw new IllegalArgumentException(labels.length + " labels for " + s[0] + " noise vectors");
            for (int y : labels) if (y < 0 || y >= generator.classes()) labels(1, y);   // names the class out of range
        }
        return generator.sample(z, generator.classes() > 0 && labels == null ? labels(s[0], null) : labels);
    }

    /** Class labels for n samples: all {@code chosen} when given, else 0, 1, 2, ... in turn; null if unconditional. */
    public int[] labels(int n, Integer chosen) {
        int classes = generator.classes();
        if (classes == 0) {
            if (chosen != null) throw new IllegalArgumentException("model " + config.model() + " is not class-conditional");
            return null;
        }
        if (chosen != null && (chosen < 0 || chosen >= classes)) {
            throw new IllegalArgumentException("class " + chosen + " out of range: the model knows classes 0.." + (classes - 1));
        }
        if (chosen == null) return generator.classesInTurn(n, 0);
        int[] labels = new int[n];
        Arrays.fill(labels, chosen);
        return labels;
    }
}
