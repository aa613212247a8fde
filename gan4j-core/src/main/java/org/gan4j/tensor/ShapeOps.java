package org.gan4j.tensor;

import static org.gan4j.tensor.Shapes.axis;
import static org.gan4j.tensor.Shapes.broadcastShape;
import static org.gan4j.tensor.Shapes.broadcastStrides;
import static org.gan4j.tensor.Shapes.contiguousStrides;
import static org.gan4j.tensor.Shapes.dropAxis;
import static org.gan4j.tensor.Shapes.inferShape;
import static org.gan4j.tensor.Shapes.numel;
import static org.gan4j.tensor.Shapes.shapeString;
import static org.gan4j.tensor.Tensor.empty;
import static org.gan4j.tensor.Tensor.record;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Ops that move values without computing on them, each forward next to its derivative, which is
 * the op's adjoint: reshape ↔ reshape, permute ↔ inverse permute, expand ↔ sumTo, crop ↔ pad,
 * concat ↔ slice, indexSelect ↔ indexAdd.
 */
final class ShapeOps {
    private ShapeOps() {
    }

    /** A view: the same memory in another shape. */
    static Tensor reshape(Tensor x, int[] newShape) {
        Tensor out = x.view(inferShape(x.shape, newShape));
        return record(out, "reshape", (i, g) -> g.reshape(x.shape), x);
    }

    static Tensor flatten(Tensor x, int startAxis) {
        int a = axis(x.shape, startAxis);
        int[] s = Arrays.copyOf(x.shape, a + 1);
        s[a] = numel(Arrays.copyOfRange(x.shape, a, x.shape.length));
        return x.reshape(s);
    }

    static Tensor unsqueeze(Tensor x, int axis) {
        int a = axis < 0 ? axis + x.shape.length + 1 : axis;
        int[] s = new int[x.shape.length + 1];
        for (int i = 0, j = 0; i < s.length; i++) s[i] = i == a ? 1 : x.shape[j++];
        return x.reshape(s);
    }

    static Tensor squeeze(Tensor x, int axis) {
        int a = axis(x.shape, axis);
        if (x.shape[a] != 1) throw new IllegalArgumentException("squeeze: axis " + axis + " of " + shapeString(x.shape) + " is not 1");
        return x.reshape(dropAxis(x.shape, a));
    }

