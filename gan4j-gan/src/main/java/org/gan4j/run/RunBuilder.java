package org.gan4j.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gan4j.data.DataLoader;
import org.gan4j.data.Dataset;
import org.gan4j.gan.Augmentation;
import org.gan4j.gan.Countermeasures;
import org.gan4j.gan.GanLoss;
import org.gan4j.gan.GanModel;
import org.gan4j.gan.ModelOptions;
import org.gan4j.gan.Models;
import org.gan4j.gan.Schedule;
import org.gan4j.metrics.ShuffledSubset;
import org.gan4j.gan.TrainOptions;
import org.gan4j.optim.OptimizerSpec;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;

/**
 * Sets up a {@link GanRun}: a new one from gan4j's named models, losses and datasets (or your
 * own model and data), or with {@link #resume} the continuation of one in its directory. Every
 * setting starts at the default of {@code gan4j train}: dcgan28 on the shipped MNIST digits,
 * 12 epochs of batch 64, the non-saturating loss, Adam 2e-4 with β = (0.5, 0.999) for both
 * networks, DCGAN's initialisation on every layer, seed 1.
 */
public final class RunBuilder {
    private static final int DEFAULT_EPOCHS = 12;
    private static final OptimizerSpec DCGAN_ADAM = OptimizerSpec.adam(2e-4f, 0.5f, 0.999f);

    private String model = "dcgan28", data = "mnist-test", dataDir, loss = "bce", device = "cpu", onNan = "rollback", activation;
    private GanModel customModel;
    private Dataset customData;
    private Path directory, resuming;
    private int batchSize = 64, dSteps = 1, unrollSteps, sampleEvery = 500, checkpointEvery = 1000, evalEvery, maxRollbacks = 3;
    private int width, dWidth, channels, imageSize;
    private int[] gHidden, dHidden;
    private Long steps;
    private Integer epochs;
    private OptimizerSpec optimizerG = DCGAN_ADAM, optimizerD = DCGAN_ADAM;
    private float labelSmoothing, instanceNoise, ema, r1, r2;
    private int regEvery = 1;
    private long seed = 1, emaHalfLife;
    private String lrSchedule = "constant", gammaSchedule = "constant";
    private String init = "dcgan", gNoise = "reuse";
    private Countermeasures countermeasures = Countermeasures.none();
    private Augmentation augment = Augmentation.none();
    /** Images to train on (null: all of them). */
    private Integer dataLimit;
    private final List<RunListener> listeners = new ArrayList<>();

    RunBuilder() {
    }

    /** One of {@link Models#NAMES}. */
    public RunBuilder model(String name) {
        this.model = name;
        return this;
    }

    /** Your own generator and discriminator (or one of {@link Models#create}); load its samples with {@link TrainedGenerator#load(Path, boolean, org.gan4j.gan.Generator)}. */
    public RunBuilder model(GanModel model) {
        this.customModel = model;
        this.model = model.name();
        return this;
    }

    /** A dataset name ({@link DataSources#NAMES}) or a folder of images. */
    public RunBuilder data(String name) {
        this.data = name;
        return this;
    }

    /** Your own data; a resumed run needs the same data given again. */
    public RunBuilder data(Dataset dataset) {
        this.customData = dataset;
        this.data = dataset.describe();
        return this;
    }

    /** Where a named dataset's files are, instead of gan4j's download cache. */
    public RunBuilder dataDir(Path folder) {
        this.dataDir = folder == null ? null : folder.toString();
        return this;
    }

    /** One of {@link GanLoss#NAMES}. */
    public RunBuilder loss(String name) {
        this.loss = name;
        return this;
    }

    public RunBuilder loss(GanLoss loss) {
        return loss(loss.name());
    }

    public RunBuilder optimizerG(OptimizerSpec spec) {
        this.optimizerG = spec;
        return this;
    }

    public RunBuilder optimizerD(OptimizerSpec spec) {
        this.optimizerD = spec;
        return this;
    }

    public RunBuilder batchSize(int n) {
        this.batchSize = n;
        return this;
    }

    /** Training steps (one D update each, and a G update every {@link #dSteps}); replaces {@link #epochs}. */
    public RunBuilder steps(long n) {
        this.steps = n;
        this.epochs = null;
        return this;
    }

