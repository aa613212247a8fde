package org.gan4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gan4j.run.GanRun;
import org.gan4j.run.RunListener;

/**
 * Redraws plots/losses.png at every checkpoint: losses, D's outputs, ADA's p when it adapts and, once measured, the headline
 * quality figure and D's logits on trained against left-out images.
 */
final class LossPlots implements RunListener {
    private GanRun run;

    @Override
    public void started(GanRun run) {
        this.run = run;
    }

    @Override
    public void checkpointed(long step, Path checkpoint) {
        List<Map<String, Object>> history = run.history();
        List<Double> steps = series(history, "step");
        List<String> titles = new ArrayList<>(List.of("losses"));
        List<List<Plots.Series>> panels = new ArrayList<>(List.of(
                List.of(new Plots.Series("D loss", steps, series(history, "loss_d")), withoutNulls("G loss", steps, series(history, "loss_g")))));
        if (history.stream().anyMatch(m -> m.get("d_real") != null)) {   // losses of raw scores have none
            titles.add("discriminator outputs");
            panels.add(List.of(new Plots.Series("D(x)", steps, series(history, "d_real")), new Plots.Series("D(G(z))", steps, series(history, "d_fake"))));
        }
        for (String key : List.of("fid", "modes_covered", "stacked_modes_covered")) {
            if (history.stream().anyMatch(m -> m.get(key) != null)) {
                titles.add(key.equals("fid") ? "Fréchet distance in the classifier's features" : key.replace('_', ' '));
                panels.add(List.of(withoutNulls(key, steps, series(history, key))));
                break;
            }
        }
        if (history.stream().anyMatch(m -> m.get("ada_p") != null)) {
            titles.add("ADA's augmentation probability p");
            panels.add(List.of(withoutNulls("p", steps, series(history, "ada_p"))));
        }
        if (history.stream().anyMatch(m -> m.get("d_logit_seen") != null)) {
            titles.add("D's mean logit: trained against left-out images (apart: D memorises)");
            panels.add(List.of(withoutNulls("trained on", steps, series(history, "d_logit_seen")),
                    withoutNulls("left out", steps, series(history, "d_logit_unseen"))));
        }
        Plots.write(run.directory().plots().resolve("losses.png"), titles, panels);
    }

    private static List<Double> series(List<Map<String, Object>> history, String key) {
        List<Double> v = new ArrayList<>();
        for (Map<String, Object> m : history) v.add(m.get(key) == null ? Double.NaN : ((Number) m.get(key)).doubleValue());
        return v;
    }

    private static Plots.Series withoutNulls(String name, List<Double> steps, List<Double> all) {
        List<Double> x = new ArrayList<>(), y = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (!all.get(i).isNaN()) {
                x.add(steps.get(i));
                y.add(all.get(i));
            }
        }
        return new Plots.Series(name, x, y);
    }
}
