package org.gan4j.nn;

import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;

/** A table of learned vectors [count, dim] looked up by index (class labels of a conditional GAN). */
public class Embedding extends Module {
    private final Tensor weight;

    public Embedding(int count, int dim) {
        this(count, dim, Init.defaultRng());
    }

    public Embedding(int count, int dim, Rng rng) {
        weight = parameter("weight", count, dim);
        Init.normal(weight, 0f, 1f, rng);
    }

    public Tensor weight() {
        return weight;
    }

    /** The rows for {@code indices}: [indices.length, dim]. */
    public Tensor forward(int[] indices) {
        int count = weight.size(0);
        for (int i : indices) {
            if (i < 0 || i >= count) throw inputError("index " + i + " out of range [0, " + count + ")");
        }
        return Functional.embedding(indices, weight);
    }

    /** The rows for the whole-number values of a 1-D tensor of indices. */
    @Override
    public Tensor forward(Tensor indices) {
        requireRank(indices, 1, "[n] of indices");
        float[] v = indices.toArray();
        int[] idx = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            idx[i] = (int) v[i];
            if (idx[i] != v[i]) throw inputError("index " + v[i] + " at position " + i + " is not a whole number");
        }
        return forward(idx);
    }
}