    /** Passes over the data; replaces {@link #steps}. */
    public RunBuilder epochs(int n) {
        this.epochs = n;
        this.steps = null;
        return this;
    }

    public RunBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    public RunBuilder directory(Path dir) {
        this.directory = dir;
        return this;
    }

    public RunBuilder listener(RunListener listener) {
        listeners.add(listener);
        return this;
    }

    /** D updates per G update. */
    public RunBuilder dSteps(int k) {
        this.dSteps = k;
        return this;
    }

    /** Unrolled GAN: G learns against D after k look-ahead updates, which are then undone. */
    public RunBuilder unrollSteps(int k) {
        this.unrollSteps = k;
        return this;
    }

    /** One-sided: D's real target is 1 minus this. */
    public RunBuilder labelSmoothing(float s) {
        this.labelSmoothing = s;
        return this;
    }

    /** σ of noise on D's inputs, fading to 0 over the run. */
    public RunBuilder instanceNoise(float sigma) {
        this.instanceNoise = sigma;
        return this;
    }

    /** Decay of the average of G's weights used for samples, e.g. 0.999; 0 keeps none. */
    public RunBuilder ema(float decay) {
        this.ema = decay;
        return this;
    }

    /**
     * The weight average's half-life in images G has made (StyleGAN's convention), instead of a decay:
     * the decay per G step is 0.5^(batch/half-life), so it means the same at any batch size; 0 = none.
     */
    public RunBuilder emaHalfLife(long images) {
        this.emaHalfLife = images;
        return this;
    }

    /** How both learning rates change over the run: "constant" or "cosine" (annealed to 0 at the last step). */
    public RunBuilder lrSchedule(String schedule) {
        this.lrSchedule = schedule;
        return this;
    }

    /** How R1 and R2's γ change over the run: "constant" or "cosine". */
    public RunBuilder gammaSchedule(String schedule) {
        this.gammaSchedule = schedule;
        return this;
    }

    /** R1: γ/2·E‖∇ₓD(x)‖² on real samples added to D's loss, with any loss; 0 = none. */
    public RunBuilder r1(float gamma) {
        this.r1 = gamma;
        return this;
    }

    /** R2: the same penalty on fake samples; 0 = none. */
    public RunBuilder r2(float gamma) {
        this.r2 = gamma;
        return this;
    }

    /** Lazy regularization: R1 and R2 every k-th step only, weighted by k. */
    public RunBuilder regEvery(int k) {
        this.regEvery = k;
        return this;
    }

    /** The DCGAN models' initialisation, one of {@link Models#INITS}. */
    public RunBuilder init(String name) {
        this.init = name;
        return this;
    }

    /** What G learns on, one of {@link TrainOptions#G_NOISE}: "fresh" noise or the fakes D has just judged ("reuse"). */
    public RunBuilder gNoise(String name) {
        this.gNoise = name;
        return this;
    }

    /** The device the run was started on, as recorded in config.json (the caller selects the backend). */
    public RunBuilder device(String name) {
        this.device = name;
        return this;
    }

    public RunBuilder sampleEvery(int stepsBetween) {
        this.sampleEvery = stepsBetween;
        return this;
    }

    public RunBuilder checkpointEvery(int stepsBetween) {
        this.checkpointEvery = stepsBetween;
        return this;
    }

    /** Steps between quality metrics of 1,000 samples (images need a cached classifier); 0 = off. */
    public RunBuilder evalEvery(int stepsBetween) {
        this.evalEvery = stepsBetween;
        return this;
    }

    /** "rollback" (to the last checkpoint, halving the learning rates, at most {@code maxRollbacks} times) or "stop". */
    public RunBuilder onNan(String policy, int maxRollbacks) {
        this.onNan = policy;
        this.maxRollbacks = maxRollbacks;
        return this;
    }

    /** The MLP models' hidden sizes and activation (null: the model's). */
    public RunBuilder mlp(int[] gHidden, int[] dHidden, String activation) {
        this.gHidden = gHidden;
        this.dHidden = dHidden;
        this.activation = activation;
        return this;
    }

    /** The DCGAN models' base widths (0: the model's, 64) and image channels (0: the data's; a folder's: 3, or the model's only count). */
    public RunBuilder widths(int width, int dWidth, int channels) {
        this.width = width;
        this.dWidth = dWidth;
        this.channels = channels;
        return this;
    }

