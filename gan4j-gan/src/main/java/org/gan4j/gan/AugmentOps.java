package org.gan4j.gan;

import org.gan4j.tensor.Tensor;

/**
 * The differentiable image transforms of data augmentation, on batches [n, c, h, w] with one
 * parameter per sample. Each is built from the engine's own ops, so its derivative (and the
 * derivative of that) comes with them and it runs on any backend: the geometric ones are one
 * gather of pixels (backward: the scatter-add of indexSelect), the colour ones elementwise ops
 * with per-sample factors, cutout a multiplicative mask. A transform whose every parameter is
 * the identity returns its input itself, so that an augmentation probability of 0 costs nothing.
 */
public final class AugmentOps {
    private AugmentOps() {
    }

    /**
     * For each sample: a horizontal flip (when {@code flip}), then {@code quarterTurns} turns by 90°
     * as {@code torch.rot90(x, k, (2, 3))}, then a shift by ({@code dy}, {@code dx}) pixels
     * (out[y, x] = in[y − dy, x − dx]); pixels shifted in are mirrored from the image
     * ({@code reflect}, as padding mode "reflect") or zero.
     */
    public static Tensor geometric(Tensor x, boolean[] flip, int[] quarterTurns, int[] dy, int[] dx, boolean reflect) {
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        requirePerSample(x, flip.length, quarterTurns.length, dy.length, dx.length);
        boolean identity = true;
        for (int i = 0; i < n; i++) {
            identity &= !flip[i] && quarterTurns[i] % 4 == 0 && dy[i] == 0 && dx[i] == 0;
            if (quarterTurns[i] % 2 != 0 && h != w) throw new IllegalArgumentException("a quarter turn needs square images, not " + h + "×" + w);
            if (reflect && (Math.abs(dy[i]) >= h || Math.abs(dx[i]) >= w)) {
                throw new IllegalArgumentException("a mirrored shift must be smaller than the image: " + dy[i] + ", " + dx[i] + " for " + h + "×" + w);
            }
        }
        if (identity) return x;
        int numel = x.numel(), zero = numel;   // the one zero appended after the pixels: what "shifted in from outside" reads
        int[] source = new int[numel];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int xo = 0; xo < w; xo++) {
                    // walk back from the output pixel: undo the shift, the turns, then the flip
                    int sy = dy[i] == 0 ? y : reflect ? mirror(y - dy[i], h) : y - dy[i];
                    int sx = dx[i] == 0 ? xo : reflect ? mirror(xo - dx[i], w) : xo - dx[i];
                    boolean inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
                    for (int k = Math.floorMod(quarterTurns[i], 4); k > 0; k--) {   // rot90 once: out[y, x] = in[x, w − 1 − y]
                        int t = sy;
                        sy = sx;
                        sx = w - 1 - t;
                    }
                    if (flip[i]) sx = w - 1 - sx;
                    for (int ch = 0; ch < c; ch++) {
                        source[((i * c + ch) * h + y) * w + xo] = inside ? ((i * c + ch) * h + sy) * w + sx : zero;
                    }
                }
            }
        }
        return x.reshape(numel).pad(new int[] {0}, new int[] {1}, 0f).indexSelect(0, source).reshape(x.shape());
    }

    /** Index q mirrored into [0, size) without repeating the edge (|q| < size, size > 1). */
    private static int mirror(int q, int size) {
        return q < 0 ? -q : q >= size ? 2 * (size - 1) - q : q;
    }

    /** x + b per sample. */
    public static Tensor brightness(Tensor x, float[] b) {
        requirePerSample(x, b.length);
        return isAll(b, 0f) ? x : x.add(perSample(x, b));
    }

    /** Each sample scaled by c about 0, the middle of [−1, 1] (ADA), or about the sample's mean over all its values (DiffAugment). */
    public static Tensor contrast(Tensor x, float[] c, boolean aboutMean) {
        requirePerSample(x, c.length);
        if (isAll(c, 1f)) return x;
        return aboutMean ? scaleAbout(x, x.mean(new int[] {1, 2, 3}, true), c) : x.mul(perSample(x, c));
    }

    /** Each pixel's colour moved away from ({@code s > 1}) or towards ({@code s < 1}) its grey, the mean over the channels. */
    public static Tensor saturation(Tensor x, float[] s) {
        requirePerSample(x, s.length);
        return isAll(s, 1f) ? x : scaleAbout(x, x.mean(1, true), s);
    }

    private static Tensor scaleAbout(Tensor x, Tensor centre, float[] factor) {
        return x.sub(centre).mul(perSample(x, factor)).add(centre);
    }

    /**
     * Zeroes a square of side {@code size[i]} in every channel of sample i: rows from
     * {@code centreY[i] − size[i]/2} on (and columns likewise), clipped to the image; size 0 leaves it whole.
     */
    public static Tensor cutout(Tensor x, int[] centreY, int[] centreX, int[] size) {
        int n = x.size(0), h = x.size(2), w = x.size(3);
        requirePerSample(x, centreY.length, centreX.length, size.length);
        if (isAll(size, 0)) return x;
        float[] mask = new float[n * h * w];
        java.util.Arrays.fill(mask, 1f);
        for (int i = 0; i < n; i++) {
            int y0 = centreY[i] - size[i] / 2, x0 = centreX[i] - size[i] / 2;
            for (int y = Math.max(0, y0); y < Math.min(h, y0 + size[i]); y++) {
                for (int xo = Math.max(0, x0); xo < Math.min(w, x0 + size[i]); xo++) mask[(i * h + y) * w + xo] = 0f;
            }
        }
        return x.mul(x.newTensor(mask, n, 1, h, w));
    }

    /** One value per sample as [n, 1, 1, 1], to broadcast over a sample's channels and pixels. */
    private static Tensor perSample(Tensor x, float[] v) {
        return x.newTensor(v, v.length, 1, 1, 1);
    }

    private static void requirePerSample(Tensor x, int... lengths) {
        if (x.dim() != 4) throw new IllegalArgumentException("augmentation works on images [n, c, h, w], not " + Tensor.shapeString(x.shape()));
        for (int l : lengths) {
            if (l != x.size(0)) throw new IllegalArgumentException("augmentation: " + l + " parameters for a batch of " + x.size(0));
        }
    }

    private static boolean isAll(float[] v, float value) {
        for (float f : v) if (f != value) return false;
        return true;
    }

    private static boolean isAll(int[] v, int value) {
        for (int f : v) if (f != value) return false;
        return true;
    }
}
