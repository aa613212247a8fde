package org.gan4j.gan;

import java.util.List;
import org.gan4j.nn.BatchNorm1d;
import org.gan4j.nn.BatchNorm2d;
import org.gan4j.nn.Conv2d;
import org.gan4j.nn.ConvTranspose2d;
import org.gan4j.nn.Flatten;
import org.gan4j.nn.Init;
import org.gan4j.nn.LeakyReLU;
import org.gan4j.nn.Linear;
import org.gan4j.nn.MinibatchDiscrimination;
import org.gan4j.nn.MinibatchStdDev;
import org.gan4j.nn.Module;
import org.gan4j.nn.ReLU;
import org.gan4j.nn.Sequential;
import org.gan4j.nn.SpectralNorm;
import org.gan4j.nn.Tanh;
import org.gan4j.nn.Unflatten;
import org.gan4j.tensor.Rng;

/** The named architectures. The DCGANs get DCGAN's N(0, 0.02) initialisation ({@link #INITS}), the residual models ({@link ResNets}) their own. */
public final class Models {
    public static final List<String> NAMES = List.of("mlp", "dcgan28", "dcgan64", "cgan-mlp", "cgan-dcgan28", "mlp2d", "resnet28",
            "resnet64");
    /** The MLPs' hidden activations. */
    public static final List<String> ACTIVATIONS = List.of("relu", "leaky_relu", "tanh");
    /**
     * The DCGAN models' initialisations: "dcgan", N(0, 0.02) on every convolution and Linear weight
     * and zero biases; "dcgan-conv", N(0, 0.02) on convolution weights only, PyTorch's default
     * U(±1/√fanIn) on Linear weights and all biases (gan4j's recipe before "dcgan"). BatchNorm's
     * scale is N(1, 0.02) in both.
     */
    public static final List<String> INITS = List.of("dcgan", "dcgan-conv");
    private static final int CLASSES = 10;

    private Models() {
    }

