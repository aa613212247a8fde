package org.gan4j.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;

/**
 * Cuts a dataset into batches, in a fresh order each epoch. Epoch e's order comes from
 * {@code rng.fork(e)}, so the batches depend only on the seed and any position can be sought
 * directly (a resumed run sees the very batches it would have seen); with prefetch on,
 * a virtual thread fills the next batch's floats while the caller trains on the current one.
 * Tensors are made on the caller's thread, where its memory scope lives.
 */
public final class DataLoader {
    private final Dataset data;
    private final int batchSize;
    private final Rng rng;
    private final boolean dropLast;
    private final boolean prefetch;
    private final int[] itemShape;
    private final int itemLength;
    private long position;
    private Iterator<Batch> current;

    /** {@code rng} shuffles; pass null to keep the dataset's order. */
    public DataLoader(Dataset data, int batchSize, Rng rng, boolean dropLast, boolean prefetch) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, was " + batchSize);
        if (batchSize > data.size()) {
            throw new IllegalArgumentException("batch size " + batchSize + " is larger than the dataset (" + data.describe() + ")");
        }
        this.data = data;
        this.batchSize = batchSize;
        this.rng = rng;
        this.dropLast = dropLast;
        this.prefetch = prefetch;
        this.itemShape = data.itemShape();
        this.itemLength = data.itemLength();
    }

    public int batchesPerEpoch() {
        return batchesPerEpoch(data.size(), batchSize, dropLast);
    }

    /** Batches in one pass over {@code size} items: the last partial batch dropped or kept. */
    public static int batchesPerEpoch(int size, int batchSize, boolean dropLast) {
        return dropLast ? size / batchSize : (size + batchSize - 1) / batchSize;
    }

    public Dataset dataset() {
        return data;
    }

    /** The batches of pass {@code e} over the data. */
    public Iterable<Batch> epoch(long e) {
        return () -> new Batches(order(e), 0);
    }

    /** The next batch of an endless sequence of epochs. */
    public Batch next() {
        if (current == null || !current.hasNext()) {
            current = new Batches(order(position / batchesPerEpoch()), (int) (position % batchesPerEpoch()));
        }
        position++;
        return current.next();
    }

    /** How many batches {@link #next()} has handed out. */
    public long position() {
        return position;
    }

    /** Continues {@link #next()} as if {@code batches} batches had been handed out. */
    public void seek(long batches) {
        position = batches;
        current = null;
    }

    private int[] order(long epoch) {
        return rng == null ? identity(data.size()) : rng.fork(epoch).permutation(data.size());
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        return p;
    }

    /** The floats and labels of one batch, filled off the caller's thread when prefetching. */
    private record Filled(float[] values, int[] labels) {}

    private final class Batches implements Iterator<Batch> {
        private final int[] order;
        private final float[][] buffers = new float[2][]; // one being filled while the other is copied out
        private int next;
        private FutureTask<Filled> pending;

        Batches(int[] order, int first) {
            this.order = order;
            this.next = first;
            if (prefetch && hasNext()) pending = start(first);
        }

        @Override
        public boolean hasNext() {
            return next < batchesPerEpoch();
        }

        @Override
        public Batch next() {
            if (!hasNext()) throw new NoSuchElementException();
            Filled f = prefetch ? await(pending) : fill(next);
            next++;
            if (prefetch && hasNext()) pending = start(next);
            int b = f.labels().length;
            int[] shape = new int[itemShape.length + 1];
            shape[0] = b;
            System.arraycopy(itemShape, 0, shape, 1, itemShape.length);
            return new Batch(Tensor.of(f.values(), shape), f.labels());
        }

        private FutureTask<Filled> start(int k) {
            FutureTask<Filled> task = new FutureTask<>(() -> fill(k));
            Thread.ofVirtual().name("gan4j-prefetch").start(task);
            return task;
        }

        private Filled fill(int k) {
            int from = k * batchSize;
            int b = Math.min(batchSize, order.length - from);
            float[] values = buffer(k % 2, b * itemLength);
            int[] labels = new int[b];
            for (int j = 0; j < b; j++) {
                data.copyItem(order[from + j], values, j * itemLength);
                labels[j] = data.label(order[from + j]);
            }
            return new Filled(values, labels);
        }

        /** Reuses the buffer of two batches ago, which Tensor.of has already copied. */
        private float[] buffer(int slot, int length) {
            if (buffers[slot] == null || buffers[slot].length != length) buffers[slot] = new float[length];
            return buffers[slot];
        }

        private static Filled await(FutureTask<Filled> task) {
            try {
                return task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the next batch", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw new IllegalStateException("preparing a batch failed", e.getCause());
            }
        }
    }
}
