package org.gan4j.cuda;

import java.util.Arrays;

/**
 * Operands walking one shape through their strides, packed as the kernels' {@code struct Walk}
 * (common.cuh): rank, shape[8], stride[4][8], all ints. Dimensions of size 1 are dropped and
 * neighbours contiguous for every operand are merged, so kernels divide by few extents.
 */
final class Walk {
    static final int MAX_RANK = 8, MAX_OPERANDS = 4;

    private Walk() {
    }

    /** The packed struct for {@code shape} and up to four operands' strides. */
    static int[] of(int[] shape, int[]... operandStrides) {
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
        if (rank > MAX_RANK) {
            throw new IllegalArgumentException("the cuda backend walks at most " + MAX_RANK + " dimensions, "
                    + Arrays.toString(shape) + " needs " + rank);
        }
        int[] packed = new int[1 + MAX_RANK + MAX_OPERANDS * MAX_RANK];
        packed[0] = rank;
        System.arraycopy(dims, 0, packed, 1, rank);
        for (int j = 0; j < ops; j++) System.arraycopy(st[j], 0, packed, 1 + MAX_RANK * (1 + j), rank);
        return packed;
    }

    private static boolean mergeable(int[][] strides, int[][] merged, int outer, int d, int extent) {
        for (int j = 0; j < strides.length; j++) {
            if (merged[j][outer] != (long) strides[j][d] * extent) return false;
        }
        return true;
    }

    /** Whether every operand of a packed walk is one dense run (rank 1, stride 1). */
    static boolean dense(int[] packed, int operands) {
        if (packed[0] != 1) return false;
        for (int j = 0; j < operands; j++) {
            if (packed[1 + MAX_RANK * (1 + j)] != 1) return false;
        }
        return true;
    }
}
