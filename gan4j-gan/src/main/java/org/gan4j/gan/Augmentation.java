package org.gan4j.gan;

import java.util.List;

/**
 * Which augmentation D's inputs get, real and fake alike, so that D cannot memorise a small
 * training set; G still learns the data's own distribution, since every transform is applied to
 * both sides and differentiated through.
 *
 * <ul>
 *   <li>"none";</li>
 *   <li>"diffaugment" (Zhao et al. 2020, "Differentiable Augmentation for Data-Efficient GAN
 *       Training"): the policy colour, translation, cutout on every sample;</li>
 *   <li>"ada" (Karras et al. 2020, "Training Generative Adversarial Networks with Limited Data"):
 *       x-flip, quarter turns, integer translation, brightness, contrast, saturation and cutout, each
 *       applied to a sample with one probability p. p starts at 0 and, every {@code adaInterval}
 *       steps, moves by ±(images seen in those steps)/{@code adaImages} towards the overfitting
 *       heuristic r_t = E[sign(D's logit on real data)] = {@code adaTarget}.</li>
 * </ul>
 *
 * The paper adjusts p every 4 batches at a speed that lets it go from 0 to 1 in 500k images;
 * gan4j's default speed is 100k images, so that p can grow within the few thousand steps of a
 * small run.
 *
 * @param policy      one of {@link #NAMES}
 * @param adaTarget   the r_t ADA steers towards (the paper's 0.6)
 * @param adaInterval steps between adjustments of p
 * @param adaImages   images over which p may move from 0 to 1
 */
public record Augmentation(String policy, float adaTarget, int adaInterval, long adaImages) {
    public static final List<String> NAMES = List.of("none", "diffaugment", "ada");

    public Augmentation {
        if (!NAMES.contains(policy)) throw new IllegalArgumentException("unknown augmentation '" + policy + "' (known: " + String.join(", ", NAMES) + ")");
        if (!(adaTarget > 0 && adaTarget < 1)) throw new IllegalArgumentException("ADA's target must be in (0, 1), got " + adaTarget);
        if (adaInterval < 1) throw new IllegalArgumentException("ADA's adjustment interval must be at least 1 step, got " + adaInterval);
        if (adaImages < 1) throw new IllegalArgumentException("ADA's adjustment speed must be at least 1 image, got " + adaImages);
    }

    public static Augmentation none() {
        return named("none");
    }

    /** The policy with the defaults: target 0.6, p adjusted every 4 steps, 0 to 1 in 100,000 images. */
    public static Augmentation named(String policy) {
        return new Augmentation(policy, 0.6f, 4, 100_000);
    }

    public Augmentation withAdaTarget(float target) {
        return new Augmentation(policy, target, adaInterval, adaImages);
    }

    public boolean enabled() {
        return !policy.equals("none");
    }

    public boolean adaptive() {
        return policy.equals("ada");
    }
}
