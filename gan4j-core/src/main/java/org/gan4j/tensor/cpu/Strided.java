package org.gan4j.tensor.cpu;

import java.util.Arrays;

/**
 * Several operands walking one shape, each through its own strides. Dimensions of size 1 are
 * dropped and neighbours that are contiguous for every operand are merged, so a dense or simply
 * broadcast operation walks a few long runs instead of many short ones. Public so that other
 * devices can walk shapes the same way.
 */
public final class Strided {

    /** One run of {@code len} elements; operand j starts at {@code offsets[j]} and steps by its last stride. */
    @FunctionalInterface
    interface Run {
        void accept(int[] offsets, int len);
    }

    private final int[] shape;
    private final int[][] strides;
    private final int size;

    private Strided(int[] shape, int[][] strides, int size) {
        this.shape = shape;
        this.strides = strides;
        this.size = size;
    }

    public static Strided of(int[] shape, int[]... operandStrides) {
        long size = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            size *= d;
        }
        if (size > Integer.MAX_VALUE) throw new IllegalArgumentException("too many elements: " + Arrays.toString(shape));
        for (int[] s : operandStrides) {
            if (s.length != shape.length) {
                throw new IllegalArgumentException("strides " + Arrays.toString(s) + " do not match shape " + Arrays.toString(shape));
            }
        }
        int ops = operandStrides.length;
        int[] dims = new int[Math.max(shape.length, 1)];
        int[][] st = new int[ops][dims.length];
        int rank = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            if (rank > 0 && mergeable(operandStrides, st, rank - 1, d, shape[d])) {
                dims[rank - 1] *= shape[d];
                for (int j = 0; j < ops; j++) st[j][rank - 1] = operandStrides[j][d];
            } else {
                dims[rank] = shape[d];
                for (int j = 0; j < ops; j++) st[j][rank] = operandStrides[j][d];
                rank++;
            }
        }
        if (rank == 0) {
            dims[0] = 1;
            rank = 1;
        }
        int[][] kept = new int[ops][];
        for (int j = 0; j < ops; j++) kept[j] = Arrays.copyOf(st[j], rank);
        return new Strided(Arrays.copyOf(dims, rank), kept, (int) size);
    }

    /** An outer dimension merges into the inner one d when its stride is d's stride times d's size, for all operands. */
    private static boolean mergeable(int[][] strides, int[][] merged, int outer, int d, int extent) {
        for (int j = 0; j < strides.length; j++) {
            if (merged[j][outer] != (long) strides[j][d] * extent) return false;
        }
        return true;
    }

    /** Strides of a dense row-major array of this shape. */
    static int[] contiguous(int[] shape) {
        int[] s = new int[shape.length];
        for (int d = shape.length - 1, step = 1; d >= 0; step *= shape[d], d--) s[d] = step;
        return s;
    }

    int size() {
        return size;
    }

    /** Dimensions left after dropping ones and merging (at least 1). */
    public int rank() {
        return shape.length;
    }

    public int extent(int d) {
        return shape[d];
    }

    /** Operand j's stride along merged dimension d. */
    public int stride(int j, int d) {
        return strides[j][d];
    }

    /** The step of operand j inside a run. */
    int step(int j) {
        return strides[j][shape.length - 1];
    }

    /** Calls {@code run} for the runs that cover elements [from, to) in row-major order. */
    void forEach(int from, int to, Run run) {
        int rank = shape.length, last = rank - 1, ops = strides.length;
        int[] index = new int[rank], offsets = new int[ops];
        for (int d = last, rest = from; d >= 0; d--) {
            index[d] = rest % shape[d];
            rest /= shape[d];
            for (int j = 0; j < ops; j++) offsets[j] += index[d] * strides[j][d];
        }
        for (int at = from; at < to; ) {
            int len = Math.min(shape[last] - index[last], to - at);
            run.accept(offsets, len);
            at += len;
            index[last] += len;
            for (int j = 0; j < ops; j++) offsets[j] += len * strides[j][last];
            // carry into the outer dimensions
            for (int d = last; d > 0 && index[d] == shape[d]; d--) {
                index[d] = 0;
                index[d - 1]++;
                for (int j = 0; j < ops; j++) offsets[j] += strides[j][d - 1] - shape[d] * strides[j][d];
            }
        }
    }
}
