package org.gan4j.tensor.cpu;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A parallel-for over a fixed set of daemon threads. The calling thread works too, so helpers
 * that start late (or never, when they are busy with another caller) cost nothing; calls from
 * inside a helper run inline, so nested loops cannot deadlock.
 *
 * <p>A training step runs hundreds of loops of a few microseconds each, so waking a parked thread
 * (several microseconds) would cost as much as the work: helpers spin for a while after each loop
 * before they park, and the caller spins for its helpers to finish before it parks.
 */
final class Parallel {

    /** The body of a loop, given one chunk {@code [from, to)} of the range at a time. */
    @FunctionalInterface
    interface IntRangeConsumer {
        void accept(int from, int to);
    }

    /** Chunks per thread: a few, so that uneven chunks still balance. */
    private static final int CHUNKS_PER_THREAD = 4;
    /** How long an idle thread spins before it parks: longer than the serial work between two loops of a step. */
    private static final long SPIN_NANOS = 50_000;

    private final int threads;
    private final Worker[] workers;
    private final Queue<Loop> queue = new ConcurrentLinkedQueue<>();

    Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker();
            workers[i].start();
        }
    }

    int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over [0, n) split into chunks of at least {@code grain} indices and returns
     * when all are done; the first exception thrown by a chunk is rethrown here.
     */
    void parallelFor(int n, int grain, IntRangeConsumer body) {
        if (n <= 0) return;
        int chunks = (int) Math.min((n + (long) grain - 1) / Math.max(grain, 1), (long) threads * CHUNKS_PER_THREAD);
        if (chunks <= 1 || workers.length == 0 || Thread.currentThread() instanceof Worker) {
            body.accept(0, n);
            return;
        }
        var loop = new Loop(n, chunks, body);
        for (int i = 0, helpers = Math.min(workers.length, chunks - 1); i < helpers; i++) queue.offer(loop);
        for (Worker w : workers) {
            if (w.parked) LockSupport.unpark(w);
        }
        loop.run();
        loop.await();
    }

    /** One parallel loop: whoever runs it takes chunks until none are left. */
    private static final class Loop {
        private final int n, chunks;
        private final IntRangeConsumer body;
        private final AtomicInteger next = new AtomicInteger(), pending;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile Thread waiter;

        Loop(int n, int chunks, IntRangeConsumer body) {
            this.n = n;
            this.chunks = chunks;
            this.body = body;
            this.pending = new AtomicInteger(chunks);
        }

        void run() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                try {
                    if (failure.get() == null) body.accept((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    if (pending.decrementAndGet() == 0) {
                        Thread w = waiter;
                        if (w != null) LockSupport.unpark(w);
                    }
                }
            }
        }

        /** Waits for the chunks that helpers took: spinning first, then parked until the last one ends. */
        void await() {
            long start = System.nanoTime();
            while (pending.get() > 0 && System.nanoTime() - start < SPIN_NANOS) Thread.onSpinWait();
            boolean interrupted = false;
            if (pending.get() > 0) {
                waiter = Thread.currentThread();
                while (pending.get() > 0) {
                    LockSupport.park(this);
                    interrupted |= Thread.interrupted();
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            Throwable t = failure.get();
            if (t instanceof RuntimeException r) throw r;
            if (t instanceof Error e) throw e;
            if (t != null) throw new RuntimeException(t);
        }
    }

    private final class Worker extends Thread {
        /** Set while parked or about to park, so that a caller knows to wake it. */
        volatile boolean parked;

        Worker() {
            super("gan4j-cpu");
            setDaemon(true);
        }

        @Override
        public void run() {
            while (true) {
                Loop loop = queue.poll();
                if (loop != null) {
                    loop.run();
                    continue;
                }
                long start = System.nanoTime();
                while (queue.isEmpty() && System.nanoTime() - start < SPIN_NANOS) Thread.onSpinWait();
                if (!queue.isEmpty()) continue;
                // a caller offers its loop before it reads this flag, and this thread sets it before it looks again
                parked = true;
                if (queue.isEmpty()) LockSupport.park(this);
                parked = false;
            }
        }
    }
}
