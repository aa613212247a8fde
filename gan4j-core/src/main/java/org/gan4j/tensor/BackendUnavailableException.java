package org.gan4j.tensor;

/** A device that cannot start here; the message says which library or call failed. */
public final class BackendUnavailableException extends RuntimeException {
    public BackendUnavailableException(String message) {
        super(message);
    }

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
