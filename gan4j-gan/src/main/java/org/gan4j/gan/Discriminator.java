package org.gan4j.gan;

import org.gan4j.nn.Embedding;
import org.gan4j.nn.Linear;
import org.gan4j.nn.Module;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;

/**
 * D: a batch of samples to one logit each ([n, 1]; D(x) = sigmoid(logit)). Three forms:
 * plain ("main" gives the logit), joined (the flattened sample is joined with a label
 * embedding before "main") and projection (Miyato and Koyama 2018: logit = out(φ(x)) +
 * ⟨embed(y), φ(x)⟩ with φ = "main"). A packed discriminator (PacGAN) judges m samples at a
 * time: n samples become n/m packs joined along the channel axis, one logit per pack.
 */
public final class Discriminator extends Module implements Critic {
    private enum Conditioning { NONE, JOINED, PROJECTION }

    private final Module main;
    private final Conditioning conditioning;
    private final Embedding label;
    private final Linear out;
    private final int pack;

    private Discriminator(Module main, Conditioning conditioning, Embedding label, Linear out, int pack) {
        this.main = child("main", main);
        this.conditioning = conditioning;
        this.label = label == null ? null : child("label", label);
        this.out = out == null ? null : child("out", out);
        this.pack = pack;
    }

    /** main reads packs of m samples joined along axis 1 ([n/m, m·c, ...]) and gives one logit per pack; m = 1 is the plain D. */
    public static Discriminator packed(Module main, int m) {
        if (m < 1) throw new IllegalArgumentException("pack size must be at least 1, got " + m);
        return new Discriminator(main, Conditioning.NONE, null, null, m);
    }

    /** main reads [flatten(x), embedding(y)]. */
    public static Discriminator joined(Module main, int classes, int embedDim, Rng rng) {
        return new Discriminator(main, Conditioning.JOINED, new Embedding(classes, embedDim, rng), null, 1);
    }

    /** main maps x to features [n, featureDim]; the logit adds the projection onto the class embedding. */
    public static Discriminator projection(Module main, int featureDim, int classes, Rng rng) {
        return new Discriminator(main, Conditioning.PROJECTION, new Embedding(classes, featureDim, rng), new Linear(featureDim, 1, rng), 1);
    }

    public int classes() {
        return label == null ? 0 : label.weight().size(0);
    }

    /** Logits [n, 1] for samples x and, when conditional, their classes. */
    @Override
    public Tensor score(Tensor x, int[] labels) {
        if (conditioning != Conditioning.NONE && (labels == null || labels.length != x.size(0))) {
            throw inputError("conditional discriminator needs one class per sample (" + x.size(0) + "), got "
                    + (labels == null ? "none" : labels.length));
        }
        return switch (conditioning) {
            case NONE -> main.forward(pack == 1 ? x : packs(x));
            case JOINED -> main.forward(Tensor.concat(1, x.flatten(1), label.forward(labels)));
            case PROJECTION -> {
                Tensor features = main.forward(x);
                yield out.forward(features).add(features.mul(label.forward(labels)).sum(1, true));
            }
        };
    }

    /** [n, c, ...] → [n/m, m·c, ...]: consecutive samples side by side (free: the data is contiguous). */
    private Tensor packs(Tensor x) {
        if (x.size(0) % pack != 0) {
            throw inputError("a batch of " + x.size(0) + " samples cannot be split into packs of " + pack
                    + "; use a batch size divisible by " + pack);
        }
        int[] shape = x.shape();
        shape[0] /= pack;
        shape[1] *= pack;
        return x.reshape(shape);
    }

    @Override
    public Tensor forward(Tensor x) {
        return score(x, null);
    }
}
