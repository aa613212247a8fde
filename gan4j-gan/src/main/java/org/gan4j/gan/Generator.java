package org.gan4j.gan;

import java.util.Arrays;
import org.gan4j.nn.Embedding;
import org.gan4j.nn.Module;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Scope;
import org.gan4j.tensor.Tensor;

/**
 * G: noise z [n, latentDim] (joined with a label embedding when conditional) through the
 * network "main" to samples [n, ...outputShape] in [-1, 1].
 */
public final class Generator extends Module {
    private final Module main;
    private final Embedding label;
    private final int latentDim;
    private final int[] outputShape;
    /** Rows {@link #sample} makes at a time. */
    private static final int BATCH = 500;

    /** An unconditional generator. */
    public Generator(Module main, int latentDim, int[] outputShape) {
        this(main, latentDim, outputShape, 0, 0, null);
    }

    /** A conditional generator: main reads [z, embedding(label)] of width latentDim + embedDim. */
    public Generator(Module main, int latentDim, int[] outputShape, int classes, int embedDim, Rng rng) {
        this.main = child("main", main);
        this.label = classes > 0 ? child("label", new Embedding(classes, embedDim, rng)) : null;
        this.latentDim = latentDim;
        this.outputShape = outputShape.clone();
    }

    public int latentDim() {
        return latentDim;
    }

    public int[] outputShape() {
        return outputShape.clone();
    }

    /** Number of classes it can be asked for; 0 when unconditional. */
    public int classes() {
        return label == null ? 0 : label.weight().size(0);
    }

    /** Samples for noise z and, for a conditional generator, one class per row. */
    public Tensor generate(Tensor z, int[] labels) {
        checkInput(z, labels);
        Tensor in = label == null ? z : Tensor.concat(1, z, label.forward(labels));
        int[] shape = new int[outputShape.length + 1];
        shape[0] = z.size(0);
        System.arraycopy(outputShape, 0, shape, 1, outputShape.length);
        return main.forward(in).reshape(shape);
    }

    private void checkInput(Tensor z, int[] labels) {
        if (z.dim() != 2 || z.size(1) != latentDim) {
            throw inputError("noise " + Tensor.shapeString(z.shape()) + ", expected [n, " + latentDim + "]");
        }
        if (label != null && (labels == null || labels.length != z.size(0))) {
            throw inputError("conditional generator needs one class per noise row (" + z.size(0) + "), got "
                    + (labels == null ? "none" : labels.length));
        }
    }

    @Override
    public Tensor forward(Tensor z) {
        return generate(z, null);
    }

    /** Classes first, first + 1, ... in turn for n samples (wrapping round); null for an unconditional generator. */
    public int[] classesInTurn(int n, int first) {
        if (classes() == 0) return null;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = (first + i) % classes();
        return labels;
    }

    /** Standard normal noise for n samples. */
    public Tensor noise(int n, Rng rng) {
        return Tensor.randn(rng, n, latentDim);
    }

    /**
     * {@code n} samples from noise drawn with {@code seed}, 500 rows at a time as {@link #sample(Tensor, int[])}
     * makes them, each 500 from a noise stream of its own; a conditional generator is asked for its
     * classes in turn.
     */
    public Tensor sample(int n, long seed) {
        Rng rng = Rng.seeded(seed);
        float[] z = new float[Math.multiplyExact(n, latentDim)];
        for (int from = 0; from < n; from += BATCH) {
            int size = Math.min(BATCH, n - from);
            System.arraycopy(noise(size, rng.fork(from)).toArray(), 0, z, from * latentDim, size * latentDim);
        }
        return sample(Tensor.of(z, n, latentDim), classesInTurn(n, 0));
    }

    /**
     * The samples of noise z [n, latentDim] (and, for a conditional generator, one class per row),
     * made in evaluation mode without a graph, {@value #BATCH} rows at a time and gathered on the
     * default backend. Each batch's intermediates are released before the next, so tens of
     * thousands of samples fit in memory. On the CPU a row's sample does not depend on the rows beside
     * it, so the parts give the same bits as one pass (GeneratorTest checks it).
     */
    public Tensor sample(Tensor z, int[] labels) {
        checkInput(z, labels);
        int n = z.size(0), itemLength = Tensor.numel(outputShape);
        float[] all = new float[Math.multiplyExact(n, itemLength)];
        boolean wasTraining = isTraining();
        try (var ng = Autograd.noGrad()) {
            eval();
            for (int from = 0; from < n; from += BATCH) {
                int to = Math.min(n, from + BATCH);
                try (Scope scope = Scope.open()) {
                    int[] part = labels == null ? null : Arrays.copyOfRange(labels, from, to);
                    float[] images = generate(z.slice(0, from, to), part).toArray();
                    System.arraycopy(images, 0, all, from * itemLength, images.length);
                }
            }
        } finally {
            train(wasTraining);
        }
        int[] shape = new int[outputShape.length + 1];
        shape[0] = n;
        System.arraycopy(outputShape, 0, shape, 1, outputShape.length);
        return Tensor.of(all, shape);
    }

    @Override
    public String toString() {
        return "Generator(z=" + latentDim + " -> " + Arrays.toString(outputShape) + (classes() > 0 ? ", " + classes() + " classes" : "") + ")";
    }
}
