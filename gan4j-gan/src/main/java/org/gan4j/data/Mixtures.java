package org.gan4j.data;

import java.util.ArrayList;
import java.util.List;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;

/** The two classic mode-collapse probes: a ring of 8 and a grid of 25 Gaussians. */
public final class Mixtures {

    private Mixtures() {}

    /** 8 Gaussians evenly spaced on the unit circle, sigma 0.01. */
    public static Mixture ring8(int samples, long seed) {
        List<Mixture.Mode> modes = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            double a = 2 * Math.PI * k / 8;
            modes.add(new Mixture.Mode((float) Math.cos(a), (float) Math.sin(a)));
        }
        return sample("ring8", modes, 0.01f, samples, seed);
    }

    /** 25 Gaussians on the grid {-4, -2, 0, 2, 4}², sigma 0.05. */
    public static Mixture grid25(int samples, long seed) {
        List<Mixture.Mode> modes = new ArrayList<>();
        for (int x = -4; x <= 4; x += 2) {
            for (int y = -4; y <= 4; y += 2) modes.add(new Mixture.Mode(x, y));
        }
        return sample("grid25", modes, 0.05f, samples, seed);
    }

    /** Each point picks a mode uniformly, then adds N(0, sigma²) noise on both axes. */
    public static Mixture sample(String name, List<Mixture.Mode> modes, float sigma, int samples, long seed) {
        if (samples <= 0) throw new IllegalArgumentException("samples must be positive, was " + samples);
        Rng rng = Rng.seeded(seed);
        int[] labels = new int[samples];
        for (int i = 0; i < samples; i++) labels[i] = rng.nextInt(modes.size());
        float[] noise = Tensor.randn(rng, samples, 2).toArray();
        float[] points = new float[2 * samples];
        for (int i = 0; i < samples; i++) {
            Mixture.Mode m = modes.get(labels[i]);
            points[2 * i] = m.x() + sigma * noise[2 * i];
            points[2 * i + 1] = m.y() + sigma * noise[2 * i + 1];
        }
        return new Mixture(name, modes, sigma, points, labels, seed);
    }
}
