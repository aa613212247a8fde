package org.gan4j.cuda;

import java.lang.foreign.MemorySegment;
import java.util.List;

/** A captured sequence of GPU work, replayed as one launch; owns the device blocks it runs on. */
public final class CudaGraph implements AutoCloseable {
    private final Driver driver;
    private final MemorySegment stream, graph, exec;
    private final DeviceMemory memory;
    private final List<Long> blocks;
    private boolean closed;

    CudaGraph(Driver driver, MemorySegment stream, MemorySegment graph, MemorySegment exec, DeviceMemory memory,
              List<Long> blocks) {
        this.driver = driver;
        this.stream = stream;
        this.graph = graph;
        this.exec = exec;
        this.memory = memory;
        this.blocks = blocks;
    }

    /** Queues the whole graph on the backend's stream. */
    public void replay() {
        if (closed) throw new IllegalStateException("graph replayed after close");
        driver.launchGraph(exec, stream);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        driver.synchronize(stream);
        driver.destroyGraph(graph, exec);
        memory.unpin(blocks);
    }
}
