package org.gan4j.cuda;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.LongUnaryOperator;

/**
 * A caching device allocator. Freed blocks wait in a free list per rounded size and are handed
 * out again in the order they were freed, so a training step whose scope closes every step runs
 * on the same set of addresses from the second step on and cuMemAlloc (which synchronizes) leaves the hot
 * path. All work runs on one stream, so a block freed after the kernels that use it were queued
 * can be reused by kernels queued later. While a graph is captured, blocks handed out are
 * recorded: the graph replays on those addresses, so they stay out of the free lists until it is
 * closed.
 */
final class DeviceMemory {
    private static final long GRANULE = 512;

    private final LongUnaryOperator malloc;
    private final LongConsumer free;
    private final Runnable synchronize;
    private final Map<Long, ArrayDeque<Long>> freeLists = new HashMap<>();
    private List<Long> capturing;
    private final Set<Long> pinned = new HashSet<>();
    private final Map<Long, Long> parked = new HashMap<>();
    private long inUse, cached;

    /** {@code malloc} returns 0 when the device is out of memory. */
    DeviceMemory(LongUnaryOperator malloc, LongConsumer free, Runnable synchronize) {
        this.malloc = malloc;
        this.free = free;
        this.synchronize = synchronize;
    }

    static long rounded(long bytes) {
        return Math.max(GRANULE, (bytes + GRANULE - 1) / GRANULE * GRANULE);
    }

    /** A block of at least {@code bytes}; its size for {@link #release} is {@link #rounded}(bytes). */
    synchronized long allocate(long bytes) {
        long size = rounded(bytes);
        ArrayDeque<Long> list = freeLists.get(size);
        Long reused = list == null ? null : list.pollFirst();
        long address;
        if (reused != null) {
            address = reused;
            cached -= size;
        } else {
            address = malloc.applyAsLong(size);
            if (address == 0) {
                emptyCache();
                address = malloc.applyAsLong(size);
            }
            if (address == 0) {
                throw new IllegalStateException("out of GPU memory: " + size + " bytes requested, " + inUse + " in use");
            }
        }
        inUse += size;
        if (capturing != null) capturing.add(address);
        return address;
    }

    synchronized void release(long address, long bytes) {
        long size = rounded(bytes);
        inUse -= size;
        if (pinned.contains(address)) {
            parked.put(address, size);
        } else {
            cached += size;
            freeLists.computeIfAbsent(size, s -> new ArrayDeque<>()).addLast(address);
        }
    }

    /** Frees every cached block back to the driver (after the stream has finished with them). */
    synchronized void emptyCache() {
        synchronize.run();
        freeLists.values().forEach(list -> list.forEach(free::accept));
        freeLists.clear();
        cached = 0;
    }

    /** Starts recording the blocks handed out, for a graph being captured. */
    synchronized void beginCapture() {
        if (capturing != null) throw new IllegalStateException("a capture is already running");
        capturing = new ArrayList<>();
    }

    /**
     * Stops recording; the blocks returned belong to the graph: those released during the capture
     * leave the free lists, and none is handed out again until {@link #unpin}.
     */
    synchronized List<Long> endCapture() {
        List<Long> blocks = capturing;
        capturing = null;
        pinned.addAll(blocks);
        freeLists.forEach((size, list) -> list.removeIf(address -> {
            if (!pinned.contains(address)) return false;
            parked.put(address, size);
            cached -= size;
            return true;
        }));
        return blocks;
    }

    /** The graph that owned these blocks is gone: released ones go back to the free lists. */
    synchronized void unpin(List<Long> blocks) {
        for (long address : blocks) {
            pinned.remove(address);
            Long size = parked.remove(address);
            if (size != null) {
                cached += size;
                freeLists.computeIfAbsent(size, s -> new ArrayDeque<>()).addLast(address);
            }
        }
    }

    synchronized long bytesInUse() {
        return inUse;
    }

    synchronized long bytesCached() {
        return cached;
    }
}
