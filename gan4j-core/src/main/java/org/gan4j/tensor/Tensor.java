package org.gan4j.tensor;

import static org.gan4j.tensor.Shapes.SCALAR;
import static org.gan4j.tensor.Shapes.checkShape;
import static org.gan4j.tensor.Shapes.contiguousStrides;

import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A float32 array of any rank, contiguous and row-major (images are NCHW), on one backend.
 *
 * <p>Every op returns a new tensor. When an input requires a gradient the op records how to
 * differentiate itself. The ops live by family, each forward computation next to its local
 * derivative: {@code ElementwiseOps}, {@code ReductionOps}, {@code ShapeOps}, {@code MatrixOps}
 * and {@code NormOps}; the derivatives are written with tensor ops so that they can be
 * differentiated again. This class holds the data, the autograd bookkeeping and the entry points.
 */
public final class Tensor {
    // read directly by the op families in this package (ElementwiseOps, ShapeOps, ...)
    final Backend backend;
    final Storage storage;
    final int[] shape;
    private boolean requiresGrad;
    private Tensor grad;
    /** zeroGrad() was called: grad's memory is kept, and the next gradient overwrites it instead of adding. */
    private boolean gradZeroed;
    private Autograd.Node node;

    private Tensor(Backend backend, Storage storage, int[] shape) {
        this.backend = backend;
        this.storage = storage;
        this.shape = shape;
    }

    // ---- creation ---------------------------------------------------------------------

    /** A new tensor on the default backend holding a copy of {@code data}. */
    public static Tensor of(float[] data, int... shape) {
        checkShape(shape);
        if (numel(shape) != data.length) {
            throw new IllegalArgumentException("of: " + data.length + " values cannot fill shape " + shapeString(shape));
        }
        Backend b = Backends.defaultBackend();
        Storage s = Replay.kernels(b).fromArray(data);
        Scope.register(b, s);
        return new Tensor(b, s, shape.clone());
    }

    public static Tensor scalar(float value) {
        return of(new float[] {value});
    }

    public static Tensor zeros(int... shape) {
        return empty(Backends.defaultBackend(), shape.clone());
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        if (value != 0f) t.kernels().fill(t.storage, t.numel(), value);
        return t;
    }

    public static Tensor zerosLike(Tensor t) {
        return empty(t.backend, t.shape);
    }

    public static Tensor onesLike(Tensor t) {
        Tensor o = empty(t.backend, t.shape);
        t.kernels().fill(o.storage, o.numel(), 1f);
        return o;
    }

    /** 0, 1, ..., n-1. */
    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /** start, start + step, ... while below end (above end for a negative step). */
    public static Tensor arange(float start, float end, float step) {
        int n = Math.max(0, (int) Math.ceil((end - start) / step));
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = start + i * step;
        return of(v, n);
    }

    /** Standard normal noise from {@code rng}. */
    public static Tensor randn(Rng rng, int... shape) {
        return random(Distribution.NORMAL, rng, shape);
    }

    /** Uniform noise in (0, 1) from {@code rng}. */
    public static Tensor rand(Rng rng, int... shape) {
        return random(Distribution.UNIFORM, rng, shape);
    }

    /** 1 with probability p, else 0. */
    public static Tensor bernoulli(Rng rng, float p, int... shape) {
        return rand(rng, shape).lt(p);
    }

    private static Tensor random(Distribution dist, Rng rng, int[] shape) {
        Tensor t = output(Backends.defaultBackend(), shape.clone());
        Backend b = t.backend;
        Storage s = t.storage;
        int n = t.numel();
        // the draw takes the generator's next counters, so a replayed step draws again rather than reusing them
        Replay.live(() -> b.random(dist, s, n, rng.seed(), rng.stream(), rng.advance(n)));
        return t;
    }

    /** A fresh zero-filled tensor owned by the current scope. */
    static Tensor empty(Backend backend, int[] shape) {
        return allocated(backend, shape, true);
    }

    /** Like {@link #empty}, with unspecified contents: only for outputs the kernel then writes in full. */
    static Tensor output(Backend backend, int[] shape) {
        return allocated(backend, shape, false);
    }

    private static Tensor allocated(Backend backend, int[] shape, boolean zeroed) {
        checkShape(shape);
        Backend kernels = Replay.kernels(backend);
        Storage s = zeroed ? kernels.allocate(numel(shape)) : kernels.allocateUninitialized(numel(shape));
        Scope.register(backend, s);
        return new Tensor(backend, s, shape);
    }

