package org.gan4j.nn;

import java.util.Arrays;
import org.gan4j.tensor.Tensor;

/** Loss functions, each averaged over all values as PyTorch's default 'mean' reduction does. */
public final class Loss {
    private Loss() {
    }

    /**
     * Binary cross-entropy on logits: mean(softplus(x) - x·y), the same value as
     * -y·log σ(x) - (1-y)·log(1-σ(x)) without overflow for large |x|.
     */
    public static Tensor bceWithLogits(Tensor logits, Tensor targets) {
        requireSameShape("bceWithLogits", logits, targets);
        return logits.softplus().sub(logits.mul(targets)).meanAll();
    }

    /** Binary cross-entropy on probabilities; the logs are clamped at -100 as PyTorch does. */
    public static Tensor bce(Tensor probabilities, Tensor targets) {
        requireSameShape("bce", probabilities, targets);
        Tensor logP = clampedLog(probabilities);
        Tensor log1mP = clampedLog(probabilities.neg().add(1f));
        return targets.mul(logP).add(targets.neg().add(1f).mul(log1mP)).neg().meanAll();
    }

    /**
     * log(p), at least -100. Where p is 0 the log is taken of 1 and replaced by -100, so the
     * gradient there is 0 instead of the NaN of 0 / 0 (a saturated sigmoid gives exact 0 and 1).
     */
    private static Tensor clampedLog(Tensor p) {
        Tensor positive = p.gt(0f);
        Tensor log = Tensor.where(positive, p, p.newTensor(new float[] {1f})).log();
        return Tensor.where(positive, log, p.newTensor(new float[] {-100f})).clamp(-100f, Float.POSITIVE_INFINITY);
    }

    public static Tensor mse(Tensor prediction, Tensor target) {
        requireSameShape("mse", prediction, target);
        Tensor d = prediction.sub(target);
        return d.mul(d).meanAll();
    }

    /** Cross-entropy of logits [n, classes] against class indices. */
    public static Tensor crossEntropy(Tensor logits, int[] classes) {
        if (logits.dim() != 2 || logits.size(0) != classes.length) {
            throw new IllegalArgumentException("crossEntropy: logits " + Tensor.shapeString(logits.shape()) + " for "
                    + classes.length + " targets (expected [" + classes.length + ", classes])");
        }
        Tensor picked = logits.logSoftmax(1).mul(Functional.oneHot(classes, logits.size(1)).to(logits.backend()));
        return picked.sumAll().neg().mul(1f / classes.length);
    }

    /** Hinge loss mean(max(0, 1 - y·x)) for labels y in {-1, +1}. */
    public static Tensor hinge(Tensor scores, Tensor labels) {
        requireSameShape("hinge", scores, labels);
        return scores.mul(labels).neg().add(1f).relu().meanAll();
    }

    private static void requireSameShape(String loss, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(loss + ": input " + Tensor.shapeString(a.shape()) + " and target "
                    + Tensor.shapeString(b.shape()) + " differ in shape");
        }
    }
}
