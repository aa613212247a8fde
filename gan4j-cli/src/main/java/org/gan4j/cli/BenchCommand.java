package org.gan4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gan4j.gan.FlopCount;
import org.gan4j.gan.GanLoss;
import org.gan4j.gan.GanModel;
import org.gan4j.gan.Generator;
import org.gan4j.gan.ModelOptions;
import org.gan4j.gan.Models;
import org.gan4j.gan.TrainOptions;
import org.gan4j.gan.Trainer;
import org.gan4j.run.RunDirectory;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Backends;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Scope;
import org.gan4j.tensor.Tensor;
import org.gan4j.tensor.cpu.CpuBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Training and sampling speed of the named models, on random data.",
            "",
            "Training: Trainer.step as `train` runs it (Adam 2e-4, β = (0.5, 0.999); non-saturating BCE from logits; "
                    + "one fixed batch of uniform random real images in [-1, 1]). Each step draws z once and runs "
                    + "f = G(z) once, keeping G's graph; phase 1 updates D on D(x) and D(f.detach()); phase 2 runs "
                    + "D(f) again on the same f with D's parameters frozen (no weight gradients for D) and updates G. "
                    + "bench/pytorch_reference.py runs the same computation.",
            "Inference: G in eval mode, without gradients, batches of 256 from fresh noise.",
            "Protocol: warm-up for --warmup seconds and at least 3 steps, then --blocks timed blocks of about "
                    + "--seconds each; figures are the medians over blocks. GFLOP/s counts the matrix-product and "
                    + "convolution multiply-adds of forward and backward, as `info` does, ×2.",
            ""})
final class BenchCommand implements Callable<Integer> {
    static final List<String> MODELS = List.of("mlp", "dcgan28", "dcgan64");
    /** Measured when named, not under "all" (whose figures BENCHMARKS.md compares round by round). */
    private static final List<String> ALSO = List.of("resnet28", "resnet64");
    private static final int INFERENCE_BATCH = 256;
    private static final int WARMUP_STEPS = 3;

