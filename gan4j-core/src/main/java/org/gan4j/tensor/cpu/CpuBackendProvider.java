package org.gan4j.tensor.cpu;

import org.gan4j.tensor.Backend;
import org.gan4j.tensor.BackendProvider;

/** Registers the CPU backend with {@link org.gan4j.tensor.Backends}. */
public final class CpuBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Backend create() {
        return new CpuBackend();
    }
}
