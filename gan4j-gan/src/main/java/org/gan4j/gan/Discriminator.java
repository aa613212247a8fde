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
 * ⟨embed(y), φ(x)⟩ with φ = "main").
 */
public final class Discriminator extends Module {
    private enum Conditioning { NONE, JOINED, PROJECTION }

    private final Module main;
    private final Conditioning conditioning;
    private final Embedding label;
    private final Linear out;

    private Discriminator(Module main, Conditioning conditioning, Embedding label, Linear out) {
        this.main = child("main", main);
        this.conditioning = conditioning;
        this.label = label == null ? null : child("label", label);
        this.out = out == null ? null : child("out", out);
    }

    public static Discriminator plain(Module main) {
        return new Discriminator(main, Conditioning.NONE, null, null);
    }

    /** main reads [flatten(x), embedding(y)]. */
    public static Discriminator joined(Module main, int classes, int embedDim, Rng rng) {
        return new Discriminator(main, Conditioning.JOINED, new Embedding(classes, embedDim, rng), null);
    }

    /** main maps x to features [n, featureDim]; the logit adds the projection onto the class embedding. */
    public static Discriminator projection(Module main, int featureDim, int classes, Rng rng) {
        return new Discriminator(main, Conditioning.PROJECTION, new Embedding(classes, featureDim, rng), new Linear(featureDim, 1, rng));
    }

    public int classes() {
        return label == null ? 0 : label.weight().size(0);
    }

    /** Logits [n, 1] for samples x and, when conditional, their classes. */
    public Tensor score(Tensor x, int[] labels) {
        if (conditioning != Conditioning.NONE && (labels == null || labels.length != x.size(0))) {
            throw inputError("conditional discriminator needs one class per sample (" + x.size(0) + "), got "
                    + (labels == null ? "none" : labels.length));
        }
        return switch (conditioning) {
            case NONE -> main.forward(x);
            case JOINED -> main.forward(Tensor.concat(1, x.flatten(1), label.forward(labels)));
            case PROJECTION -> {
                Tensor features = main.forward(x);
                yield out.forward(features).add(features.mul(label.forward(labels)).sum(1, true));
            }
        };
    }

    @Override
    public Tensor forward(Tensor x) {
        return score(x, null);
    }
}
