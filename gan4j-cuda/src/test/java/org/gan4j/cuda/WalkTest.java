package org.gan4j.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Packing shapes and strides into the kernels' struct Walk. */
class WalkTest {
    private static int[] part(int[] packed, int from, int length) {
        return Arrays.copyOfRange(packed, from, from + length);
    }

    @Test
    void denseOperandsMergeIntoOneRun() {
        int[] w = Walk.of(new int[] {2, 3, 4}, new int[] {12, 4, 1}, new int[] {12, 4, 1});
        assertEquals(1, w[0]);
        assertEquals(24, w[1]);
        assertTrue(Walk.dense(w, 2));
    }

    @Test
    void broadcastKeepsItsZeroStrideAndDropsOnes() {
        // a [2, 1, 4] broadcast over [2, 3, 4] against a dense b
        int[] w = Walk.of(new int[] {2, 3, 4}, new int[] {4, 0, 1}, new int[] {12, 4, 1});
        assertEquals(3, w[0]);
        assertArrayEquals(new int[] {2, 3, 4}, part(w, 1, 3));
        assertArrayEquals(new int[] {4, 0, 1}, part(w, 1 + Walk.MAX_RANK, 3));
        assertArrayEquals(new int[] {12, 4, 1}, part(w, 1 + 2 * Walk.MAX_RANK, 3));
        assertFalse(Walk.dense(w, 2));

        int[] ones = Walk.of(new int[] {1, 5, 1}, new int[] {5, 1, 1});
        assertEquals(1, ones[0]);
        assertEquals(5, ones[1]);
        assertEquals(1, ones[1 + Walk.MAX_RANK]);
        assertEquals(1, Walk.of(new int[0])[0], "a scalar walks one element");
    }

    @Test
    void tooManyDimensionsIsAClearError() {
        int[] shape = {2, 2, 2, 2, 2, 2, 2, 2, 2};
        int[] strides = {23, 19, 17, 13, 11, 7, 5, 3, 2};   // no stride is twice the next: nothing merges
        var e = assertThrows(IllegalArgumentException.class, () -> Walk.of(shape, strides));
        assertTrue(e.getMessage().contains("at most 8 dimensions"), e.getMessage());
    }
}