    @Option(names = "--model", defaultValue = "all", description = "mlp, dcgan28, dcgan64, resnet28, resnet64 or all (the first three; default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--batch-size", split = ",", defaultValue = "64,128", description = "training batch sizes (default: ${DEFAULT-VALUE})")
    int[] batchSizes;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or auto (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--threads", description = "CPU threads (default: GAN4J_THREADS, else the available processors)")
    Integer threads;

    @Option(names = "--warmup", defaultValue = "2", description = "warm-up seconds before each measurement (default: ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--seconds", defaultValue = "1", description = "seconds per timed block (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--blocks", defaultValue = "7", description = "timed blocks; the median is reported (default: ${DEFAULT-VALUE})")
    int blocks;

    @Option(names = "--no-replay", description = "time steps that build their graph anew instead of replaying the recorded kernels")
    boolean noReplay;

    @Option(names = "--json", description = "one JSON object per line instead of a table")
    boolean json;

    /** `gan4j bench` alone: {@code java -cp ... org.gan4j.cli.BenchCommand [options]}. */
    public static void main(String[] args) {
        System.exit(Main.runAlone(new BenchCommand(), args));
    }

    /** One line of results. */
    record Result(String model, int batch, double stepsPerSecond, double imagesPerSecond, double gflops,
                  double inferenceImagesPerSecond) {
    }

    @Override
    public Integer call() throws IOException {
        List<String> models = model.equals("all") ? MODELS : List.of(model);
        for (String m : models) {
            if (!MODELS.contains(m) && !ALSO.contains(m)) {
                throw new CliException("--model must be mlp, dcgan28, dcgan64, resnet28, resnet64 or all, got '" + m + "'");
            }
        }
        if (blocks < 1 || seconds <= 0 || warmup < 0) throw new CliException("--blocks must be ≥ 1, --seconds > 0, --warmup ≥ 0");
        if (Arrays.stream(batchSizes).anyMatch(b -> b < 1)) throw new CliException("--batch-size must be positive");
        int usedThreads = selectDevice();
        String deviceName = Backends.defaultBackend().name();
        String cpu = cpuModel();
        if (!json) {
            System.out.printf(Locale.ROOT, "device %s, %d threads, %s, Java %s, steps %s; medians of %d blocks%n",
                    deviceName, usedThreads, cpu, Runtime.version(), noReplay ? "built anew" : "replayed", blocks);
            System.out.printf(Locale.ROOT, "%-8s %6s %10s %10s %9s %14s%n", "model", "batch", "steps/s", "images/s", "GFLOP/s", "infer img/s");
        }
        for (String m : models) {
            for (int batch : batchSizes) {
                Result r = measure(m, batch);
                if (json) {
                    System.out.println(jsonLine(r, usedThreads, deviceName, cpu));
                } else {
                    System.out.printf(Locale.ROOT, "%-8s %6d %10.2f %10.1f %9.1f %14.1f%n", r.model(), r.batch(),
                            r.stepsPerSecond(), r.imagesPerSecond(), r.gflops(), r.inferenceImagesPerSecond());
                }
            }
        }
        return 0;
    }

    /** Makes the chosen device the default one; returns the CPU threads in use. */
    private int selectDevice() {
        if (threads != null && threads < 1) throw new CliException("--threads must be positive, got " + threads);
        Devices.select(device);
        if (threads != null && Backends.defaultBackend() instanceof CpuBackend) Backends.setDefault(new CpuBackend(threads));
        return Backends.defaultBackend() instanceof CpuBackend c ? c.threads() : ((CpuBackend) Backends.cpu()).threads();
    }

    private Result measure(String name, int batch) {
        GanModel m = Models.create(name, ModelOptions.defaults(), Rng.seeded(1));
        long stepMacs = FlopCount.trainingStep(FlopCount.generator(m), FlopCount.discriminator(m));
        Generator g = m.generator();
        Trainer trainer = new Trainer(m, GanLoss.nonSaturating(), TrainOptions.defaults(), null, Rng.seeded(2));
        trainer.setReplay(!noReplay);
        int[] shape = new int[g.outputShape().length + 1];
        shape[0] = batch;
        System.arraycopy(g.outputShape(), 0, shape, 1, g.outputShape().length);
        Tensor real = Tensor.rand(Rng.seeded(3), shape).mul(2f).sub(1f);   // made once: no data loading is timed

        // Trainer.step reads its losses back, so a GPU has finished each step when it returns
        double steps = medianRate(() -> trainer.step(real, null));

        g.eval();
        Rng noise = Rng.seeded(4);
        double batches = medianRate(() -> {
            try (Scope scope = Scope.open(); var ng = Autograd.noGrad()) {
                g.generate(g.noise(INFERENCE_BATCH, noise), null).meanAll().item();   // reads back: the work is done
            }
        });
        return new Result(name, batch, steps, steps * batch, 2.0 * stepMacs * batch * steps / 1e9, batches * INFERENCE_BATCH);
    }

    /**
     * Runs {@code step} for the warm-up (by time, since the first second of heavy work runs slow
     * on some machines, and by count), then times {@link #blocks} blocks of about {@link #seconds}
     * each; returns the median of their steps per second.
     */
    private double medianRate(Runnable step) {
        long warmEnd = System.nanoTime() + (long) (warmup * 1e9);
        for (int i = 0; i < WARMUP_STEPS || System.nanoTime() < warmEnd; i++) step.run();
        double[] rates = new double[blocks];
        for (int b = 0; b < blocks; b++) {
            long start = System.nanoTime(), end = start + (long) (seconds * 1e9), now;
            int n = 0;
            do {
                step.run();
                n++;
            } while ((now = System.nanoTime()) < end);
            rates[b] = n * 1e9 / (now - start);
        }
        Arrays.sort(rates);
        return blocks % 2 == 1 ? rates[blocks / 2] : (rates[blocks / 2 - 1] + rates[blocks / 2]) / 2;
    }

    private String jsonLine(Result r, int usedThreads, String deviceName, String cpu) throws JsonProcessingException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("impl", "gan4j");
        line.put("model", r.model());
        line.put("batch", r.batch());
        line.put("steps_per_s", r.stepsPerSecond());
        line.put("images_per_s", r.imagesPerSecond());
        line.put("gflops", r.gflops());
        line.put("inference_images_per_s", r.inferenceImagesPerSecond());
        line.put("threads", usedThreads);
        line.put("replay", !noReplay);
        line.put("device", deviceName);
        line.put("blocks", blocks);
        line.put("java", Runtime.version().toString());
        line.put("cpu", cpu);
        return RunDirectory.JSON_LINE.writeValueAsString(line);
    }

    /** The processor's name as /proc/cpuinfo gives it, or the architecture where there is none. */
    static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) return l.substring(l.indexOf(':') + 1).trim();
            }
        } catch (IOException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }
}
