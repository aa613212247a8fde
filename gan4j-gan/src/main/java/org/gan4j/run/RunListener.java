package org.gan4j.run;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;
import org.gan4j.gan.StepStats;

/**
 * Hears what a {@link GanRun} does, for progress bars, plots, event files and dashboards. Every
 * method does nothing unless overridden; all are called on the training thread, in order.
 */
public interface RunListener {
    /** Before the first step (after a resume, at its step): the run's configuration, directory and trainer are set. */
    default void started(GanRun run) {
    }

    /** A line for people: what the run did that is worth a word (resumed, rolled back, skipped evaluation). */
    default void message(String line) {
    }

    /** One step done; {@code metrics} is the line written to metrics.jsonl for it. */
    default void stepped(StepStats stats, Map<String, Object> metrics) {
    }

    /** The fixed noise batch's picture for {@code step}, written to samples/ as {@code png}. */
    default void sampled(long step, BufferedImage picture, byte[] png) {
    }

    /** A checkpoint was written and {@code latest} points at it. */
    default void checkpointed(long step, Path checkpoint) {
    }

    /** Something went wrong in training ({@link Alarms}); also written to alarms.jsonl. */
    default void alarm(Alarms.Alarm alarm) {
    }

    /** The run stopped: done, or ended by an exception, which the caller of {@link GanRun#fit()} receives. */
    default void finished(GanRun run) {
    }
}