    static Tensor permute(Tensor x, int[] order) {
        if (order.length != x.shape.length) {
            throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " for shape " + shapeString(x.shape));
        }
        int[] strides = contiguousStrides(x.shape);
        int[] outShape = new int[order.length];
        int[] srcStrides = new int[order.length];
        int[] inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            int a = axis(x.shape, order[i]);
            outShape[i] = x.shape[a];
            srcStrides[i] = strides[a];
            inverse[a] = i;
        }
        Tensor out = empty(x.backend, outShape);
        x.kernels().copyStrided(x.storage(), 0, srcStrides, out.storage, 0, contiguousStrides(outShape), outShape);
        return record(out, "permute", (i, g) -> g.permute(inverse), x);
    }

    static Tensor transpose(Tensor x, int axis0, int axis1) {
        int[] order = IntStream.range(0, x.shape.length).toArray();
        int a = axis(x.shape, axis0), b = axis(x.shape, axis1);
        order[a] = b;
        order[b] = a;
        return x.permute(order);
    }

    static Tensor expand(Tensor x, int[] target) {
        if (Arrays.equals(target, x.shape)) return x;
        int[] s = broadcastShape("expand", x.shape, target);
        if (!Arrays.equals(s, target)) {
            throw new IllegalArgumentException("expand: " + shapeString(x.shape) + " cannot expand to " + shapeString(target));
        }
        Tensor out = empty(x.backend, s);
        x.kernels().copyStrided(x.storage(), 0, broadcastStrides(x.shape, s), out.storage, 0, contiguousStrides(s), s);
        return record(out, "expand", (i, g) -> g.sumTo(x.shape), x);
    }

    /** Sums the axes that broadcasting added or stretched from 1. */
    static Tensor sumTo(Tensor x, int[] target) {
        if (Arrays.equals(target, x.shape)) return x;
        int lead = x.shape.length - target.length;
        int[] axes = IntStream.range(0, x.shape.length)
                .filter(a -> a < lead || (target[a - lead] == 1 && x.shape[a] != 1)).toArray();
        return x.sum(axes, true).reshape(target);
    }

    static Tensor crop(Tensor x, int[] start, int[] size) {
        int[] shape = x.shape;
        if (start.length != shape.length || size.length != shape.length) {
            throw new IllegalArgumentException("crop: start/size rank differs from " + shapeString(shape));
        }
        int[] strides = contiguousStrides(shape);
        int offset = 0;
        int[] after = new int[shape.length];
        for (int a = 0; a < shape.length; a++) {
            if (start[a] < 0 || size[a] < 0 || start[a] + size[a] > shape[a]) {
                throw new IndexOutOfBoundsException("crop: " + size[a] + " values from " + start[a] + " on axis " + a
                        + " of " + shapeString(shape));
            }
            offset += start[a] * strides[a];
            after[a] = shape[a] - start[a] - size[a];
        }
        Tensor out = empty(x.backend, size.clone());
        x.kernels().copyStrided(x.storage(), offset, strides, out.storage, 0, contiguousStrides(size), size);
        return record(out, "crop", (i, g) -> g.pad(start, after, 0f), x);
    }

    static Tensor pad(Tensor x, int[] before, int[] after, float value) {
        int[] s = x.shape.clone();
        for (int a = 0; a < s.length; a++) s[a] += before[a] + after[a];
        int[] strides = contiguousStrides(s);
        int offset = 0;
        for (int a = 0; a < s.length; a++) offset += before[a] * strides[a];
        Tensor out = empty(x.backend, s);
        if (value != 0f) x.kernels().fill(out.storage, out.numel(), value);
        x.kernels().copyStrided(x.storage(), 0, contiguousStrides(x.shape), out.storage, offset, strides, x.shape);
        return record(out, "pad", (i, g) -> g.crop(before, x.shape), x);
    }

    static Tensor slice(Tensor x, int axis, int start, int end) {
        int a = axis(x.shape, axis);
        int[] from = new int[x.shape.length];
        int[] size = x.shape.clone();
        from[a] = start;
        size[a] = end - start;
        return x.crop(from, size);
    }

    static Tensor[] split(Tensor x, int axis, int[] sizes) {
        int a = axis(x.shape, axis);
        if (IntStream.of(sizes).sum() != x.shape[a]) {
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " do not add up to axis " + a
                    + " of " + shapeString(x.shape));
        }
        Tensor[] parts = new Tensor[sizes.length];
        for (int k = 0, at = 0; k < sizes.length; at += sizes[k++]) parts[k] = x.slice(a, at, at + sizes[k]);
        return parts;
    }

    static Tensor concat(int axis, Tensor[] parts) {
        Tensor first = parts[0];
        int a = axis(first.shape, axis);
        int[] s = first.shape.clone();
        s[a] = 0;
        for (Tensor p : parts) {
            for (int d = 0; d < s.length; d++) {
                if (p.dim() != s.length || (d != a && p.shape[d] != first.shape[d])) {
                    throw new IllegalArgumentException("concat: shapes " + shapeString(first.shape) + " and "
                            + shapeString(p.shape) + " differ outside axis " + a);
                }
            }
            s[a] += p.shape[a];
        }
        Tensor out = empty(first.backend, s);
        int[] strides = contiguousStrides(s);
        int[] offsets = new int[parts.length];
        for (int k = 0, at = 0; k < parts.length; at += parts[k++].shape[a]) {
            offsets[k] = at;
            first.kernels().copyStrided(parts[k].storage(), 0, contiguousStrides(parts[k].shape), out.storage,
                    at * strides[a], strides, parts[k].shape);
        }
        return record(out, "concat", (i, g) -> g.slice(a, offsets[i], offsets[i] + parts[i].shape[a]), parts);
    }

    static Tensor indexSelect(Tensor x, int axis, int[] index) {
        int a = axis(x.shape, axis);
        for (int k : index) {
            if (k < 0 || k >= x.shape[a]) {
                throw new IndexOutOfBoundsException("indexSelect: index " + k + " out of range for axis " + a + " of " + shapeString(x.shape));
            }
        }
        int[] s = x.shape.clone();
        s[a] = index.length;
        Tensor out = empty(x.backend, s);
        x.kernels().indexSelect(x.storage(), out.storage, numel(Arrays.copyOf(x.shape, a)), x.shape[a],
                numel(Arrays.copyOfRange(x.shape, a + 1, x.shape.length)), index);
        int length = x.shape[a];
        return record(out, "indexSelect", (i, g) -> g.indexAdd(a, index, length), x);
    }

    static Tensor indexAdd(Tensor x, int axis, int[] index, int length) {
        int a = axis(x.shape, axis);
        int[] s = x.shape.clone();
        s[a] = length;
        Tensor out = empty(x.backend, s);
        x.kernels().indexAdd(x.storage(), out.storage, numel(Arrays.copyOf(x.shape, a)), length,
                numel(Arrays.copyOfRange(x.shape, a + 1, x.shape.length)), index);
        return record(out, "indexAdd", (i, g) -> g.indexSelect(a, index), x);
    }
}
