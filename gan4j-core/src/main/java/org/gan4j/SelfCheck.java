package org.gan4j;

import java.util.Locale;
import org.gan4j.nn.LeakyReLU;
import org.gan4j.nn.Linear;
import org.gan4j.nn.Loss;
import org.gan4j.nn.Module;
import org.gan4j.nn.ReLU;
import org.gan4j.nn.Sequential;
import org.gan4j.optim.Adam;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Scope;
import org.gan4j.tensor.Tensor;

/**
 * The engine's self-check: trains the textbook GAN on a ring of 8 Gaussians (radius 1, σ 0.02)
 * and reports how many of the 8 modes the generator reaches. Everything a GAN needs is
 * exercised: noise, two networks with their own optimizers, the two training phases,
 * per-step memory scopes.
 */
public final class SelfCheck {
    private static final int MODES = 8;
    private static final float RADIUS = 1f, SIGMA = 0.02f;

    private SelfCheck() {
    }

    public static void main(String[] args) {
        boolean quick = args.length > 0 && args[0].equals("--quick");
        if (args.length > 1 || (args.length == 1 && !quick)) {
            System.err.println("usage: ./gan4j [--quick]");
            System.exit(2);
        }
        int steps = quick ? 1500 : 4000;
        int batch = 256;
        Rng rng = Rng.seeded(1);
        Module g = new Sequential(new Linear(2, 128, rng), new ReLU(), new Linear(128, 128, rng), new ReLU(),
                new Linear(128, 2, rng)).named("generator");
        Module d = new Sequential(new Linear(2, 128, rng), new LeakyReLU(0.2f), new Linear(128, 128, rng),
                new LeakyReLU(0.2f), new Linear(128, 1, rng)).named("discriminator");
        Adam optG = new Adam(g.parameters(), 1e-3f, 0.5f, 0.999f);
        Adam optD = new Adam(d.parameters(), 1e-3f, 0.5f, 0.999f);
        Tensor ones = Tensor.ones(batch, 1), zeros = Tensor.zeros(batch, 1);

        System.out.printf(Locale.ROOT, "gan4j self-check: GAN on a ring of %d Gaussians, %d steps of batch %d%n", MODES, steps, batch);
        long start = System.nanoTime();
        for (int step = 1; step <= steps; step++) {
            try (Scope scope = Scope.open()) {
                Tensor real = ring(batch, rng);
                // phase 1: D learns to tell real (1) from fake (0); G's output is a constant here
                Tensor fake = g.forward(Tensor.randn(rng, batch, 2)).detach();
                optD.zeroGrad();
                Tensor lossD = Loss.bceWithLogits(d.forward(real), ones).add(Loss.bceWithLogits(d.forward(fake), zeros));
                lossD.backward();
                optD.step();
                // phase 2: G learns to make D say "real"; D is frozen, the gradient flows through it
                d.requiresGrad(false);
                optG.zeroGrad();
                Tensor lossG = Loss.bceWithLogits(d.forward(g.forward(Tensor.randn(rng, batch, 2))), ones);
                lossG.backward();
                optG.step();
                d.requiresGrad(true);
                if (step % (steps / 5) == 0) {
                    System.out.printf(Locale.ROOT, "  step %5d  loss D %.3f  loss G %.3f%n", step, lossD.item(), lossG.item());
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        float[] samples;
        try (var ng = Autograd.noGrad(); Scope scope = Scope.open()) {
            g.eval();
            samples = g.forward(Tensor.randn(rng, 2500, 2)).toArray();
        }
        int[] perMode = new int[MODES];
        int highQuality = 0;
        for (int i = 0; i < samples.length / 2; i++) {
            int nearest = 0;
            double best = Double.MAX_VALUE;
            for (int m = 0; m < MODES; m++) {
                double dx = samples[2 * i] - RADIUS * Math.cos(2 * Math.PI * m / MODES);
                double dy = samples[2 * i + 1] - RADIUS * Math.sin(2 * Math.PI * m / MODES);
                double dist = Math.hypot(dx, dy);
                if (dist < best) {
                    best = dist;
                    nearest = m;
                }
            }
            if (best < 3 * SIGMA * 5) {   // within 15σ: close enough to count for the mode
                perMode[nearest]++;
                if (best < 3 * SIGMA) highQuality++;
            }
        }
        int covered = 0;
        for (int count : perMode) if (count >= 2500 / MODES / 4) covered++;   // at least a quarter of a fair share
        System.out.printf(Locale.ROOT, "modes covered: %d of %d; samples within 3σ of a mode: %.1f %%; %.1f s (%.0f steps/s)%n",
                covered, MODES, 100.0 * highQuality / 2500, seconds, steps / seconds);
        if (covered < MODES / 2) {
            System.out.println("self-check FAILED: the generator covers too few modes");
            System.exit(1);
        }
        System.out.println("self-check passed");
    }

    /** n points from the ring: a random mode's centre plus N(0, σ²) noise. */
    private static Tensor ring(int n, Rng rng) {
        float[] noise = Tensor.randn(rng, n, 2).toArray();
        float[] points = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double angle = 2 * Math.PI * rng.nextInt(MODES) / MODES;
            points[2 * i] = (float) (RADIUS * Math.cos(angle)) + SIGMA * noise[2 * i];
            points[2 * i + 1] = (float) (RADIUS * Math.sin(angle)) + SIGMA * noise[2 * i + 1];
        }
        return Tensor.of(points, n, 2);
    }
}
