package org.gan4j.gan;

import java.util.Map;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;

/**
 * Augments every batch D sees with fresh random parameters from a generator of its own, and for
 * ADA tunes the probability p from D's logits on real data. Its whole state (p, the sums of the
 * current interval, the generator's position) goes into a checkpoint's metadata.
 */
public final class Augmenter {
    private final Augmentation spec;
    private Rng rng;
    /** ADA's probability; DiffAugment always applies every transform. */
    private double p;
    /** Σ sign(D(x)) over the real logits of the current interval, how many logits, images and steps it has seen. */
    private long signSum, logits, images, steps;

    public Augmenter(Augmentation spec, Rng rng) {
        if (!spec.enabled()) throw new IllegalArgumentException("an augmenter needs an augmentation, not 'none'");
        this.spec = spec;
        this.rng = rng;
    }

    /** The batch [n, c, h, w] augmented with fresh parameters, differentiably. */
    public Tensor apply(Tensor x) {
        if (x.dim() != 4) throw new IllegalArgumentException("augmentation works on images [n, c, h, w], not " + Tensor.shapeString(x.shape()));
        int n = x.size(0), h = x.size(2), w = x.size(3);
        return (spec.adaptive() ? AugmentParams.ada(rng, n, h, w, p) : AugmentParams.diffAugment(rng, n, h, w)).apply(x);
    }

    /**
     * ADA's feedback, once per step with D's logits on the (augmented) real batch: every
     * {@code adaInterval} steps, r_t = E[sign(logit)] over them moves p by ±(their images)/{@code adaImages}
     * towards r_t = target, clipped to [0, 1]. The signs are counted exactly, so p is the same on every machine.
     */
    public void observe(Tensor realLogits, int batchSize) {
        if (!spec.adaptive()) return;
        try (var ng = Autograd.noGrad()) {
            signSum += (long) realLogits.sign().sumAll().item();
        }
        logits += realLogits.numel();
        images += batchSize;
        if (++steps < spec.adaInterval()) return;
        double r = (double) signSum / logits;
        p = Math.clamp(p + Math.signum(r - spec.adaTarget()) * ((double) images / spec.adaImages()), 0.0, 1.0);
        signSum = logits = images = steps = 0;
    }

    /** ADA's current p (DiffAugment: 1, every transform always). */
    public double probability() {
        return spec.adaptive() ? p : 1.0;
    }

    public Augmentation spec() {
        return spec;
    }

    public void save(Map<String, String> metadata) {
        long[] r = rng.state();
        metadata.put("augment_rng", r[0] + "," + r[1] + "," + r[2]);
        metadata.put("ada_p", Double.toString(p));
        metadata.put("ada_interval", signSum + "," + logits + "," + images + "," + steps);
    }

    /** What {@link #save} wrote; a checkpoint without it (a run that did not augment) leaves the fresh state. */
    public void restore(Map<String, String> metadata) {
        if (!metadata.containsKey("augment_rng")) return;
        rng = Rng.fromState(longs(metadata.get("augment_rng")));
        p = Double.parseDouble(metadata.get("ada_p"));
        long[] interval = longs(metadata.get("ada_interval"));
        signSum = interval[0];
        logits = interval[1];
        images = interval[2];
        steps = interval[3];
    }

    private static long[] longs(String csv) {
        String[] parts = csv.split(",");
        long[] v = new long[parts.length];
        for (int i = 0; i < parts.length; i++) v[i] = Long.parseLong(parts[i]);
        return v;
    }
}
