package org.gan4j.tensor.cpu;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A parallel-for over a fixed pool of daemon threads. The calling thread works too, so helpers
 * that start late (or never, when the pool is busy with another caller) cost nothing; calls
 * from inside a worker run inline, so nested loops cannot deadlock.
 */
final class Parallel {

    /** The body of a loop, given one chunk {@code [from, to)} of the range at a time. */
    @FunctionalInterface
    interface IntRangeConsumer {
        void accept(int from, int to);
    }

    /** Chunks per thread: a few, so that uneven chunks still balance. */
    private static final int CHUNKS_PER_THREAD = 4;

    private final int threads;
    private final ExecutorService pool;

    Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, body -> {
            Thread t = new Worker(body);
            t.setDaemon(true);
            return t;
        });
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
        if (chunks <= 1 || pool == null || Thread.currentThread() instanceof Worker) {
            body.accept(0, n);
            return;
        }
        var loop = new Loop(n, chunks, body);
        for (int i = 0, helpers = Math.min(threads - 1, chunks - 1); i < helpers; i++) pool.execute(loop);
        loop.run();
        loop.await();
    }

    /** One parallel loop: whoever runs it takes chunks until none are left. */
    private static final class Loop implements Runnable {
        private final int n, chunks;
        private final IntRangeConsumer body;
        private final AtomicInteger next = new AtomicInteger();
        private final CountDownLatch done;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Loop(int n, int chunks, IntRangeConsumer body) {
            this.n = n;
            this.chunks = chunks;
            this.body = body;
            this.done = new CountDownLatch(chunks);
        }

        @Override
        public void run() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                try {
                    if (failure.get() == null) body.accept((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            }
        }

        void await() {
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            Throwable t = failure.get();
            if (t instanceof RuntimeException r) throw r;
            if (t instanceof Error e) throw e;
            if (t != null) throw new RuntimeException(t);
        }
    }

    private static final class Worker extends Thread {
        Worker(Runnable body) {
            super(body, "gan4j-cpu");
        }
    }
}
