package org.gan4j.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Watches a run for the ways a GAN goes wrong: a loss that is NaN or infinite, D(G(z)) pinned
 * near 0 (D wins, G gets no gradient) or 1 (D is fooled completely) for many steps, and the
 * fixed-noise samples collapsing onto each other (mode collapse). Each alarm sounds once when
 * its condition starts and again only after the condition has cleared.
 */
public final class Alarms {
    /** One alarm: where, which rule, and a line for people. */
    public record Alarm(long step, String kind, String message) {
    }

    /** D(G(z)) below this or above 1 minus this counts as pinned. */
    static final double PINNED_MARGIN = 0.02;
    /** Sample diversity below this share of its best value so far counts as collapsed. */
    static final double COLLAPSE_SHARE = 0.3;

    private final int pinnedSteps;
    private long pinnedRun;
    private boolean pinnedRaised, lossRaised, collapseRaised;
    private double bestDiversity;

    /** @param pinnedSteps how many consecutive steps D(G(z)) must stay pinned before the alarm sounds */
    public Alarms(int pinnedSteps) {
        if (pinnedSteps < 1) throw new IllegalArgumentException("pinnedSteps must be at least 1, got " + pinnedSteps);
        this.pinnedSteps = pinnedSteps;
    }

    public Alarms() {
        this(200);
    }

    /**
     * One training step. {@code lossG} may be NaN on steps that train only D, so only an
     * infinite G loss counts there; D trains every step, so a NaN D loss counts. A NaN
     * {@code dFake} (a loss of raw scores, without probabilities) is never pinned.
     */
    public List<Alarm> step(long step, float lossD, float lossG, float dFake) {
        List<Alarm> raised = new ArrayList<>();
        boolean badLoss = !Float.isFinite(lossD) || Float.isInfinite(lossG);
        if (badLoss && !lossRaised) {
            raised.add(new Alarm(step, "loss", String.format(Locale.ROOT, "loss is not finite (D %s, G %s)", lossD, lossG)));
        }
        lossRaised = badLoss;

        boolean pinned = dFake < PINNED_MARGIN || dFake > 1 - PINNED_MARGIN;
        pinnedRun = pinned ? pinnedRun + 1 : 0;
        if (pinnedRun >= pinnedSteps && !pinnedRaised) {
            pinnedRaised = true;
            raised.add(new Alarm(step, "d_fake_pinned", String.format(Locale.ROOT,
                    "D(G(z)) has stayed %s for %d steps (now %.4f): %s", dFake < 0.5 ? "near 0" : "near 1", pinnedRun, dFake,
                    dFake < 0.5 ? "D rejects every fake and G gets almost no gradient" : "D accepts every fake and has stopped learning")));
        }
        if (!pinned) pinnedRaised = false;
        return raised;
    }

    /** Training diverged (the trainer found a non-finite value); always worth an alarm. */
    public Alarm diverged(long step, String what) {
        return new Alarm(step, "loss", "training diverged: " + what);
    }

    /** A new diversity measurement of the fixed-noise samples ({@link #meanPairwiseDistance}). */
    public List<Alarm> diversity(long step, double diversity) {
        bestDiversity = Math.max(bestDiversity, diversity);
        boolean collapsed = bestDiversity > 0 && diversity < COLLAPSE_SHARE * bestDiversity;
        List<Alarm> raised = new ArrayList<>();
        if (collapsed && !collapseRaised) {
            raised.add(new Alarm(step, "diversity", String.format(Locale.ROOT,
                    "sample diversity fell to %.3f, %.0f%% of its best (%.3f): the samples are collapsing onto a few modes",
                    diversity, 100 * diversity / bestDiversity, bestDiversity)));
        }
        collapseRaised = collapsed;
        return raised;
    }

    /** Mean Euclidean distance over all pairs of the {@code n} rows of {@code values} (each {@code values.length / n} long). */
    public static double meanPairwiseDistance(float[] values, int n) {
        if (n < 2) return 0;
        int d = values.length / n;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double diff = values[i * d + k] - values[j * d + k];
                    s += diff * diff;
                }
                sum += Math.sqrt(s);
            }
        }
        return sum / ((long) n * (n - 1) / 2);
    }
}