    /** A tensor of the same backend as this one: the way ops and layers make new data. */
    public Tensor newTensor(float[] data, int... shape) {
        if (numel(shape) != data.length) {
            throw new IllegalArgumentException("newTensor: " + data.length + " values cannot fill shape " + shapeString(shape));
        }
        Storage s = kernels().fromArray(data);
        Scope.register(backend, s);
        return new Tensor(backend, s, shape.clone());
    }

    /** A copy of this tensor's values on another backend (no graph). */
    public Tensor to(Backend target) {
        if (target == backend) return this;
        Storage s = Replay.kernels(target).fromArray(toArray());
        Scope.register(target, s);
        return new Tensor(target, s, shape.clone());
    }

    // ---- inspection ---------------------------------------------------------------------

    public int[] shape() {
        return shape.clone();
    }

    public int dim() {
        return shape.length;
    }

    /** Size of an axis; negative axes count from the end. */
    public int size(int axis) {
        return shape[Shapes.axis(shape, axis)];
    }

    public int numel() {
        return numel(shape);
    }

    public Backend backend() {
        return backend;
    }

    /** The backend's kernels, as ops call them: through the recorder while a step is being recorded. */
    Backend kernels() {
        return Replay.kernels(backend);
    }

    /** The memory, for kernels and fused fast paths; fails if its scope has closed. */
    public Storage storage() {
        storage.checkLive();
        return storage;
    }

    public float[] toArray() {
        float[] out = new float[numel()];
        kernels().read(storage(), out);
        return out;
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (numel() != 1) throw new IllegalStateException("item: tensor of shape " + shapeString(shape) + " has " + numel() + " values");
        return toArray()[0];
    }

    /** Marks this tensor's memory as outliving the current scope. */
    public Tensor keep() {
        storage.keep();
        return this;
    }

    /** Throws, naming {@code what}, if any value is NaN or infinite. */
    public Tensor checkFinite(String what) {
        if (!allFinite()) {
            throw new ArithmeticException(what + ": " + nonFiniteCount() + " of " + numel() + " values of the "
                    + shapeString(shape) + " tensor are NaN or infinite");
        }
        return this;
    }

    /**
     * Whether no value is NaN or infinite. One pass when they all are finite: a NaN or infinity
     * makes the sum non-finite, and only then (finite values can overflow it too) are they counted.
     */
    public boolean allFinite() {
        Tensor total = output(backend, SCALAR);
        kernels().reduce(ReduceOp.SUM, storage(), total.storage, 1, numel(), 1);
        return Float.isFinite(total.item()) || nonFiniteCount() == 0;
    }

    /** How many values are NaN or infinite. */
    public long nonFiniteCount() {
        // kernels only: this runs inside every op when anomaly mode is on
        Tensor flags = ElementwiseOps.unaryKernel(this, UnaryOp.NON_FINITE, 0f);
        Tensor count = empty(backend, SCALAR);
        kernels().reduce(ReduceOp.SUM, flags.storage, count.storage, 1, numel(), 1);
        return (long) count.item();
    }

    @Override
    public String toString() {
        float[] v = toArray();
        String values = IntStream.range(0, Math.min(v.length, 8)).mapToObj(i -> Float.toString(v[i]))
                .collect(Collectors.joining(", "));
        return "Tensor" + shapeString(shape) + "[" + values + (v.length > 8 ? ", ..." : "") + "]"
                + (requiresGrad ? " requiresGrad" : "");
    }

    // ---- autograd ------------------------------------------------------------------------

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Makes this leaf track gradients (or stop tracking them, e.g. to freeze a network). */
    public Tensor requiresGrad(boolean on) {
        if (node != null) throw new IllegalStateException("requiresGrad can only be set on leaf tensors, not on the output of " + node.op());
        requiresGrad = on;
        return this;
    }

    public boolean isLeaf() {
        return node == null;
    }

    Autograd.Node node() {
        return node;
    }

    /** The op that produced this tensor, or null for a leaf. */
    public String op() {
        return node == null ? null : node.op();
    }

    /** The accumulated gradient of a leaf, or null before any backward pass reached it. */
    public Tensor grad() {
        if (gradZeroed) {
            kernels().fill(grad.storage(), grad.numel(), 0f);
            gradZeroed = false;
        }
        return grad;
    }

