package org.gan4j.metrics;

import java.util.List;

/**
 * Mode statistics of 2-D samples against a mixture of Gaussians, as VEEGAN (Srivastava et al.
 * 2017) and PacGAN (Lin et al. 2018) report them: a sample is high quality when it lies within
 * 3σ of its nearest mode; a mode is covered when at least one high-quality sample is nearest to
 * it; reverse KL compares the share of high-quality samples per mode with the uniform mixture.
 */
public final class MixtureMetrics {
    private MixtureMetrics() {
    }

    /** @param perMode high-quality samples nearest each mode */
    public record Result(int samples, int modes, int modesCovered, double highQualityShare, double reverseKl, int[] perMode) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%d of %d modes, %.1f %% high quality, reverse KL %.3f (%d samples)",
                    modesCovered, modes, 100 * highQualityShare, reverseKl, samples);
        }
    }

    /** @param points x, y pairs; @param modes centres as {x, y}; @param sigma the modes' standard deviation */
    public static Result evaluate(float[] points, List<float[]> modes, float sigma) {
        int n = points.length / 2;
        int[] perMode = new int[modes.size()];
        int highQuality = 0;
        for (int i = 0; i < n; i++) {
            int nearest = 0;
            double best = Double.MAX_VALUE;
            for (int m = 0; m < modes.size(); m++) {
                double dx = points[2 * i] - modes.get(m)[0], dy = points[2 * i + 1] - modes.get(m)[1];
                double d2 = dx * dx + dy * dy;
                if (d2 < best) {
                    best = d2;
                    nearest = m;
                }
            }
            if (Math.sqrt(best) <= 3 * sigma) {
                perMode[nearest]++;
                highQuality++;
            }
        }
        int covered = 0;
        double kl = 0;
        for (int count : perMode) {
            if (count > 0) {
                covered++;
                double p = (double) count / highQuality;
                kl += p * Math.log(p * modes.size());
            }
        }
        return new Result(n, modes.size(), covered, n == 0 ? 0 : (double) highQuality / n,
                highQuality == 0 ? Double.POSITIVE_INFINITY : kl, perMode);
    }
}
