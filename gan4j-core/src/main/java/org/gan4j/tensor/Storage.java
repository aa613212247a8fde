package org.gan4j.tensor;

/**
 * A block of float32 memory owned by a {@link Backend}. Tensors share a storage when one is a
 * view of another. A storage handed back to its backend's pool is marked released so that a
 * tensor used after its scope closed fails loudly instead of reading recycled memory.
 */
public abstract class Storage {
    private final int size;
    private boolean released;
    private boolean kept;

    protected Storage(int size) {
        this.size = size;
    }

    /** Number of floats. */
    public final int size() {
        return size;
    }

    public final boolean isReleased() {
        return released;
    }

    /** Marks the memory as outliving the scope it was made in (see {@link Tensor#keep()}). */
    final void keep() {
        kept = true;
    }

    final boolean isKept() {
        return kept;
    }

    /** Called by the backend when the memory goes back to its pool. */
    protected final void markReleased() {
        released = true;
    }

    protected final void checkLive() {
        if (released) {
            throw new IllegalStateException("tensor used after the scope that owned it was closed (keep() it to use it later)");
        }
    }
}
