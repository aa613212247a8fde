package org.gan4j.cli;

/** A user-facing error: printed as one line, exit status 1 (2 for usage errors). */
public final class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }
}
