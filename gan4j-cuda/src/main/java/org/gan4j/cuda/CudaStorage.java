package org.gan4j.cuda;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gan4j.tensor.Storage;

/**
 * A block of device memory from the backend's {@link DeviceMemory}. A storage that is dropped
 * without being released (a tensor made outside any scope) gives its block back when the
 * garbage collector finds it unreachable; one queued on the stream before that stays safe,
 * since everything runs on one stream in order.
 */
final class CudaStorage extends Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    /** The block and the one-time hand-back, shared with the cleaner (which must not see the storage). */
    private record Block(DeviceMemory memory, long address, long bytes, AtomicBoolean returned) implements Runnable {
        @Override
        public void run() {
            if (returned.compareAndSet(false, true)) memory.release(address, bytes);
        }
    }

    private final Block block;
    private final Cleaner.Cleanable cleanable;

    CudaStorage(DeviceMemory memory, int size) {
        super(size);
        long bytes = 4L * size;
        this.block = new Block(memory, memory.allocate(bytes), bytes, new AtomicBoolean());
        this.cleanable = CLEANER.register(this, block);
    }

    /** The device address; throws once the storage has gone back to the pool. */
    long address() {
        checkLive();
        return block.address();
    }

    /** Marks the storage released and hands its block back to the allocator (once). */
    void release() {
        synchronized (this) {
            if (isReleased()) return;
            markReleased();
        }
        cleanable.clean();
    }
}
