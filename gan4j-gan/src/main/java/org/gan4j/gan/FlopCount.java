package org.gan4j.gan;

import java.util.ArrayList;
import java.util.List;
import org.gan4j.nn.Conv2d;
import org.gan4j.nn.ConvTranspose2d;
import org.gan4j.nn.Linear;
import org.gan4j.nn.Module;
import org.gan4j.nn.Resample;
import org.gan4j.nn.Sequential;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;

/**
 * Multiply-adds of a model's matrix products and convolutions for one image, counted layer by
 * layer from the shapes each layer sees. Element-wise work (activations, batch-norm, Adam) is
 * left out: it is small next to the products and is not what GFLOP/s figures compare.
 */
public final class FlopCount {
    private FlopCount() {
    }

    /** One layer of a network's main stack as one image passes through it. */
    public record Layer(String name, String type, int[] outputShape, long params, long macs) {
    }

    /**
     * A network for one image. {@code inputNeedsGradient}: whether its first layer's input
     * carries a gradient (a learned label embedding joined to it), so that layer's input
     * gradient is computed too.
     */
    public record Network(long params, List<Layer> layers, boolean inputNeedsGradient) {
        public long macs() {
            return layers.stream().mapToLong(Layer::macs).sum();
        }

        /** Multiply-adds of the input gradients that backward computes. */
        public long inputGradientMacs() {
            return inputNeedsGradient ? macs() : macs() - layers.stream().mapToLong(Layer::macs).filter(m -> m > 0).findFirst().orElse(0);
        }
    }

    public static Network generator(GanModel m) {
        Generator g = m.generator();
        Tensor x = g.noise(1, Rng.seeded(0));
        boolean joined = g.classes() > 0;
        if (joined) x = Tensor.concat(1, x, Tensor.zeros(1, g.classes()));
        return walk(g, x, joined);
    }

    public static Network discriminator(GanModel m) {
        Generator g = m.generator();
        Discriminator d = m.discriminator();
        Tensor x;
        try (var ng = Autograd.noGrad()) {
            boolean wasTraining = g.isTraining();
            g.eval();
            x = g.generate(g.noise(1, Rng.seeded(0)), m.conditional() ? new int[] {0} : null);
            g.train(wasTraining);
        }
        // the conditional MLP's D reads the flat image joined with a label embedding
        boolean joined = d.classes() > 0 && !m.name().contains("dcgan");
        if (joined) x = Tensor.concat(1, x.flatten(1), Tensor.zeros(1, d.classes()));
        return walk(d, x, joined);
    }

    /**
     * Multiply-adds per image of one {@code Trainer.step} (one D update and one G update), each
     * backward product counted where autograd computes it: weight gradients of the network being
     * trained, input gradients wherever a gradient has to flow on.
     * <ul>
     * <li>G: forward once; backward in phase 2: weight gradients and input gradients (none into z).</li>
     * <li>D, phase 1: forward on the real and the fake batch; backward: weight gradients, input
     *     gradients down to (not into) the images, which carry no gradient.</li>
     * <li>D, phase 2: forward on the fakes; backward: input gradients only, down into the fakes
     *     (D's parameters are frozen).</li>
     * </ul>
     */
    public static long trainingStep(Network g, Network d) {
        long generator = g.macs() + g.macs() + g.inputGradientMacs();
        long dPhase1 = 2 * (d.macs() + d.macs() + d.inputGradientMacs());
        long dPhase2 = d.macs() + d.macs();
        return generator + dPhase1 + dPhase2;
    }

    private static Network walk(Module owner, Tensor input, boolean inputNeedsGradient) {
        long params = owner.parameters().stream().mapToLong(Tensor::numel).sum();
        List<Layer> layers = new ArrayList<>();
        boolean wasTraining = owner.isTraining();
        try (var ng = Autograd.noGrad()) {
            owner.eval();   // batch-norm on one image needs the running statistics
            Tensor x = input;
            for (var e : ((Sequential) owner.children().get("main")).children().entrySet()) {
                Module layer = e.getValue();
                Tensor y = layer.forward(x);
                long layerParams = layer.parameters().stream().mapToLong(Tensor::numel).sum();
                layers.add(new Layer(e.getKey(), layer.typeName(), y.shape(), layerParams, macs(layer, x, y)));
                x = y;
            }
        } finally {
            owner.train(wasTraining);
        }
        return new Network(params, layers, inputNeedsGradient);
    }

    private static long macs(Module layer, Tensor in, Tensor out) {
        return switch (layer) {
            case Linear l -> (long) l.weight().numel() * (in.numel() / in.size(-1));
            case Conv2d c -> (long) c.weight().numel() * out.size(2) * out.size(3);
            case ConvTranspose2d c -> (long) c.weight().numel() * in.size(2) * in.size(3);
            case Resample r -> 9L * (r.isUp() ? in : out).numel();   // the fixed 3×3 filter, per channel, as a (transposed) convolution
            case GenerativeBasis b -> (long) b.linear().weight().numel();
            case ResidualBlock b -> {
                long sum = 0;
                Tensor x = in;
                for (Module m : b.branch().children().values()) {
                    Tensor y = m.forward(x);
                    sum += macs(m, x, y);
                    x = y;
                }
                yield sum;
            }
            default -> 0;
        };
    }
}
