package org.gan4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.gan4j.gan.Augmentation;
import org.gan4j.gan.Countermeasures;
import org.gan4j.gan.GanLoss;
import org.gan4j.gan.Models;
import org.gan4j.optim.OptimizerSpec;
import org.gan4j.run.DataSources;
import org.gan4j.run.GanRun;
import org.gan4j.run.RunBuilder;
import org.gan4j.run.RunConfig;
import org.gan4j.run.RunDirectory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a GAN. With no options: dcgan28 on the MNIST digits that ship with gan4j, into runs/<time>.",
                "Resume a killed run with --resume DIR: it continues exactly where its last checkpoint left off."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "dcgan28", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})",
            completionCandidates = InfoCommand.ModelNames.class)
    String model;

    @Option(names = "--data", defaultValue = DataSources.DEFAULT,
            description = "dataset: mnist-test (shipped), mnist, fashion-mnist, kmnist, cifar10, ring8, grid25, stacked-mnist, or a folder of images (default: ${DEFAULT-VALUE})")
    String data;

    @Option(names = "--data-dir", description = "folder with the dataset's files (instead of the cache)")
    Path dataDir;

    @ArgGroup(exclusive = true)
    Length length;

    static final class Length {
        @Option(names = "--epochs", description = "passes over the data (default: 12)")
        Integer epochs;

        @Option(names = "--steps", description = "training steps (one D update, and a G update every --d-steps)")
        Long steps;
    }

    @Option(names = "--batch-size", defaultValue = "64", description = "default: ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--loss", defaultValue = "bce", description = "bce (non-saturating), minimax, lsgan, hinge, wgan-gp, rpgan (relativistic pairing) (default: ${DEFAULT-VALUE})")
    String loss;

    @Option(names = "--lr-g", defaultValue = "2e-4", description = "G's learning rate (default: ${DEFAULT-VALUE})")
    float lrG;

    @Option(names = "--lr-d", defaultValue = "2e-4", description = "D's learning rate (default: ${DEFAULT-VALUE})")
    float lrD;

    @Option(names = "--beta1", defaultValue = "0.5", description = "Adam β1 of both (default: ${DEFAULT-VALUE})")
    float beta1;

    @Option(names = "--beta2", defaultValue = "0.999", description = "Adam β2 of both (default: ${DEFAULT-VALUE})")
    float beta2;

    @Option(names = "--lr-schedule", defaultValue = "constant",
            description = "constant, or cosine: both learning rates annealed by ½(1+cos(π·t/T)) over the run's T steps (default: ${DEFAULT-VALUE})")
    String lrSchedule;

    @Option(names = "--d-steps", defaultValue = "1", description = "D updates per G update (default: ${DEFAULT-VALUE})")
    int dSteps;

    @Option(names = "--unroll", defaultValue = "0", paramLabel = "K",
            description = "unrolled GAN: G learns against D after K look-ahead updates, which are then undone (default: off)")
    int unroll;

    @Option(names = "--r1", defaultValue = "0", paramLabel = "GAMMA", description = "R1: γ/2·E‖∇D(x)‖² on real samples added to D's loss (default: off)")
    float r1;

    @Option(names = "--r2", defaultValue = "0", paramLabel = "GAMMA", description = "R2: the same penalty on fake samples (default: off)")
    float r2;

    @Option(names = "--reg-every", defaultValue = "1", paramLabel = "K",
            description = "lazy regularization: R1 and R2 on every K-th step only, weighted by K (default: ${DEFAULT-VALUE})")
    int regEvery;

    @Option(names = "--gamma-schedule", defaultValue = "constant",
            description = "constant, or cosine: R1 and R2's γ annealed as --lr-schedule cosine anneals the rates (default: ${DEFAULT-VALUE})")
    String gammaSchedule;

    @Option(names = "--label-smoothing", defaultValue = "0", description = "one-sided: D's real target is 1 - this (default: ${DEFAULT-VALUE})")
    float labelSmoothing;

    @Option(names = "--instance-noise", defaultValue = "0", description = "σ of noise on D's inputs, fading to 0 (default: ${DEFAULT-VALUE})")
    float instanceNoise;

    @Option(names = "--ema", defaultValue = "0", description = "decay of the average of G's weights used for samples, e.g. 0.999 (default: off)")
    float ema;

    @Option(names = "--ema-half-life", defaultValue = "0", paramLabel = "IMAGES",
            description = "the average's half-life in images G makes, instead of --ema: decay 0.5^(batch/IMAGES) per G step (StyleGAN's way; default: off)")
    long emaHalfLife;

    @Option(names = "--g-hidden", split = ",", description = "MLP generator hidden sizes, e.g. 256,512,1024")
    int[] gHidden;

    @Option(names = "--d-hidden", split = ",", description = "MLP discriminator hidden sizes, e.g. 512,256")
    int[] dHidden;

    @Option(names = "--activation", description = "MLP hidden activation: relu, leaky_relu, tanh")
    String activation;

    @Option(names = "--width", defaultValue = "0", description = "base width: DCGAN's ngf, and ndf unless --d-width (default 64); the resnets' first stage in G and D (default 16)")
    int width;

    @Option(names = "--d-width", defaultValue = "0", description = "D's base width (DCGAN's ndf, the resnets' D) when it differs from --width")
    int dWidth;

    @Option(names = "--channels", defaultValue = "0",
            description = "image channels of the DCGANs and resnets (default: the data's; a folder's: 3, or 1 with the MLPs; 1 reads a folder as grayscale)")
    int channels;

    @Option(names = "--image-size", defaultValue = "0", description = "side a folder's images are scaled and centre-cropped to (default: the model's)")
    int imageSize;

    @Option(names = "--pack", defaultValue = "1", description = "PacGAN: D judges packs of m samples, all real or all fake (2..4; the batch size must divide by m)")
    int pack;

    @Option(names = "--minibatch-discrimination", arity = "0..1", defaultValue = "0", fallbackValue = "32", paramLabel = "B",
            description = "minibatch discrimination before D's last layer with B kernels (alone: 32)")
    int minibatchKernels;

    @Option(names = "--minibatch-std", arity = "0..1", description = "minibatch standard deviation as one more feature before D's last layer")
    boolean minibatchStd;

    @Option(names = "--spectral-norm", arity = "0..1", description = "spectral normalization of D's linear and convolution layers")
    boolean spectralNorm;

    @Option(names = "--seed", defaultValue = "1", description = "default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--device", defaultValue = "auto", description = "cpu, cuda or auto (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--out", description = "run directory (default: runs/<time>)")
    Path out;

    @Option(names = "--resume", description = "continue the run in this directory")
    Path resume;

    @Option(names = "--sample-every", defaultValue = "500", description = "steps between sample grids (default: ${DEFAULT-VALUE})")
    int sampleEvery;

    @Option(names = "--checkpoint-every", defaultValue = "1000", description = "steps between checkpoints (default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--eval-every", defaultValue = "0",
            description = "steps between quality metrics of 1,000 samples in metrics.jsonl (images need a cached classifier), and, with "
                    + "--data-limit, D's mean logit on trained and on left-out images (default: off)")
    int evalEvery;

    @Option(names = "--on-nan", defaultValue = "rollback", description = "rollback (to the last checkpoint, halving the learning rates) or stop (default: ${DEFAULT-VALUE})")
    String onNan;

    @Option(names = "--max-rollbacks", defaultValue = "3", description = "default: ${DEFAULT-VALUE}")
    int maxRollbacks;

    @Option(names = "--dashboard", description = "serve the live dashboard of this run and its siblings while it trains")
    boolean dashboard;

    @Mixin
    DashboardOptions dashboardOptions;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam, adamw, sgd or rmsprop, for both networks (default: ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--weight-decay", defaultValue = "0", description = "weight decay of --optimizer adamw (default: ${DEFAULT-VALUE})")
    float weightDecay;

    @Option(names = "--augment", defaultValue = "none",
            description = "augmentation of every batch D sees, real and fake: none, diffaugment (colour, translation, cutout), "
                    + "or ada (flips, quarter turns, shifts, colour, cutout with a probability p tuned from D's outputs) (default: ${DEFAULT-VALUE})")
    String augment;

    @Option(names = "--ada-target", paramLabel = "R", description = "the overfitting signal E[sign(D(x))] that --augment ada steers p towards (default: 0.6)")
    Float adaTarget;

    @Option(names = "--data-limit", paramLabel = "N", description = "train on N images of the data, chosen with the seed (default: all)")
    Integer dataLimit;

    @Option(names = "--init", defaultValue = "dcgan",
            description = "the DCGAN models' initialisation: dcgan (N(0, 0.02) on every convolution and Linear weight, zero biases) or dcgan-conv (on convolutions only, PyTorch's default elsewhere) (default: ${DEFAULT-VALUE})")
    String init;

    @Option(names = "--g-noise", defaultValue = "reuse",
            description = "what G learns on: reuse (the fakes D has just judged) or fresh (a new noise batch) (default: ${DEFAULT-VALUE})")
    String gNoise;

    @Option(names = "--no-replay",
            description = "build every step's graph anew instead of replaying the recorded kernels of the steps before (the same bits; for debugging and comparison)")
    boolean noReplay;

    /** Where progress goes; a sweep gives each of its runs a log file. */
    PrintStream log = System.out;

    @Spec
    CommandSpec spec;

    /** What may go with --resume: the run's length, and where and how it runs; everything else is the run's own. */
    private static final Set<String> WITH_RESUME = Set.of("--resume", "--epochs", "--steps", "--device", "--no-replay", "--dashboard", "--port", "--host");

    @Override
    public Integer call() {
        if (resume != null && !new RunDirectory(resume).exists()) throw new CliException("--resume: " + resume + " is not a gan4j run directory (no config.json)");
        if (resume != null && spec != null) {
            List<String> ignored = spec.commandLine().getParseResult().matchedOptions().stream().map(o -> o.longestName())
                    .filter(name -> !WITH_RESUME.contains(name)).toList();
            if (!ignored.isEmpty()) {
                throw new CliException("--resume continues the run with its own settings (" + new RunDirectory(resume).config() + "); "
                        + String.join(", ", ignored) + " cannot change them (only --epochs or --steps, --device, --no-replay and --dashboard can)");
            }
        }
        validate();
        Devices.select(device);   // after the flags are checked: a bad flag is named even where the device is missing
        GanRun run = builder().build();
        run.trainer().setReplay(!noReplay);
        RunConfig config = run.config();
        log.println("run directory " + run.directory().root() + ": " + config.model() + " on " + run.data().describe() + ", "
                + config.steps() + " steps of batch " + config.batchSize());
        try (var served = dashboard ? dashboardOptions.start(run.directory().root().toAbsolutePath().getParent()) : null) {
            run.fit();
        }
        log.println("done: samples in " + run.directory().samples() + ", curves in " + run.directory().plots().resolve("losses.png"));
        return 0;
    }

    /** The flags as the library's run: a new one, or the one in --resume with a new length if one is given. */
    RunBuilder builder() {
        RunBuilder b = GanRun.builder();
        if (resume != null) {
            b.resume(resume);
        } else {
            b.model(model).data(data).dataDir(dataDir).batchSize(batchSize).loss(loss)
                    .optimizerG(optimizer(lrG)).optimizerD(optimizer(lrD))
                    .dSteps(dSteps).unrollSteps(unroll).labelSmoothing(labelSmoothing).instanceNoise(instanceNoise).ema(ema).emaHalfLife(emaHalfLife)
                    .r1(r1).r2(r2).regEvery(regEvery).lrSchedule(lrSchedule).gammaSchedule(gammaSchedule)
                    .seed(seed).device(device).sampleEvery(sampleEvery).checkpointEvery(checkpointEvery).evalEvery(evalEvery)
                    .mlp(gHidden, dHidden, activation).widths(width, dWidth, channels).imageSize(imageSize).onNan(onNan, maxRollbacks)
                    .countermeasures(countermeasures()).init(init).gNoise(gNoise)
                    .directory(out != null ? out : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
            b.augment(augmentation());
            if (dataLimit != null) b.dataLimit(dataLimit);
        }
        if (length != null && length.steps != null) b.steps(length.steps);
        if (length != null && length.epochs != null) b.epochs(length.epochs);
        boolean terminal = System.console() != null && System.console().isTerminal();
        return b.listener(new Progress(log, terminal)).listener(new TensorBoardLog()).listener(new LossPlots());
    }

    private OptimizerSpec optimizer(float lr) {
        return switch (optimizer) {
            case "adamw" -> OptimizerSpec.adamW(lr, beta1, beta2, weightDecay);
            case "sgd" -> OptimizerSpec.sgd(lr, 0f);
            case "rmsprop" -> OptimizerSpec.rmsprop(lr, 0.99f);
            default -> new OptimizerSpec(optimizer, lr, beta1, beta2, 0f, weightDecay);
        };
    }

    private Augmentation augmentation() {
        if (adaTarget != null && !augment.equals("ada")) throw new IllegalArgumentException("--ada-target goes with --augment ada only");
        Augmentation a = Augmentation.named(augment);
        return adaTarget == null ? a : a.withAdaTarget(adaTarget);
    }

    private Countermeasures countermeasures() {
        try {
            return new Countermeasures(pack, minibatchKernels, minibatchStd, spectralNorm);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    /** Checks the options of a new run (a resumed run takes its run directory's) with the library's own checks. */
    void validate() {
        try {
            builder().validate();
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }
}
