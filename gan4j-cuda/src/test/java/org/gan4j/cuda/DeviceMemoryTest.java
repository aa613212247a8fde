package org.gan4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The caching allocator over a pretend driver that hands out increasing addresses up to a limit. */
class DeviceMemoryTest {
    private long next = 0x1000, capacity = 1 << 20, used;
    private final Map<Long, Long> sizes = new HashMap<>();
    private final List<Long> freed = new ArrayList<>();
    private int syncs;

    private final DeviceMemory memory = new DeviceMemory(bytes -> {
        if (used + bytes > capacity) return 0;
        used += bytes;
        long a = next;
        next += bytes;
        sizes.put(a, bytes);
        return a;
    }, address -> {
        freed.add(address);
        used -= sizes.remove(address);
    }, () -> syncs++);

    @Test
    void sameSizesReuseTheSameAddressesStepAfterStep() {
        List<Long> first = step(false);
        assertEquals(first, step(false), "released in allocation order, handed out in the same order");
        assertEquals(new HashSet<>(first), new HashSet<>(step(true)), "in any release order, the same addresses");
        assertEquals(3 * 512 + DeviceMemory.rounded(4000), memory.bytesCached());
        assertEquals(0, memory.bytesInUse());
    }

    /** Allocates like a training step, then releases everything, as a closing scope does. */
    private List<Long> step(boolean releaseBackwards) {
        long[] sizes = {4, 400, 4000, 4};
        List<Long> got = new ArrayList<>();
        for (long s : sizes) got.add(memory.allocate(s));
        for (int j = 0; j < sizes.length; j++) {
            int i = releaseBackwards ? sizes.length - 1 - j : j;
            memory.release(got.get(i), sizes[i]);
        }
        return got;
    }

    @Test
    void outOfMemoryEmptiesTheCacheThenRetries() {
        long big = memory.allocate(600_000);
        memory.release(big, 600_000);
        long other = memory.allocate(700_000);   // does not fit beside the cached block
        assertEquals(List.of(big), freed, "the cached block went back to the driver");
        assertEquals(1, syncs, "after the stream finished with it");
        assertNotEquals(0, other);
        var e = assertThrows(IllegalStateException.class, () -> memory.allocate(900_000));
        assertTrue(e.getMessage().startsWith("out of GPU memory: 900096 bytes requested"), e.getMessage());
    }

    @Test
    void aCapturedGraphKeepsItsBlocksUntilClosed() {
        long outside = memory.allocate(1024);
        memory.release(outside, 1024);
        memory.beginCapture();
        long a = memory.allocate(1024);   // reuses the cached block
        memory.release(a, 1024);          // released inside the capture: the graph still replays on it
        long b = memory.allocate(2048);
        List<Long> graphBlocks = memory.endCapture();
        assertEquals(List.of(a, b), graphBlocks);
        assertEquals(outside, a);
        long after = memory.allocate(1024);
        assertNotEquals(a, after, "a graph's block is not handed out while the graph lives");
        memory.release(b, 2048);
        assertNotEquals(b, memory.allocate(2048));
        memory.unpin(graphBlocks);
        assertEquals(a, memory.allocate(1024), "back in circulation once the graph is closed");
        assertEquals(b, memory.allocate(2048));
        assertFalse(freed.contains(a));
    }
}
