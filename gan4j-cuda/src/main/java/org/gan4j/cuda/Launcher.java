package org.gan4j.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One thread's kernel launches. A launch writes its arguments one by one, typed, straight into
 * this thread's native argument buffer (the pointer array cuLaunchKernel reads, then the
 * values), and cuLaunchKernel copies them before it returns: a launch allocates nothing and
 * boxes nothing, and threads never share a buffer.
 *
 * <pre>{@code launcher.start("elementwise", "unary").i(op).f(p).ptr(x).ptr(out).i(n).over(n);}</pre>
 *
 * Launches are 1-D grids of 256 threads; kernels loop over their range (grid-stride), so the
 * grid is capped.
 */
final class Launcher {
    private static final int THREADS = 256;
    private static final int MAX_BLOCKS = 1 << 16;
    /** The buffer: MAX_ARGS argument pointers, then the values, each at an 8-byte-aligned offset. */
    private static final int MAX_ARGS = 16, BUFFER_BYTES = 2048;
    private static final long VALUES_AT = ADDRESS.byteSize() * MAX_ARGS;

    /** The thread this launcher belongs to (final, so a thread that sees the object sees its owner). */
    final Thread thread = Thread.currentThread();
    private final Driver driver;
    private final Kernels kernels;
    private final MemorySegment stream;
    private final MemorySegment buffer = Arena.ofAuto().allocate(BUFFER_BYTES, 8);
    private String file, kernel;
    private int count;
    private long at;

    Launcher(Driver driver, Kernels kernels, MemorySegment stream) {
        this.driver = driver;
        this.kernels = kernels;
        this.stream = stream;
    }

    /**
     * Begins a launch of {@code kernel} in {@code file}; whatever an earlier, abandoned launch
     * wrote is overwritten. The kernel is looked up (compiled on first use) only at the launch,
     * after every argument has been checked.
     */
    Launcher start(String file, String kernel) {
        this.file = file;
        this.kernel = kernel;
        count = 0;
        at = VALUES_AT;
        return this;
    }

    Launcher i(int value) {
        buffer.set(JAVA_INT, next(4), value);
        return this;
    }

    Launcher f(float value) {
        buffer.set(JAVA_FLOAT, next(4), value);
        return this;
    }

    /** A 64-bit integer (unsigned long long in the kernel). */
    Launcher l(long value) {
        buffer.set(JAVA_LONG, next(8), value);
        return this;
    }

    /** A device pointer. */
    Launcher ptr(long address) {
        return l(address);
    }

    /** A struct of ints passed by value (the kernels' Walk, Geometry). */
    Launcher ints(int[] struct) {
        MemorySegment.copy(struct, 0, buffer, JAVA_INT, next(4L * struct.length), struct.length);
        return this;
    }

    /** Reserves the next argument's bytes and points the argument's pointer at them. */
    private long next(long bytes) {
        if (count == MAX_ARGS || at + bytes > BUFFER_BYTES) throw new IllegalStateException("too many kernel arguments");
        long offset = at;
        buffer.setAtIndex(JAVA_LONG, count++, buffer.address() + offset);
        at = (offset + bytes + 7) & ~7L;
        return offset;
    }

    /** Launches over {@code work} items: enough blocks for one thread each, capped. */
    void over(long work) {
        if (work > 0) blocks((int) Math.min(MAX_BLOCKS, (work + THREADS - 1) / THREADS));
    }

    /** Launches exactly {@code blocks} blocks. */
    void blocks(int blocks) {
        driver.launch(kernels.function(file, kernel), blocks, THREADS, 0, stream, buffer);
    }
}