    /** The side a folder's images are scaled and cropped to (0: the size the model takes); other data keeps its own. */
    public RunBuilder imageSize(int size) {
        this.imageSize = size;
        return this;
    }

    public RunBuilder countermeasures(Countermeasures c) {
        this.countermeasures = c;
        return this;
    }

    /**
     * The augmentation of every batch D sees, real and fake alike: {@code Augmentation.named("diffaugment")},
     * {@code Augmentation.named("ada").withAdaTarget(0.6f)}, or none (the default).
     */
    public RunBuilder augment(Augmentation a) {
        this.augment = a;
        return this;
    }

    /** Trains on n images of the data only, the first n of its order shuffled with the run's seed: the same n on resume. */
    public RunBuilder dataLimit(int n) {
        this.dataLimit = n;
        return this;
    }

    /** Continues the run in {@code dir} with its own configuration; {@link #steps} or {@link #epochs} may lengthen it. */
    public RunBuilder resume(Path dir) {
        RunConfig c = new RunDirectory(dir).readConfig();
        this.resuming = dir;
        this.directory = dir;
        model = c.model();
        data = c.data();
        dataDir = c.dataDir();
        batchSize = c.batchSize();
        steps = c.steps();
        epochs = null;
        loss = c.loss();
        optimizerG = c.optimizerG();
        optimizerD = c.optimizerD();
        dSteps = c.dSteps();
        unrollSteps = c.unrollSteps();
        labelSmoothing = c.labelSmoothing();
        instanceNoise = c.instanceNoise();
        emaHalfLife = c.emaHalfLife();
        ema = emaHalfLife > 0 ? 0 : c.ema();   // the decay is the half-life's, worked out again from it
        lrSchedule = RunConfig.orConstant(c.lrSchedule());
        gammaSchedule = RunConfig.orConstant(c.gammaSchedule());
        seed = c.seed();
        device = c.device();
        sampleEvery = c.sampleEvery();
        checkpointEvery = c.checkpointEvery();
        evalEvery = c.evalEvery();
        gHidden = c.gHidden();
        dHidden = c.dHidden();
        activation = c.activation();
        width = c.width();
        dWidth = c.dWidth();
        channels = c.channels();
        imageSize = c.imageSize();
        onNan = c.onNan();
        maxRollbacks = c.maxRollbacks();
        countermeasures = c.countermeasures();
        r1 = c.r1();
        r2 = c.r2();
        regEvery = Math.max(1, c.regEvery());
        augment = RunConfig.orNone(c.augment());
        dataLimit = c.dataLimit() > 0 ? c.dataLimit() : null;
        init = c.modelOptions().init();
        gNoise = c.trainOptions().gNoise();
        return this;
    }

    /** Checks the settings against each other and the data, and makes the run; nothing is written until {@link GanRun#fit}. */
    public GanRun build() {
        if (directory == null) throw new IllegalArgumentException("a run needs a directory");
        RunDirectory dir = new RunDirectory(directory);
        if (resuming == null && dir.exists()) {
            throw new RunException(directory + " already holds a run; resume it, or choose another directory");
        }
        validate();
        Dataset all = customData != null ? customData : DataSources.isFolder(data) ? openFolder()
                : DataSources.open(data, dataDir == null ? null : Path.of(dataDir));
        Dataset dataset = limited(all);
        if (augment.enabled() && (dataset.itemShape().length != 3 || dataset.itemShape()[1] != dataset.itemShape()[2])) {
            throw new IllegalArgumentException("augmentation works on square images; " + data + " holds items of shape " + Tensor.shapeString(dataset.itemShape()));
        }
        RunConfig config = config(dataset);
        GanModel gan = customModel != null ? customModel : Models.create(config.model(), config.modelOptions(), Rng.seeded(seed));
        requireCompatible(gan, dataset);
        int[] item = dataset.itemShape();
        if (imageSize > 0 && item.length == 3 && item[2] != imageSize) {
            throw new IllegalArgumentException("the image size is chosen for folders only; " + data + " has " + item[1] + "×" + item[2] + " images");
        }
        GanModel emaCopy = null;
        if (emaDecay() > 0) {
            if (customModel != null) throw new IllegalArgumentException("a weight average (ema) needs one of gan4j's named models");
            emaCopy = Models.create(config.model(), config.modelOptions(), Rng.seeded(seed));
        }
        return new GanRun(dir, config, dataset, overfitCheck(all, dataset), gan, emaCopy, listeners);
    }