    /** Replaces the gradient (used by gradient clipping and optimizers' tests). */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("setGrad: gradient " + shapeString(g.shape) + " for tensor " + shapeString(shape));
        }
        grad = g;
        gradZeroed = false;
    }

    /**
     * Zeroes the gradient, keeping its memory for the next step. The zeros are written only if
     * the gradient is read before a backward pass reaches this tensor, which overwrites it.
     */
    public void zeroGrad() {
        gradZeroed = grad != null;
    }

    /** The same values with no history: gradients stop here. */
    public Tensor detach() {
        return view(shape);
    }

    /** The same memory in another shape, with no history. */
    Tensor view(int[] newShape) {
        return new Tensor(backend, storage, newShape);
    }

    /** A copy of the values in new memory, with no history: for state that must outlive in-place updates. */
    public Tensor copy() {
        return output(backend, shape).assign(this);
    }

    /** Backpropagates from this one-element tensor into every leaf that requires a gradient. */
    public void backward() {
        if (numel() != 1) throw new IllegalStateException("backward: output of shape " + shapeString(shape)
                + " is not a scalar; pass the gradient of the final result with backward(seed)");
        Autograd.backward(this, onesLike(this));
    }

    public void backward(Tensor seed) {
        Shapes.requireSameShape("backward", shape, seed.shape);
        Autograd.backward(this, seed);
    }

    void accumulateGrad(Tensor g) {
        if (grad == null) {
            grad = Scope.outside(g::copy);
        } else if (gradZeroed) {
            grad.assign(g);
            gradZeroed = false;
        } else {
            kernels().binary(BinaryOp.ADD, grad.storage(), contiguousStrides(shape), g.storage(), contiguousStrides(shape),
                    grad.storage(), shape);
        }
    }

    /** Records the op on its output when any input requires a gradient and grad mode is on. */
    static Tensor record(Tensor out, String op, Autograd.GradFn fn, Tensor... inputs) {
        if (Autograd.isGradEnabled()) {
            for (Tensor in : inputs) {
                if (in.requiresGrad) {
                    out.requiresGrad = true;
                    out.node = new Autograd.Node(op, inputs, fn);
                    break;
                }
            }
        }
        if (Autograd.anomalyMode()) out.checkFinite(op);
        return out;
    }

    /** Overwrites this tensor's values with src's (same shape); not recorded by autograd. */
    public Tensor assign(Tensor src) {
        Shapes.requireSameShape("assign", shape, src.shape);
        int[] strides = contiguousStrides(shape);
        kernels().copyStrided(src.storage(), 0, strides, storage(), 0, strides, shape);
        return this;
    }

    // ---- elementwise: ElementwiseOps ---------------------------------------------------------

    public Tensor add(Tensor b) { return ElementwiseOps.add(this, b); }
    public Tensor sub(Tensor b) { return ElementwiseOps.sub(this, b); }
    public Tensor mul(Tensor b) { return ElementwiseOps.mul(this, b); }
    public Tensor div(Tensor b) { return ElementwiseOps.div(this, b); }
    /** a ^ b elementwise. */
    public Tensor pow(Tensor b) { return ElementwiseOps.pow(this, b); }
    /** Elementwise maximum; where both are equal each gets half the gradient, as in PyTorch. */
    public Tensor maximum(Tensor b) { return ElementwiseOps.maximum(this, b); }
    public Tensor minimum(Tensor b) { return neg().maximum(b.neg()).neg(); }
    /** cond ? a : b, broadcasting all three; cond is read as a mask (non-zero = true). */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return ElementwiseOps.where(cond, a, b); }

    public Tensor add(float s) { return ElementwiseOps.add(this, s); }
    public Tensor sub(float s) { return add(-s); }
    public Tensor mul(float s) { return ElementwiseOps.mul(this, s); }
    public Tensor div(float s) { return mul(1f / s); }
    /** s / x. */
    public Tensor rdiv(float s) { return ElementwiseOps.rdiv(this, s); }
    /** x ^ p. */
    public Tensor pow(float p) { return ElementwiseOps.pow(this, p); }
    public Tensor neg() { return ElementwiseOps.neg(this); }
    public Tensor exp() { return ElementwiseOps.exp(this); }
    public Tensor log() { return ElementwiseOps.log(this); }
    public Tensor sqrt() { return ElementwiseOps.sqrt(this); }
    public Tensor abs() { return ElementwiseOps.abs(this); }
    /** -1, 0 or 1; a step function, so no gradient flows through it. */
    public Tensor sign() { return ElementwiseOps.sign(this); }
    /** Limits values to [min, max]; the gradient passes where min ≤ x ≤ max, as in PyTorch. */
    public Tensor clamp(float min, float max) { return ElementwiseOps.clamp(this, min, max); }

    public Tensor relu() { return ElementwiseOps.relu(this); }
    public Tensor leakyRelu(float slope) { return ElementwiseOps.leakyRelu(this, slope); }
    public Tensor tanh() { return ElementwiseOps.tanh(this); }
    public Tensor sigmoid() { return ElementwiseOps.sigmoid(this); }
    /** log(1 + e^x), computed stably. */
    public Tensor softplus() { return ElementwiseOps.softplus(this); }
    /** log(sigmoid(x)) = -softplus(-x), stable for large |x|. */
    public Tensor logSigmoid() { return neg().softplus().neg(); }

    // comparisons: masks of 0 and 1, never differentiated
    public Tensor gt(Tensor b) { return ElementwiseOps.binaryKernel("gt", BinaryOp.GT, this, b); }
    public Tensor ge(Tensor b) { return ElementwiseOps.binaryKernel("ge", BinaryOp.GE, this, b); }
    public Tensor lt(Tensor b) { return ElementwiseOps.binaryKernel("lt", BinaryOp.LT, this, b); }
    public Tensor le(Tensor b) { return ElementwiseOps.binaryKernel("le", BinaryOp.LE, this, b); }
    public Tensor eq(Tensor b) { return ElementwiseOps.binaryKernel("eq", BinaryOp.EQ, this, b); }
    public Tensor gt(float s) { return ElementwiseOps.unaryKernel(this, UnaryOp.GT_SCALAR, s); }
    public Tensor lt(float s) { return ElementwiseOps.unaryKernel(this, UnaryOp.LT_SCALAR, s); }

    // ---- reductions: ReductionOps ------------------------------------------------------------

    /** Sum of every value, as a scalar (shape []). */
    public Tensor sumAll() { return reshape(numel()).sum(0, false); }
    public Tensor meanAll() { return sumAll().mul(1f / numel()); }
    public Tensor sum(int axis, boolean keepDim) { return ReductionOps.sum(this, axis, keepDim); }
    /** Sum over several axes. */
    public Tensor sum(int[] axes, boolean keepDim) { return ReductionOps.sum(this, axes, keepDim); }
    public Tensor mean(int axis, boolean keepDim) { return sum(axis, keepDim).mul(1f / shape[Shapes.axis(shape, axis)]); }
    public Tensor mean(int[] axes, boolean keepDim) { return ReductionOps.mean(this, axes, keepDim); }
    /** Variance over the axes; unbiased divides by n - 1 as torch.var does by default. */
    public Tensor var(int[] axes, boolean unbiased, boolean keepDim) { return ReductionOps.var(this, axes, unbiased, keepDim); }
    /** Maximum along an axis; the gradient goes to the first maximum, as torch.max(dim) does. */
    public Tensor max(int axis, boolean keepDim) { return ReductionOps.max(this, axis, keepDim); }
    public Tensor min(int axis, boolean keepDim) { return neg().max(axis, keepDim).neg(); }
    /** Index of the first maximum along an axis (as floats; no gradient). */
    public Tensor argmax(int axis, boolean keepDim) { return ReductionOps.argmax(this, axis, keepDim); }
    public Tensor logsumexp(int axis, boolean keepDim) { return ReductionOps.logsumexp(this, axis, keepDim); }
    public Tensor softmax(int axis) { return sub(logsumexp(axis, true)).exp(); }
    public Tensor logSoftmax(int axis) { return sub(logsumexp(axis, true)); }

    // ---- shape: ShapeOps ----------------------------------------------------------------------

    /** The same values in another shape (one axis may be -1); shares memory, no copy. */
    public Tensor reshape(int... newShape) { return ShapeOps.reshape(this, newShape); }
    /** Flattens the axes from {@code startAxis} on into one. */
    public Tensor flatten(int startAxis) { return ShapeOps.flatten(this, startAxis); }
    public Tensor unsqueeze(int axis) { return ShapeOps.unsqueeze(this, axis); }
    public Tensor squeeze(int axis) { return ShapeOps.squeeze(this, axis); }
    /** Reorders the axes: out axis i is input axis {@code order[i]}. */
    public Tensor permute(int... order) { return ShapeOps.permute(this, order); }
    public Tensor transpose(int axis0, int axis1) { return ShapeOps.transpose(this, axis0, axis1); }
    /** Repeats size-1 axes (and new leading axes) to reach {@code target}. */
    public Tensor expand(int... target) { return ShapeOps.expand(this, target); }
    /** Sums broadcast axes away to reach {@code target}: the adjoint of {@link #expand}. */
    public Tensor sumTo(int[] target) { return ShapeOps.sumTo(this, target); }
    /** The block of {@code size} values starting at {@code start} on each axis. */
    public Tensor crop(int[] start, int[] size) { return ShapeOps.crop(this, start, size); }
    /** Adds {@code before[a]} and {@code after[a]} entries of {@code value} around each axis a. */
    public Tensor pad(int[] before, int[] after, float value) { return ShapeOps.pad(this, before, after, value); }
    /** Entries [start, end) along one axis. */
    public Tensor slice(int axis, int start, int end) { return ShapeOps.slice(this, axis, start, end); }
    /** Consecutive pieces along an axis with the given sizes (they must add up to the axis). */
    public Tensor[] split(int axis, int... sizes) { return ShapeOps.split(this, axis, sizes); }
    /** Joins tensors along an axis; all other axes must agree. */
    public static Tensor concat(int axis, Tensor... parts) { return ShapeOps.concat(axis, parts); }
    /** Entries {@code index[0], index[1], ...} along an axis. */
    public Tensor indexSelect(int axis, int[] index) { return ShapeOps.indexSelect(this, axis, index); }
    /** The adjoint of indexSelect: entry k of this tensor is added at {@code index[k]} of an axis of {@code length}. */
    public Tensor indexAdd(int axis, int[] index, int length) { return ShapeOps.indexAdd(this, axis, index, length); }

    // ---- matrix products and convolution primitives: MatrixOps -------------------------------

    /**
     * Matrix product over the last two axes, NumPy style: [m, k] @ [k, n], and batches
     * [..., m, k] @ [..., k, n] where either side's batch axes may be absent or all 1 (shared).
     */
    public Tensor matmul(Tensor b) { return MatrixOps.matmul(this, b); }

    /**
     * Batched op(A) · op(B) over 3-D tensors [batch or 1, rows, cols]; a batch of 1 is shared by
     * every product. With {@code sumBatch} the products are added into one [1, m, n] result.
     */
    public static Tensor bmm(Tensor a, boolean transA, Tensor b, boolean transB, boolean sumBatch) {
        return MatrixOps.bmm(a, transA, b, transB, sumBatch);
    }

    /**
     * {@code activation(op(a)·op(b) + bias)} reshaped to {@code shape}, in one pass over the product's
     * output: bias (or null) has one value per row of the product (perRow) or per column; activation
     * is null, RELU or LEAKY_RELU with slope ≥ 0. The same values and gradients as the separate ops.
     */
    public static Tensor bmmBiasActivation(Tensor a, boolean transA, Tensor b, boolean transB, int[] shape,
                                           Tensor bias, boolean perRow, UnaryOp activation, float slope) {
        return MatrixOps.bmmBiasActivation(a, transA, b, transB, shape, bias, perRow, activation, slope);
    }

    /** Image patches as columns: [n, c, h, w] → [n, c·kh·kw, oh·ow] (zero padding). */
    public Tensor unfold(ConvGeometry g) { return MatrixOps.unfold(this, g); }
    /** The adjoint of unfold: columns [n, c·kh·kw, oh·ow] summed back into [n, c, h, w]. */
    public Tensor fold(ConvGeometry g) { return MatrixOps.fold(this, g); }

    // ---- batch normalization: NormOps -----------------------------------------------------------

    /** The mean and the biased variance of each channel (axis 1) over every other axis, each [c]; not recorded. */
    public Tensor[] channelMoments() { return NormOps.channelMoments(this); }

    /**
     * Batch normalization, (x − mean)/√(var + eps)·weight + bias for each channel (axis 1), in one
     * pass over x; weight and bias ([c]) may be null. With {@code batchStatistics}, mean and var
     * ([c]) are x's own ({@link #channelMoments}) and the gradient flows through them too;
     * otherwise they are constants (running statistics). The first-order gradient takes two
     * passes over the output gradient; a gradient that is to be differentiated again is built
     * from the ordinary ops instead.
     */
    public static Tensor batchNorm(Tensor x, Tensor mean, Tensor var, Tensor weight, Tensor bias, float eps,
                                   boolean batchStatistics) {
        return NormOps.batchNorm(x, mean, var, weight, bias, eps, batchStatistics);
    }

    // ---- shapes ----------------------------------------------------------------------------------

    public static int numel(int[] shape) { return Shapes.numel(shape); }
    public static String shapeString(int[] shape) { return Shapes.shapeString(shape); }

    void requireSameBackend(String op, Tensor other) {
        if (backend != other.backend) {
            throw new IllegalArgumentException(op + ": tensors on different devices (" + backend.name() + " and "
                    + other.backend.name() + ")");
        }
    }
}
