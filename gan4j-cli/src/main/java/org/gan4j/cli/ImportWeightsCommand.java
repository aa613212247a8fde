package org.gan4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.gan4j.gan.Countermeasures;
import org.gan4j.gan.GanModel;
import org.gan4j.gan.ModelOptions;
import org.gan4j.gan.Models;
import org.gan4j.gan.TrainOptions;
import org.gan4j.nn.SafeTensors;
import org.gan4j.optim.OptimizerSpec;
import org.gan4j.run.Provenance;
import org.gan4j.run.RunConfig;
import org.gan4j.run.RunDirectory;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Turns a PyTorch generator's state_dict (saved as safetensors) into a gan4j run directory
 * holding only that generator, which generate, interpolate, export and serve accept. gan4j's
 * parameter names are PyTorch's for the same modules, so the names map one to one; the layer
 * sizes are read from the weights' shapes.
 */
@Command(name = "import-weights", mixinStandardHelpOptions = true,
        description = {"Make a gan4j run directory from PyTorch generator weights (a state_dict saved as safetensors).",
                "Names are PyTorch's: main.0.weight, ... (a \"generator.\" prefix is accepted)."})
final class ImportWeightsCommand implements Callable<Integer> {
    private static final String PREFIX = "generator.";

    @Parameters(index = "0", paramLabel = "FILE", description = "safetensors file with the generator's state_dict")
    Path file;

    @Option(names = "--model", required = true, description = "${COMPLETION-CANDIDATES}", completionCandidates = InfoCommand.ModelNames.class)
    String model;

    @Option(names = "--activation", description = "hidden activation of an MLP generator (relu, leaky_relu, tanh; default: the model's)")
    String activation;

    @Option(names = "--out", required = true, description = "run directory to create")
    Path out;

    @Override
    public Integer call() {
        if (!Models.NAMES.contains(model)) throw new CliException("--model: unknown model '" + model + "' (known: " + String.join(", ", Models.NAMES) + ")");
        if (!Files.isRegularFile(file)) throw new CliException(file + ": no such file");
        if (Files.exists(out.resolve("config.json"))) throw new CliException("--out: " + out + " already holds a run");
        Map<String, Tensor> weights = generatorWeights(SafeTensors.read(file).tensors());
        ModelOptions options = optionsFromShapes(model, weights).withActivation(activation);

        GanModel m = Models.create(model, options, Rng.seeded(0));
        try {
            m.generator().loadStateDict(weights, true);
        } catch (IllegalArgumentException e) {
            throw new CliException(file + " does not hold a " + model + " generator: " + e.getMessage());
        }
        RunDirectory run = new RunDirectory(out);
        run.create();
        run.writeConfig(Provenance.of(config(options)));
        Map<String, Tensor> state = new LinkedHashMap<>();
        m.generator().stateDict().forEach((k, v) -> state.put(PREFIX + k, v));
        String name = "step-000000.safetensors";
        SafeTensors.write(run.checkpoints().resolve(name), state,
                Map.of("step", "0", "model", model, "version", Provenance.VERSION, "imported_from", file.getFileName().toString()));
        run.write(run.checkpoints().resolve("latest"), (name + "\n").getBytes(StandardCharsets.UTF_8));
        System.out.println("imported " + model + " generator (" + weights.size() + " tensors) from " + file + " into " + out);
        return 0;
    }

    /** The generator's tensors: all of them, or those under "generator." when a whole checkpoint is given. */
    static Map<String, Tensor> generatorWeights(Map<String, Tensor> tensors) {
        if (tensors.keySet().stream().noneMatch(k -> k.startsWith(PREFIX))) return tensors;
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (k.startsWith(PREFIX)) out.put(k.substring(PREFIX.length()), v);
        });
        return out;
    }

    /** Layer sizes of the named architecture, read from the weights (see Models for the layouts). */
    static ModelOptions optionsFromShapes(String model, Map<String, Tensor> w) {
        ModelOptions o = ModelOptions.defaults();
        return switch (model) {
            case "dcgan28", "cgan-dcgan28" -> o.withWidth(shape(w, "main.0.weight")[0] / (2 * 7 * 7));
            case "dcgan64" -> {
                int[] last = shape(w, "main.13.weight");
                yield o.withWidth(shape(w, "main.1.weight")[1] / 8).withChannels(last[1]);
            }
            case "resnet28", "resnet64" -> {   // the 1×1 convolution to the image: [channels, base width, 1, 1]
                int[] last = shape(w, model.equals("resnet28") ? "main.8.weight" : "main.14.weight");
                yield o.withWidth(last[1]).withChannels(last[0]);
            }
            default -> {   // the MLPs: every Linear but the output layer is a hidden layer
                TreeMap<Integer, Integer> linearOut = new TreeMap<>();
                w.forEach((k, v) -> {
                    String[] parts = k.split("\\.");
                    if (parts.length == 3 && parts[0].equals("main") && parts[2].equals("weight") && v.dim() == 2) {
                        linearOut.put(Integer.parseInt(parts[1]), v.size(0));
                    }
                });
                if (linearOut.size() < 2) throw new CliException("the weights hold no MLP generator (main.N.weight of Linear layers)");
                List<Integer> hidden = new ArrayList<>(linearOut.values());
                hidden.removeLast();
                yield o.withGHidden(hidden.stream().mapToInt(Integer::intValue).toArray());
            }
        };
    }

    private static int[] shape(Map<String, Tensor> w, String name) {
        Tensor t = w.get(name);
        if (t == null) throw new CliException("the weights have no " + name + " (found: " + w.keySet() + ")");
        return t.shape();
    }

    private RunConfig config(ModelOptions o) {
        OptimizerSpec none = TrainOptions.defaults().optimizerG();   // recorded only: an imported generator does not train here
        return new RunConfig(Provenance.VERSION, model, "imported:" + file.getFileName(), null, 0, 0, "none",
                none, none, 0, 0, 0f, 0f, 0f, 0L, "cpu", 0, 0, 0, o.gHidden(), null, o.activation(), o.width(),
                o.dWidth(), o.channels(), "stop", 0, null, Countermeasures.none(), 0, 0f, 0f, 1, null, null, 0L, null, 0, null, null);
    }
}
