package org.gan4j.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.gan4j.gan.StepStats;

/**
 * Shows training progress: a redrawn bar on a terminal, plain log lines otherwise (a file or
 * a pipe should not fill with carriage returns).
 */
public final class Progress {
    private final PrintStream out;
    private final boolean terminal;
    private final long total;
    private final int stepsPerEpoch;
    private final int batchSize;
    private final long startStep;
    private final long startNanos = System.nanoTime();
    private long lastPrint;

    public Progress(PrintStream out, boolean terminal, long total, int stepsPerEpoch, int batchSize, long startStep) {
        this.out = out;
        this.terminal = terminal;
        this.total = total;
        this.stepsPerEpoch = stepsPerEpoch;
        this.batchSize = batchSize;
        this.startStep = startStep;
    }

    /** Images per second since this run (or resume) started. */
    public double imagesPerSecond(long step) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return seconds > 0 ? (step - startStep) * (double) batchSize / seconds : 0;
    }

    public void update(StepStats s) {
        long now = System.nanoTime();
        boolean last = s.step() >= total;
        if (!last && now - lastPrint < (terminal ? 200_000_000L : 10_000_000_000L)) return;
        lastPrint = now;
        double rate = (s.step() - startStep) / Math.max(1e-9, (now - startNanos) / 1e9);
        long eta = rate > 0 ? (long) ((total - s.step()) / rate) : 0;
        long epoch = (s.step() - 1) / stepsPerEpoch + 1;
        String stats = String.format(Locale.ROOT, "epoch %d  step %d/%d  D loss %.3f  G loss %.3f  D(x) %.2f  D(G(z)) %.2f  %.0f img/s  ETA %s",
                epoch, s.step(), total, s.lossD(), s.lossG(), s.dReal(), s.dFake(), imagesPerSecond(s.step()), duration(eta));
        if (terminal) {
            int width = 24, filled = (int) (width * s.step() / Math.max(1, total));
            out.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + stats + "   ");
            if (last) out.println();
        } else {
            out.println(stats);
        }
        out.flush();
    }

    static String duration(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
}
