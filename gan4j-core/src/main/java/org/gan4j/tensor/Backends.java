package org.gan4j.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/** Finds devices by name and holds the default one that tensor factories use. */
public final class Backends {
    private static final Map<String, Backend> STARTED = new ConcurrentHashMap<>();
    private static volatile Backend defaultBackend;

    private Backends() {
    }

    /** The names of every device on the class path. */
    public static List<String> available() {
        List<String> names = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(p -> names.add(p.name()));
        return names;
    }

    /** The device of that name, started once and shared. */
    public static Backend get(String name) {
        return STARTED.computeIfAbsent(name, n -> {
            for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
                if (p.name().equals(n)) return p.create();
            }
            throw new BackendUnavailableException("no backend named '" + n + "' (available: " + available() + ")");
        });
    }

    public static Backend cpu() {
        return get("cpu");
    }

    /** The device new tensors are made on: the CPU unless {@link #setDefault} said otherwise. */
    public static Backend defaultBackend() {
        Backend b = defaultBackend;
        if (b == null) {
            b = cpu();
            defaultBackend = b;
        }
        return b;
    }

    public static void setDefault(Backend backend) {
        defaultBackend = backend;
    }
}
