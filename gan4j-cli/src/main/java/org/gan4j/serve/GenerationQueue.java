package org.gan4j.serve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.gan4j.gan.Generator;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Scope;
import org.gan4j.tensor.Tensor;

/**
 * Requests for samples, answered in batches: one worker thread takes the oldest request and
 * every following one that still fits into {@code maxBatch} images, runs the generator once on
 * their noise stacked together, and hands each request its rows. The queue is bounded, so a
 * flood of requests is refused at once instead of piling up. The generator must be in
 * evaluation mode: then each row depends only on its own noise, and a batched request gets the
 * same images as one run alone.
 */
public final class GenerationQueue implements AutoCloseable {

    /** n samples from the noise of {@code Rng.seeded(seed)}; labels: one class per sample, or null. */
    public record Request(int count, long seed, int[] labels) {
    }

    /** Samples [count, ...sample shape] as one flat array. */
    public record Samples(float[] values, int[] shape) {
    }

    private record Job(Request request, CompletableFuture<Samples> result) {
    }

    private final Generator generator;
    private final int maxBatch;
    private final BlockingQueue<Job> queue;
    private final GenerationMetrics metrics;
    private final Thread worker;
    private volatile boolean closed;

    public GenerationQueue(Generator generator, int maxBatch, int capacity, GenerationMetrics metrics) {
        this.generator = generator;
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.metrics = metrics;
        this.worker = Thread.ofPlatform().name("gan4j-generation").daemon().start(this::work);
    }

    /** Queues a request; fails at once with RejectedExecutionException when the queue is full. */
    public CompletableFuture<Samples> submit(Request r) {
        if (r.count() < 1 || r.count() > maxBatch) throw new IllegalArgumentException("count " + r.count() + " is not in 1.." + maxBatch);
        Job job = new Job(r, new CompletableFuture<>());
        if (closed || !queue.offer(job)) throw new RejectedExecutionException(closed ? "shutting down" : "queue full");
        return job.result();
    }

    public int waiting() {
        return queue.size();
    }

    public boolean isRunning() {
        return worker.isAlive() && !closed;
    }

    private void work() {
        List<Job> batch = new ArrayList<>();
        while (!closed) {
            try {
                Job first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.clear();
                batch.add(first);
                int images = first.request().count();
                for (Job next; (next = queue.peek()) != null && images + next.request().count() <= maxBatch; ) {
                    batch.add(queue.poll());   // the only taker, so poll returns what peek saw
                    images += next.request().count();
                }
                batch.removeIf(j -> j.result().isDone());   // given up on (timed out) while waiting
                if (!batch.isEmpty()) run(batch);
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException | OutOfMemoryError e) {
                for (Job j : batch) j.result().completeExceptionally(e);   // this batch fails, the service goes on
            }
        }
        for (Job j; (j = queue.poll()) != null; ) j.result().completeExceptionally(new RejectedExecutionException("shutting down"));
    }

    private void run(List<Job> batch) {
        int total = 0;
        for (Job j : batch) total += j.request().count();
        // The backend pools freed arrays by exact length, so every batch size leaves its own set
        // of arrays behind; padding to a power of two (or maxBatch) keeps that to a few sets.
        int rows = Math.min(Integer.highestOneBit(total) == total ? total : Integer.highestOneBit(total) << 1, maxBatch);
        boolean conditional = generator.classes() > 0;
        float[] all;
        try (var ng = Autograd.noGrad(); Scope s = Scope.open()) {
            Tensor[] noise = new Tensor[batch.size() + (rows > total ? 1 : 0)];
            int[] labels = conditional ? new int[rows] : null;
            int row = 0;
            for (int i = 0; i < batch.size(); i++) {
                Request r = batch.get(i).request();
                noise[i] = generator.noise(r.count(), Rng.seeded(r.seed()));
                if (conditional) System.arraycopy(r.labels(), 0, labels, row, r.count());
                row += r.count();
            }
            if (rows > total) noise[batch.size()] = Tensor.zeros(rows - total, generator.latentDim());   // padding, dropped below
            all = generator.generate(noise.length == 1 ? noise[0] : Tensor.concat(0, noise), labels).toArray();
        }
        metrics.batch(total);
        int perSample = all.length / rows, from = 0;
        int[] sample = generator.outputShape();
        for (Job j : batch) {
            int n = j.request().count();
            int[] shape = new int[sample.length + 1];
            shape[0] = n;
            System.arraycopy(sample, 0, shape, 1, sample.length);
            j.result().complete(new Samples(Arrays.copyOfRange(all, from, from + n * perSample), shape));
            from += n * perSample;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            worker.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
