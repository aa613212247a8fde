package org.gan4j.cli;

import org.gan4j.tensor.BackendUnavailableException;
import org.gan4j.tensor.Backends;

/** Applies --device: cpu, cuda, or auto (the GPU when one works, else the CPU, saying why). */
final class Devices {
    private Devices() {
    }

    static void select(String device) {
        switch (device) {
            case "cpu" -> Backends.setDefault(Backends.cpu());
            case "cuda" -> {
                try {
                    Backends.setDefault(Backends.get("cuda"));
                } catch (BackendUnavailableException e) {
                    throw new CliException("--device cuda: " + e.getMessage());
                }
            }
            case "auto" -> {
                try {
                    Backends.setDefault(Backends.get("cuda"));
                } catch (BackendUnavailableException e) {
                    System.err.println("device: cpu (no GPU: " + e.getMessage() + ")");
                    Backends.setDefault(Backends.cpu());
                }
            }
            default -> throw new CliException("--device must be cpu, cuda or auto, got '" + device + "'");
        }
    }
}
