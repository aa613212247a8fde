package org.gan4j.gan;

import java.util.List;

/**
 * How a setting (a learning rate, R1/R2's γ) changes over a run of T steps, as a factor on its
 * value: "constant" keeps it, "cosine" anneals it by ½(1 + cos(π·t/T)), from the full value at
 * step 0 to nearly 0 at the last step (Loshchilov and Hutter's SGDR without restarts).
 */
public final class Schedule {
    public static final List<String> NAMES = List.of("constant", "cosine");

    private Schedule() {
    }

    /** The factor at step t (counting from 0) of {@code total}; exactly 1 for "constant", so that nothing changes. */
    public static double factor(String name, long t, long total) {
        return switch (name) {
            case "constant" -> 1.0;
            case "cosine" -> 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, (double) t / total)));
            default -> throw new IllegalArgumentException("unknown schedule '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        };
    }
}
