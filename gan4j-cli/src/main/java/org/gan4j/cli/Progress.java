package org.gan4j.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.gan4j.gan.StepStats;
import org.gan4j.run.Alarms;
import org.gan4j.run.GanRun;
import org.gan4j.run.RunListener;

/**
 * Shows training progress and what the run has to say: a redrawn bar on a terminal, plain log
 * lines otherwise (a file or a pipe should not fill with carriage returns).
 */
public final class Progress implements RunListener {
    private final PrintStream out;
    private final boolean terminal;
    private long total;
    private int stepsPerEpoch;
    private long startStep;
    private long startNanos;
    private long lastPrint;

    public Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void started(GanRun run) {
        total = run.config().steps();
        stepsPerEpoch = Math.max(1, run.stepsPerEpoch());
        startStep = run.startStep();
        startNanos = System.nanoTime();
    }

    @Override
    public void message(String line) {
        if (terminal && lastPrint != 0) out.println();
        out.println(line);
    }

    @Override
    public void alarm(Alarms.Alarm alarm) {
        message("alarm at step " + alarm.step() + ": " + alarm.message());
    }

    @Override
    public void stepped(StepStats s, Map<String, Object> metrics) {
        long now = System.nanoTime();
        boolean last = s.step() >= total;
        if (!last && now - lastPrint < (terminal ? 200_000_000L : 10_000_000_000L)) return;
        lastPrint = now;
        double rate = (s.step() - startStep) / Math.max(1e-9, (now - startNanos) / 1e9);
        long eta = rate > 0 ? (long) ((total - s.step()) / rate) : 0;
        long epoch = (s.step() - 1) / stepsPerEpoch + 1;
        // losses of raw scores (hinge, least squares, Wasserstein) have no probabilities to show
        String outputs = Float.isNaN(s.dReal()) ? "" : String.format(Locale.ROOT, "  D(x) %.2f  D(G(z)) %.2f", s.dReal(), s.dFake());
        String stats = String.format(Locale.ROOT, "epoch %d  step %d/%d  D loss %.3f  G loss %.3f%s  %.0f img/s  ETA %s",
                epoch, s.step(), total, s.lossD(), s.lossG(), outputs, ((Number) metrics.get("images_per_s")).doubleValue(),
                duration(eta));
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