    public static GanModel create(String name, ModelOptions o, Rng rng) {
        Countermeasures c = o.countermeasuresOrNone();
        if (c.any() && name.startsWith("cgan-")) {
            throw new IllegalArgumentException("mode-collapse countermeasures (" + c + ") work with the unconditional models only, not " + name);
        }
        if (c.spectralNorm() && name.startsWith("resnet")) {
            // the blocks' last convolutions start at zero, which has no spectral norm to divide by
            throw new IllegalArgumentException(name + " is built without normalisation; spectral normalisation does not apply to it");
        }
        GanModel m = switch (name) {
            case "mlp" -> mlp(o, rng, false);
            case "cgan-mlp" -> mlp(o, rng, true);
            case "dcgan28" -> dcgan28(o, rng, false);
            case "cgan-dcgan28" -> dcgan28(o, rng, true);
            case "dcgan64" -> dcgan64(o, rng);
            case "mlp2d" -> mlp2d(o, rng);
            case "resnet28" -> ResNets.resnet28(o, rng);
            case "resnet64" -> ResNets.resnet64(o, rng);
            default -> throw new IllegalArgumentException("unknown model '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        };
        if (c.spectralNorm()) SpectralNorm.applyTo(m.discriminator(), rng);
        m.generator().named("generator");
        m.discriminator().named("discriminator");
        return m;
    }

    /**
     * G: Linear(z,256)-act-Linear(256,512)-BN-act-Linear(512,1024)-BN-act-Linear(1024,784)-Tanh;
     * D: Linear(784,512)-act-Linear(512,256)-act-Linear(256,1); act = LeakyReLU(0.2).
     */
    private static GanModel mlp(ModelOptions o, Rng rng, boolean conditional) {
        int z = o.latentDimOr(100);
        int embed = conditional ? CLASSES : 0;
        int[] gh = o.gHiddenOr(256, 512, 1024), dh = o.dHiddenOr(512, 256);
        String act = o.activationOr("leaky_relu");
        Sequential g = new Sequential();
        int in = z + embed;
        for (int i = 0; i < gh.length; i++) {
            g.add(new Linear(in, gh[i], rng));
            if (i > 0) g.add(new BatchNorm1d(gh[i]));
            g.add(activation(act));
            in = gh[i];
        }
        g.add(new Linear(in, 784, rng)).add(new Tanh());
        Countermeasures c = o.countermeasuresOrNone();
        Sequential d = new Sequential();
        if (!conditional) d.add(new Flatten());
        in = 784 * c.pack() + embed;
        for (int h : dh) {
            d.add(new Linear(in, h, rng)).add(activation(act));
            in = h;
        }
        head(d, in, c, rng);
        int[] image = {1, 28, 28};
        return conditional
                ? new GanModel("cgan-mlp", new Generator(g, z, image, CLASSES, embed, rng), Discriminator.joined(d, CLASSES, embed, rng))
                : new GanModel("mlp", new Generator(g, z, image), Discriminator.packed(d, c.pack()));
    }

    /**
     * G: Linear(z, 2w·7·7)-BN-ReLU, [2w, 7, 7], ConvT(2w→w, 4, 2, 1)-BN-ReLU, ConvT(w→c, 4, 2, 1)-Tanh;
     * D: Conv(c→v, 4, 2, 1)-LReLU, Conv(v→2v, 4, 2, 1)-BN-LReLU, flatten, Linear(2v·7·7, 1); w = v = 64,
     * c = 1 (3 for Stacked MNIST).
     */
    private static GanModel dcgan28(ModelOptions o, Rng rng, boolean conditional) {
        int z = o.latentDimOr(100), w = o.widthOr(64), v = o.dWidthOr(w), ch = o.channelsOr(1);
        int embed = conditional ? CLASSES : 0;
        Sequential g = new Sequential(
                new Linear(z + embed, 2 * w * 7 * 7, rng), new BatchNorm1d(2 * w * 7 * 7), new ReLU(),
                new Unflatten(2 * w, 7, 7),
                new ConvTranspose2d(2 * w, w, 4, 2, 1, 0, true, rng), new BatchNorm2d(w), new ReLU(),
                new ConvTranspose2d(w, ch, 4, 2, 1, 0, true, rng), new Tanh());
        Countermeasures c = o.countermeasuresOrNone();
        Sequential d = new Sequential(
                new Conv2d(ch * c.pack(), v, 4, 2, 1, true, rng), new LeakyReLU(0.2f),
                new Conv2d(v, 2 * v, 4, 2, 1, true, rng), new BatchNorm2d(2 * v), new LeakyReLU(0.2f),
                new Flatten());
        int features = 2 * v * 7 * 7;
        int[] image = {ch, 28, 28};
        Generator gen = conditional ? new Generator(g, z, image, CLASSES, embed, rng) : new Generator(g, z, image);
        Discriminator dis = conditional ? Discriminator.projection(d, features, CLASSES, rng)
                : Discriminator.packed(head(d, features, c, rng), c.pack());
        Init.dcgan(gen, rng, o.dcganInitOnLinearToo());
        Init.dcgan(dis, rng, o.dcganInitOnLinearToo());
        return new GanModel(conditional ? "cgan-dcgan28" : "dcgan28", gen, dis);
    }

    /** Radford et al.'s DCGAN for 64×64 images: bias-free convolutions, BatchNorm, ngf = ndf = 64 (ndf: dWidth when set). */
    private static GanModel dcgan64(ModelOptions o, Rng rng) {
        int z = o.latentDimOr(100), w = o.widthOr(64), v = o.dWidthOr(w), c = o.channelsOr(3);
        Sequential g = new Sequential(
                new Unflatten(z, 1, 1),
                new ConvTranspose2d(z, 8 * w, 4, 1, 0, 0, false, rng), new BatchNorm2d(8 * w), new ReLU(),
                new ConvTranspose2d(8 * w, 4 * w, 4, 2, 1, 0, false, rng), new BatchNorm2d(4 * w), new ReLU(),
                new ConvTranspose2d(4 * w, 2 * w, 4, 2, 1, 0, false, rng), new BatchNorm2d(2 * w), new ReLU(),
                new ConvTranspose2d(2 * w, w, 4, 2, 1, 0, false, rng), new BatchNorm2d(w), new ReLU(),
                new ConvTranspose2d(w, c, 4, 2, 1, 0, false, rng), new Tanh());
        Countermeasures cm = o.countermeasuresOrNone();
        Sequential d = new Sequential(
                new Conv2d(c * cm.pack(), v, 4, 2, 1, false, rng), new LeakyReLU(0.2f),
                new Conv2d(v, 2 * v, 4, 2, 1, false, rng), new BatchNorm2d(2 * v), new LeakyReLU(0.2f),
                new Conv2d(2 * v, 4 * v, 4, 2, 1, false, rng), new BatchNorm2d(4 * v), new LeakyReLU(0.2f),
                new Conv2d(4 * v, 8 * v, 4, 2, 1, false, rng), new BatchNorm2d(8 * v), new LeakyReLU(0.2f));
        if (cm.minibatchKernels() > 0 || cm.minibatchStd()) {
            head(d.add(new Flatten()), 8 * v * 4 * 4, cm, rng);   // the last 4×4 convolution as the Linear it equals
        } else {
            d.add(new Conv2d(8 * v, 1, 4, 1, 0, false, rng)).add(new Flatten());
        }
        Generator gen = new Generator(g, z, new int[] {c, 64, 64});
        Discriminator dis = Discriminator.packed(d, cm.pack());
        Init.dcgan(gen, rng, o.dcganInitOnLinearToo());
        Init.dcgan(dis, rng, o.dcganInitOnLinearToo());
        return new GanModel("dcgan64", gen, dis);
    }

    /** The PacGAN protocol's 2-D pair: G 4×400 ReLU + BatchNorm, z = 2; D 3×200 ReLU. */
    private static GanModel mlp2d(ModelOptions o, Rng rng) {
        int z = o.latentDimOr(2);
        int[] gh = o.gHiddenOr(400, 400, 400, 400), dh = o.dHiddenOr(200, 200, 200);
        String act = o.activationOr("relu");
        Sequential g = new Sequential();
        int in = z;
        for (int h : gh) {
            g.add(new Linear(in, h, rng)).add(new BatchNorm1d(h)).add(activation(act));
            in = h;
        }
        g.add(new Linear(in, 2, rng));
        Countermeasures c = o.countermeasuresOrNone();
        Sequential d = new Sequential();
        in = 2 * c.pack();
        for (int h : dh) {
            d.add(new Linear(in, h, rng)).add(activation(act));
            in = h;
        }
        head(d, in, c, rng);
        return new GanModel("mlp2d", new Generator(g, z, new int[] {2}), Discriminator.packed(d, c.pack()));
    }

    /** D's last layer [n, features] → [n, 1], after the minibatch features the countermeasures ask for. */
    static Sequential head(Sequential d, int features, Countermeasures c, Rng rng) {
        if (c.minibatchStd()) {
            d.add(new MinibatchStdDev());
            features += 1;
        }
        if (c.minibatchKernels() > 0) {
            MinibatchDiscrimination mbd = new MinibatchDiscrimination(features, c.minibatchKernels(), Countermeasures.KERNEL_DIM, rng);
            d.add(mbd);
            features = mbd.outFeatures();
        }
        return d.add(new Linear(features, 1, rng));
    }

    static Module activation(String name) {
        return switch (name) {
            case "relu" -> new ReLU();
            case "leaky_relu" -> new LeakyReLU(0.2f);
            case "tanh" -> new Tanh();
            default -> throw new IllegalArgumentException("unknown activation '" + name + "' (known: " + String.join(", ", ACTIVATIONS) + ")");
        };
    }
}
