package org.gan4j.gan;

import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;

/**
 * The random parameters of one batch's augmentation, one entry per sample (the identity where a
 * transform is off), and the order the policy applies them in. Drawn by {@link #diffAugment} or
 * {@link #ada}; made directly, they replay a given draw (PyTorch's reference does the same).
 *
 * @param ada          ADA's order and forms (geometry first, mirrored shifts, contrast about 0);
 *                     otherwise DiffAugment's (colour first, zero-filled shifts, contrast about the mean)
 * @param flip         horizontal flip
 * @param quarterTurns turns by 90°, as torch.rot90
 * @param dy           rows shifted down
 * @param dx           columns shifted right
 * @param brightness   added to every value
 * @param contrast     scale of the values
 * @param saturation   scale of each pixel's colour about its grey
 * @param cutY         row of the cut-out square's centre
 * @param cutX         column of its centre
 * @param cutSize      its side (0: none)
 */
public record AugmentParams(boolean ada, boolean[] flip, int[] quarterTurns, int[] dy, int[] dx, float[] brightness,
                            float[] contrast, float[] saturation, int[] cutY, int[] cutX, int[] cutSize) {

    /** The transforms in the policy's order. */
    public Tensor apply(Tensor x) {
        if (ada) {
            x = AugmentOps.geometric(x, flip, quarterTurns, dy, dx, true);
            x = AugmentOps.brightness(x, brightness);
            x = AugmentOps.contrast(x, contrast, false);
            x = AugmentOps.saturation(x, saturation);
        } else {
            x = AugmentOps.brightness(x, brightness);
            x = AugmentOps.saturation(x, saturation);
            x = AugmentOps.contrast(x, contrast, true);
            x = AugmentOps.geometric(x, flip, quarterTurns, dy, dx, false);
        }
        return AugmentOps.cutout(x, cutY, cutX, cutSize);
    }

    /**
     * DiffAugment's "color,translation,cutout" for n images of h × w: brightness + U(−0.5, 0.5),
     * saturation × U(0, 2), contrast × U(0.5, 1.5), a shift of up to 1/8 of the side each way,
     * and a square of half the side cut out around a uniform position.
     */
    public static AugmentParams diffAugment(Rng rng, int n, int h, int w) {
        float[] u = Tensor.rand(rng, n * 7).toArray();
        AugmentParams a = identity(false, n);
        int shiftY = Math.round(h / 8f), shiftX = Math.round(w / 8f);
        for (int i = 0; i < n; i++) {
            int at = i * 7;
            a.brightness[i] = u[at] - 0.5f;
            a.saturation[i] = u[at + 1] * 2;
            a.contrast[i] = u[at + 2] + 0.5f;
            a.dy[i] = between(u[at + 3], -shiftY, shiftY);
            a.dx[i] = between(u[at + 4], -shiftX, shiftX);
            a.cutY[i] = between(u[at + 5], 0, h - 1);
            a.cutX[i] = between(u[at + 6], 0, w - 1);
            a.cutSize[i] = Math.round(Math.min(h, w) / 2f);
        }
        return a;
    }

    /**
     * ADA's transforms for n images of h × w, each on with probability p for each sample, with the
     * paper's distributions (Karras et al. 2020, appendix B): a flip half the time, 0 to 3 quarter
     * turns, a shift of U(−1/8, 1/8) of the side rounded to pixels, brightness + N(0, 0.2²),
     * contrast × lognormal(0, (0.5 ln 2)²), saturation × lognormal(0, (ln 2)²), and a square of
     * half the side cut out around a uniform position.
     */
    public static AugmentParams ada(Rng rng, int n, int h, int w, double p) {
        float[] u = Tensor.rand(rng, n * 13).toArray();
        float[] g = Tensor.randn(rng, n * 3).toArray();
        AugmentParams a = identity(true, n);
        for (int i = 0; i < n; i++) {
            int at = i * 13;
            if (u[at] < p) a.flip[i] = u[at + 7] < 0.5f;
            if (u[at + 1] < p) a.quarterTurns[i] = between(u[at + 8], 0, 3);
            if (u[at + 2] < p) {
                a.dy[i] = Math.round((u[at + 9] * 2 - 1) * h / 8f);
                a.dx[i] = Math.round((u[at + 10] * 2 - 1) * w / 8f);
            }
            if (u[at + 3] < p) a.brightness[i] = 0.2f * g[i * 3];
            if (u[at + 4] < p) a.contrast[i] = (float) StrictMath.pow(2, 0.5 * g[i * 3 + 1]);
            if (u[at + 5] < p) a.saturation[i] = (float) StrictMath.pow(2, g[i * 3 + 2]);
            if (u[at + 6] < p) {
                a.cutY[i] = between(u[at + 11], 0, h - 1);
                a.cutX[i] = between(u[at + 12], 0, w - 1);
                a.cutSize[i] = Math.round(Math.min(h, w) / 2f);
            }
        }
        return a;
    }

    /** Every transform off for n samples. */
    public static AugmentParams identity(boolean ada, int n) {
        return new AugmentParams(ada, new boolean[n], new int[n], new int[n], new int[n], new float[n], ones(n), ones(n),
                new int[n], new int[n], new int[n]);
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }

    /** u ∈ (0, 1) as an integer in [lo, hi], each equally likely. */
    private static int between(float u, int lo, int hi) {
        return lo + Math.min((int) (u * (hi - lo + 1)), hi - lo);
    }
}
