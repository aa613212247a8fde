package org.gan4j.cli;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gan4j.gan.StepStats;
import org.gan4j.run.GanRun;
import org.gan4j.run.RunListener;

/** A run's scalars and sample pictures as TensorBoard events, in an event file of each session's own. */
final class TensorBoardLog implements RunListener {
    private TensorBoardEvents events;

    @Override
    public void started(GanRun run) {
        events = TensorBoardEvents.create(run.directory().root(), run.startStep() + 1);
    }

    @Override
    public void stepped(StepStats stats, Map<String, Object> metrics) {
        Map<String, Object> scalars = new LinkedHashMap<>(metrics);
        scalars.remove("step");   // TensorBoard has the step already
        events.scalars(stats.step(), scalars);
    }

    @Override
    public void sampled(long step, BufferedImage picture, byte[] png) {
        events.image(step, "samples", png, picture.getWidth(), picture.getHeight(), picture.getColorModel().hasAlpha() ? 4 : 3);
    }

    @Override
    public void finished(GanRun run) {
        if (events != null) events.close();
    }
}
