package org.gan4j.cuda;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Device copies of the index lists of indexSelect and indexAdd, keyed by their contents. Lists
 * come back: indexSelect's gradient is an indexAdd with the same list, and a model may select
 * the same rows every step. Each distinct list is copied to the device once. The key is a copy
 * of the values, so a caller that changes its array afterwards has a new list, never a stale
 * copy. Beyond {@link #MAX_LISTS} lists or {@link #MAX_BYTES}, the least recently used go back
 * to the allocator.
 */
final class IndexLists {
    static final int MAX_LISTS = 64;
    static final long MAX_BYTES = 16L << 20;

    /** The values with their hash computed once; compared by contents. */
    private record Key(int[] values, int hash) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && hash == k.hash && Arrays.equals(values, k.values);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final Driver driver;
    private final DeviceMemory memory;
    private final MemorySegment stream;
    /** Device address by list, least recently used first. */
    private final LinkedHashMap<Key, Long> copies = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    IndexLists(Driver driver, DeviceMemory memory, MemorySegment stream) {
        this.driver = driver;
        this.memory = memory;
        this.stream = stream;
    }

    /**
     * Queues {@code launch} with the device address of {@code index}'s copy. The launch is queued
     * under the lock: otherwise another thread's new list could evict this copy and be written
     * into its block before this launch reads it.
     */
    synchronized void use(int[] index, LongConsumer launch) {
        Key probe = new Key(index, Arrays.hashCode(index));
        Long device = copies.get(probe);
        if (device == null) {
            device = copy(index);
            copies.put(new Key(index.clone(), probe.hash()), device);
        }
        launch.accept(device);
    }

    /** Makes room (never evicting the list about to be used), then copies {@code index} to a new block. */
    private long copy(int[] index) {
        long size = size(index);
        Iterator<Map.Entry<Key, Long>> eldest = copies.entrySet().iterator();
        while (eldest.hasNext() && (copies.size() >= MAX_LISTS || bytes + size > MAX_BYTES)) {
            Map.Entry<Key, Long> e = eldest.next();
            long freed = size(e.getKey().values());
            // kernels queued earlier on the stream finish reading it before any later user writes it
            memory.release(e.getValue(), freed);
            bytes -= freed;
            eldest.remove();
        }
        long device = memory.allocate(size);
        try (Arena arena = Arena.ofConfined()) {
            // a pageable source is staged before the call returns, so the arena may close right after
            driver.copyToDevice(device, arena.allocateFrom(JAVA_INT, index), 4L * index.length, stream);
        }
        bytes += size;
        return device;
    }

    private static long size(int[] index) {
        return 4L * Math.max(1, index.length);
    }
}
