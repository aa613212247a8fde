package org.gan4j.run;

/** A training run cannot go on, or a run directory cannot be read: the message says why, in words for people. */
public class RunException extends RuntimeException {
    public RunException(String message) {
        super(message);
    }

    public RunException(String message, Throwable cause) {
        super(message, cause);
    }
}
