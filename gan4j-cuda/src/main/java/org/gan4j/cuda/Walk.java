package org.gan4j.cuda;

import java.util.Arrays;
import org.gan4j.tensor.cpu.Strided;

/**
 * Operands walking one shape through their strides, packed as the kernels' {@code struct Walk}
 * (common.cuh): rank, shape[8], stride[4][8], all ints. The CPU backend's {@link Strided} drops
 * dimensions of size 1 and merges neighbours contiguous for every operand, so kernels divide by
 * few extents.
 */
final class Walk {
    static final int MAX_RANK = 8, MAX_OPERANDS = 4;

    private Walk() {
    }

    /** The packed struct for {@code shape} and up to four operands' strides. */
    static int[] of(int[] shape, int[]... operandStrides) {
        Strided walk = Strided.of(shape, operandStrides);
        int rank = walk.rank();
        if (rank > MAX_RANK) {
            throw new IllegalArgumentException("the cuda backend walks at most " + MAX_RANK + " dimensions, "
                    + Arrays.toString(shape) + " needs " + rank);
        }
        int[] packed = new int[1 + MAX_RANK + MAX_OPERANDS * MAX_RANK];
        packed[0] = rank;
        for (int d = 0; d < rank; d++) {
            packed[1 + d] = walk.extent(d);
            for (int j = 0; j < operandStrides.length; j++) packed[1 + MAX_RANK * (1 + j) + d] = walk.stride(j, d);
        }
        return packed;
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
