package org.gan4j.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;

/** Independent jobs (training runs) on a few threads; tensor ops inside each still share the CPU backend's pool. */
final class ParallelRuns {
    private ParallelRuns() {
    }

    /**
     * Runs every job, {@code threads} at a time, tells {@code done} about each as it finishes
     * (with how many have finished), and returns the results in the jobs' order.
     */
    static <T> List<T> run(List<Callable<T>> jobs, int threads, BiConsumer<Integer, T> done) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        LinkedBlockingQueue<Integer> finished = new LinkedBlockingQueue<>();
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < jobs.size(); i++) {
                int index = i;
                Callable<T> job = jobs.get(i);
                futures.add(pool.submit(() -> {
                    try {
                        return job.call();
                    } finally {
                        finished.add(index);
                    }
                }));
            }
            Object[] results = new Object[jobs.size()];
            for (int count = 1; count <= jobs.size(); count++) {
                int index = finished.take();
                @SuppressWarnings("unchecked")
                T result = (T) (results[index] = futures.get(index).get());
                done.accept(count, result);
            }
            @SuppressWarnings("unchecked")
            List<T> all = (List<T>) Arrays.asList(results);
            return new ArrayList<>(all);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