    /** The first {@code dataLimit} items of the data shuffled with the run's seed, or all of it. */
    private Dataset limited(Dataset all) {
        if (dataLimit == null) return all;
        if (dataLimit > all.size()) throw new IllegalArgumentException("the data limit " + dataLimit + " is larger than the data (" + all.size() + " items)");
        return new ShuffledSubset(all, dataLimit, seed);
    }

    /** With a data limit that leaves images out, D's logits on trained and on left-out images; null otherwise. */
    private OverfitCheck overfitCheck(Dataset all, Dataset chosen) {
        if (dataLimit == null) return null;
        int spare = Math.min(OverfitCheck.IMAGES, all.size() - dataLimit);
        if (spare < batchSize) return null;
        // the same seed's longer choice begins with the chosen images; what follows was left out
        Dataset leftOut = new ShuffledSubset(all, dataLimit + spare, seed).slice(dataLimit, dataLimit + spare);
        return new OverfitCheck(chosen, leftOut, batchSize);
    }

    /**
     * The folder's images at the size and channels the model takes, refusing what it cannot take before a pixel is read.
     * A model that fixes its channels (the MLPs: 1) sets them; the others make what {@code channels} asks, 3 by default.
     */
    private Dataset openFolder() {
        int[] takes = customModel != null ? customModel.generator().outputShape()
                : Models.create(model, options(channels > 0 ? channels : 3), Rng.seeded(seed)).generator().outputShape();
        if (takes.length != 3) throw new IllegalArgumentException("model " + model + " makes points, not images, so it cannot learn the folder " + data);
        if (channels > 0 && takes[0] != channels) {
            throw new IllegalArgumentException("model " + model + " makes " + takes[0] + "-channel images, not " + channels);
        }
        if (takes[0] != 1 && takes[0] != 3) throw new IllegalArgumentException("a folder loads as 1 (grayscale) or 3 (RGB) channels, not " + takes[0]);
        if (imageSize > 0 && imageSize != takes[1]) {
            throw new IllegalArgumentException("model " + model + " makes " + takes[1] + "×" + takes[2] + " images, not " + imageSize + "×" + imageSize);
        }
        return DataSources.open(data, null, takes[1], takes[0]);
    }

    private ModelOptions options(int imageChannels) {
        return new ModelOptions(gHidden, dHidden, activation, width, dWidth, imageChannels, 0, countermeasures, init);
    }

    /** The configuration this builder makes for {@code dataset}, every value resolved. */
    RunConfig config(Dataset dataset) {
        int[] item = dataset.itemShape();
        int imageChannels = channels > 0 ? channels : item.length == 3 ? item[0] : 0;
        int side = item.length == 3 ? item[2] : 0;
        long length = steps != null ? steps
                : (long) (epochs != null ? epochs : DEFAULT_EPOCHS) * Math.max(1, DataLoader.batchesPerEpoch(dataset.size(), batchSize, true));
        return new RunConfig(Provenance.VERSION, model, data, dataDir, batchSize, length, loss, optimizerG, optimizerD, dSteps,
                unrollSteps, labelSmoothing, instanceNoise, emaDecay(), seed, device, sampleEvery, checkpointEvery, evalEvery, gHidden,
                dHidden, activation, width, dWidth, imageChannels, onNan, maxRollbacks, dataset.checksum(), countermeasures, side,
                r1, r2, regEvery, lrSchedule, gammaSchedule, emaHalfLife, augment, dataLimit == null ? 0 : dataLimit, init, gNoise);
    }

    /** The decay per G step: the one given, or the half-life's (StyleGAN2: ema_beta = 0.5 ** (batch_size / ema_nimg)). */
    private float emaDecay() {
        return emaHalfLife > 0 ? (float) Math.pow(0.5, batchSize / (double) emaHalfLife) : ema;
    }

