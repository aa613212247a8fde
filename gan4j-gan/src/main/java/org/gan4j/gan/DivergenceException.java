package org.gan4j.gan;

/** Training produced NaN or infinity; the message names the first tensor where it appeared. */
public final class DivergenceException extends RuntimeException {
    private final long step;

    public DivergenceException(long step, String message) {
        super("step " + step + ": " + message);
        this.step = step;
    }

    public long step() {
        return step;
    }
}
