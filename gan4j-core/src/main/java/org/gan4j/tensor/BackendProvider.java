package org.gan4j.tensor;

/**
 * How a device makes itself known: listed in {@code META-INF/services}, found by
 * {@link Backends} through {@link java.util.ServiceLoader}, so core never imports a device.
 */
public interface BackendProvider {

    /** The name users pick the device by, e.g. "cpu" or "cuda". */
    String name();

    /** Starts the device; throws {@link BackendUnavailableException} with the reason when it cannot. */
    Backend create();
}