    /** Checks the settings against each other, without reading data or disk; the data's own checks come in {@link #build}. */
    public void validate() {
        if (customModel == null && !Models.NAMES.contains(model)) {
            throw new IllegalArgumentException("unknown model '" + model + "' (known: " + String.join(", ", Models.NAMES) + ")");
        }
        if (!GanLoss.NAMES.contains(loss)) throw new IllegalArgumentException("unknown loss '" + loss + "' (known: " + String.join(", ", GanLoss.NAMES) + ")");
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        if (batchSize % countermeasures.pack() != 0) {
            throw new IllegalArgumentException("batch size " + batchSize + " must be divisible by the pack size " + countermeasures.pack());
        }
        if ((steps != null && steps < 1) || (epochs != null && epochs < 1)) throw new IllegalArgumentException("steps and epochs must be at least 1");
        if (dSteps < 1) throw new IllegalArgumentException("D steps per G step must be at least 1, got " + dSteps);
        if (unrollSteps < 0) throw new IllegalArgumentException("unroll steps must be 0 (off) or positive");
        if (labelSmoothing < 0 || labelSmoothing >= 1) throw new IllegalArgumentException("label smoothing must be in [0, 1)");
        if (ema < 0 || ema >= 1) throw new IllegalArgumentException("the weight average's decay (ema) must be in [0, 1)");
        if (emaHalfLife < 0) throw new IllegalArgumentException("the weight average's half-life must be 0 (off) or a number of images, got " + emaHalfLife);
        if (ema > 0 && emaHalfLife > 0) throw new IllegalArgumentException("give the weight average a decay (ema) or a half-life, not both");
        if (emaHalfLife > 0 && batchSize >= 1 && emaDecay() >= 1f) {
            throw new IllegalArgumentException("a half-life of " + emaHalfLife + " images is too long for batch " + batchSize + ": its decay rounds to 1");
        }
        for (String s : new String[] {lrSchedule, gammaSchedule}) {
            if (!Schedule.NAMES.contains(s)) throw new IllegalArgumentException("unknown schedule '" + s + "' (known: " + String.join(", ", Schedule.NAMES) + ")");
        }
        // the options records check their own names
        options(channels);
        TrainOptions.defaults().withGNoise(gNoise);
        if (!(r1 >= 0) || !(r2 >= 0)) throw new IllegalArgumentException("R1 and R2's γ must be 0 (off) or positive, got " + r1 + " and " + r2);
        if (regEvery < 1) throw new IllegalArgumentException("the regularization interval (reg-every) must be at least 1 step, got " + regEvery);
        if (width < 0 || dWidth < 0) throw new IllegalArgumentException("widths must not be negative (0: the model's)");
        if (channels < 0) throw new IllegalArgumentException("channels must not be negative (0: the data's)");
        if (imageSize < 0) throw new IllegalArgumentException("the image size must not be negative (0: the model's)");
        for (int[] hidden : new int[][] {gHidden, dHidden}) {
            if (hidden != null && Arrays.stream(hidden).anyMatch(h -> h < 1)) {
                throw new IllegalArgumentException("hidden layer sizes must be at least 1, got " + Arrays.toString(hidden));
            }
        }
        if (activation != null && !Models.ACTIVATIONS.contains(activation)) {
            throw new IllegalArgumentException("unknown activation '" + activation + "' (known: " + String.join(", ", Models.ACTIVATIONS) + ")");
        }
        if (sampleEvery < 1 || checkpointEvery < 1 || evalEvery < 0) {
            throw new IllegalArgumentException("steps between samples and checkpoints must be at least 1, between evaluations 0 (off) or more");
        }
        if (augment == null) throw new IllegalArgumentException("augment: give Augmentation.none() for none");
        if (dataLimit != null && dataLimit < 1) throw new IllegalArgumentException("the data limit must be at least 1 image, got " + dataLimit);
        if (!onNan.equals("rollback") && !onNan.equals("stop")) throw new IllegalArgumentException("on NaN: rollback or stop, not '" + onNan + "'");
        if (countermeasures.any() && model.startsWith("cgan-")) {
            throw new IllegalArgumentException("mode-collapse countermeasures work with the unconditional models only, not " + model);
        }
    }

    private static void requireCompatible(GanModel model, Dataset data) {
        int[] produced = model.generator().outputShape();
        if (!Arrays.equals(produced, data.itemShape())) {
            throw new IllegalArgumentException("model " + model.name() + " makes samples of shape " + Tensor.shapeString(produced)
                    + " but the data has shape " + Tensor.shapeString(data.itemShape()));
        }
        if (model.conditional() && data.classes() == 0) {
            throw new IllegalArgumentException("model " + model.name() + " is class-conditional but " + data.describe() + " has no labels");
        }
    }
}
