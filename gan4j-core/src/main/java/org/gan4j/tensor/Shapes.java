package org.gan4j.tensor;

import java.util.Arrays;
import java.util.stream.IntStream;

/** Shape arithmetic shared by the ops: sizes, strides, broadcasting, axes. */
final class Shapes {
    static final int[] SCALAR = new int[0];

    private Shapes() {
    }

    static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    static String shapeString(int[] shape) {
        return Arrays.toString(shape);
    }

    static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        for (int a = shape.length - 1, s = 1; a >= 0; s *= shape[a--]) strides[a] = s;
        return strides;
    }

    /** NumPy broadcasting of two shapes, naming the op when they do not fit. */
    static int[] broadcastShape(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + shapeString(a) + " and " + shapeString(b) + " do not broadcast");
            }
            s[i] = da == 1 ? db : da;
        }
        return s;
    }

    /** Strides that read a tensor of {@code shape} as if it had {@code target}'s shape (0 on broadcast axes). */
    static int[] broadcastStrides(int[] shape, int[] target) {
        int[] own = contiguousStrides(shape);
        int[] strides = new int[target.length];
        int lead = target.length - shape.length;
        for (int i = lead; i < target.length; i++) strides[i] = shape[i - lead] == 1 ? 0 : own[i - lead];
        return strides;
    }

    /** batch followed by rows and cols. */
    static int[] concatShape(int[] batch, int rows, int cols) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = rows;
        s[batch.length + 1] = cols;
        return s;
    }

    /** {@code newShape} for {@code shape}'s values with its one -1 (if any) filled in. */
    static int[] inferShape(int[] shape, int[] newShape) {
        int numel = numel(shape);
        int[] s = newShape.clone();
        int unknown = -1, known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (unknown >= 0) throw new IllegalArgumentException("reshape: more than one -1 in " + Arrays.toString(newShape));
                unknown = i;
            } else {
                known *= s[i];
            }
        }
        if (unknown >= 0 && known != 0) s[unknown] = numel / known;
        if (numel(s) != numel || (unknown >= 0 && known == 0)) {
            throw new IllegalArgumentException("reshape: cannot view " + shapeString(shape) + " (" + numel + " values) as "
                    + Arrays.toString(newShape));
        }
        checkShape(s);
        return s;
    }

    static void checkShape(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + shapeString(shape));
            n *= d;
        }
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + shapeString(shape) + " has more than 2^31 values");
    }

    /** The axis index; negative axes count from the end. */
    static int axis(int[] shape, int axis) {
        int a = axis < 0 ? axis + shape.length : axis;
        if (a < 0 || a >= shape.length) {
            throw new IndexOutOfBoundsException("axis " + axis + " out of range for shape " + shapeString(shape));
        }
        return a;
    }

    /** The axes as indices, sorted, each once. */
    static int[] normalizeAxes(int[] shape, int[] axes) {
        return IntStream.of(axes).map(a -> axis(shape, a)).sorted().distinct().toArray();
    }

    static int[] dropAxis(int[] shape, int axis) {
        return dropAxes(shape, new int[] {axis});
    }

    static int[] dropAxes(int[] shape, int[] sortedAxes) {
        return IntStream.range(0, shape.length).filter(a -> Arrays.binarySearch(sortedAxes, a) < 0).map(a -> shape[a]).toArray();
    }

    /** shape with axis a set to 1: a reduction's output before the axis is dropped. */
    static int[] keptShape(int[] shape, int a) {
        int[] kept = shape.clone();
        kept[a] = 1;
        return kept;
    }

    static void requireSameShape(String op, int[] a, int[] b) {
        if (!Arrays.equals(a, b)) {
            throw new IllegalArgumentException(op + ": shapes " + shapeString(a) + " and " + shapeString(b) + " differ");
        }
    }

    static void requireChannels(String op, int[] shape) {
        if (shape.length < 2) throw new IllegalArgumentException(op + ": input " + shapeString(shape) + " has no channel axis (axis 1)");
    }

    /** [1, c, 1, ...]: a per-channel tensor's shape for broadcasting against one of {@code shape}. */
    static int[] channelShape(int[] shape) {
        int[] s = new int[shape.length];
        Arrays.fill(s, 1);
        s[1] = shape[1];
        return s;
    }

    /** Values per channel per batch entry: the product of the axes after 1. */
    static int innerSize(int[] shape) {
        return numel(Arrays.copyOfRange(shape, 2, shape.length));
    }
}
