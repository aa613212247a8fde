package org.gan4j.tensor.cpu;

import org.gan4j.tensor.Storage;

/** A storage on the Java heap: one {@code float[]} of exactly {@link #size()} elements. */
public final class CpuStorage extends Storage {
    private final float[] data;

    CpuStorage(float[] data) {
        super(data.length);
        this.data = data;
    }

    /** The backing array; throws once the storage has gone back to the pool. */
    public float[] array() {
        checkLive();
        return data;
    }

    /** Marks the storage released and hands over its array for reuse, or null if it was already released. */
    float[] release() {
        synchronized (this) {
            if (isReleased()) return null;
            markReleased();
        }
        return data;
    }
}
