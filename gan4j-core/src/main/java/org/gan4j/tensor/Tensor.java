package org.gan4j.tensor;

import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A float32 array of any rank, contiguous and row-major (images are NCHW), on one backend.
 *
 * <p>Every op returns a new tensor. When an input requires a gradient the op records how to
 * differentiate itself: its forward computation and its local derivative sit side by side
 * below, and the derivative is written with tensor ops so that it can be differentiated again.
 */
public final class Tensor {
    private static final int[] SCALAR = new int[0];

    private final Backend backend;
    private final Storage storage;
    private final int[] shape;
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
        Storage s = b.fromArray(data);
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
        if (value != 0f) t.backend.fill(t.storage, t.numel(), value);
        return t;
    }

    public static Tensor zerosLike(Tensor t) {
        return empty(t.backend, t.shape);
    }

    public static Tensor onesLike(Tensor t) {
        Tensor o = empty(t.backend, t.shape);
        t.backend.fill(o.storage, o.numel(), 1f);
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
        Tensor t = zeros(shape);
        t.backend.random(dist, t.storage, t.numel(), rng.seed(), rng.stream(), rng.advance(t.numel()));
        return t;
    }

    /** A fresh zero-filled tensor owned by the current scope. */
    static Tensor empty(Backend backend, int[] shape) {
        return allocated(backend, shape, true);
    }

    /** Like {@link #empty}, with unspecified contents: only for outputs the kernel then writes in full. */
    private static Tensor output(Backend backend, int[] shape) {
        return allocated(backend, shape, false);
    }

    private static Tensor allocated(Backend backend, int[] shape, boolean zeroed) {
        checkShape(shape);
        Storage s = zeroed ? backend.allocate(numel(shape)) : backend.allocateUninitialized(numel(shape));
        Scope.register(backend, s);
        return new Tensor(backend, s, shape);
    }

    /** A tensor of the same backend as this one: the way ops and layers make new data. */
    public Tensor newTensor(float[] data, int... shape) {
        if (numel(shape) != data.length) {
            throw new IllegalArgumentException("newTensor: " + data.length + " values cannot fill shape " + shapeString(shape));
        }
        Storage s = backend.fromArray(data);
        Scope.register(backend, s);
        return new Tensor(backend, s, shape.clone());
    }

    /** A copy of this tensor's values on another backend (no graph). */
    public Tensor to(Backend target) {
        if (target == backend) return this;
        Storage s = target.fromArray(toArray());
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
        return shape[axis(axis)];
    }

    public int numel() {
        return numel(shape);
    }

    public Backend backend() {
        return backend;
    }

    /** The memory, for kernels and fused fast paths; fails if its scope has closed. */
    public Storage storage() {
        storage.checkLive();
        return storage;
    }

    public float[] toArray() {
        float[] out = new float[numel()];
        backend.read(storage(), out);
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
        backend.reduce(ReduceOp.SUM, storage(), total.storage, 1, numel(), 1);
        return Float.isFinite(total.item()) || nonFiniteCount() == 0;
    }

    /** How many values are NaN or infinite. */
    public long nonFiniteCount() {
        // kernels only: this runs inside every op when anomaly mode is on
        Tensor flags = unaryKernel(UnaryOp.NON_FINITE, 0f);
        Tensor count = empty(backend, SCALAR);
        backend.reduce(ReduceOp.SUM, flags.storage, count.storage, 1, numel(), 1);
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
            backend.fill(grad.storage(), grad.numel(), 0f);
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
        return new Tensor(backend, storage, shape);
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
        requireSameShape("backward", seed);
        Autograd.backward(this, seed);
    }

    void accumulateGrad(Tensor g) {
        if (grad == null) {
            grad = Scope.outside(g::copy);
        } else if (gradZeroed) {
            grad.assign(g);
            gradZeroed = false;
        } else {
            backend.binary(BinaryOp.ADD, grad.storage(), contiguousStrides(shape), g.storage(), contiguousStrides(shape),
                    grad.storage(), shape);
        }
    }

    /** Records the op on its output when any input requires a gradient and grad mode is on. */
    private static Tensor record(Tensor out, String op, Autograd.GradFn fn, Tensor... inputs) {
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
        requireSameShape("assign", src);
        int[] strides = contiguousStrides(shape);
        backend.copyStrided(src.storage(), 0, strides, storage(), 0, strides, shape);
        return this;
    }

    // ---- elementwise ---------------------------------------------------------------------

    private Tensor unaryKernel(UnaryOp op, float p) {
        Tensor out = output(backend, shape);
        backend.unary(op, p, storage(), out.storage, numel());
        return out;
    }

    private static Tensor binaryKernel(String name, BinaryOp op, Tensor a, Tensor b) {
        a.requireSameBackend(name, b);
        int[] s = broadcastShape(name, a.shape, b.shape);
        Tensor out = output(a.backend, s);
        a.backend.binary(op, a.storage(), broadcastStrides(a.shape, s), b.storage(), broadcastStrides(b.shape, s), out.storage, s);
        return out;
    }

    public Tensor add(Tensor b) {
        Tensor a = this;
        return record(binaryKernel("add", BinaryOp.ADD, a, b), "add",
                (i, g) -> g.sumTo(i == 0 ? a.shape : b.shape), a, b);
    }

    public Tensor sub(Tensor b) {
        Tensor a = this;
        return record(binaryKernel("sub", BinaryOp.SUB, a, b), "sub",
                (i, g) -> i == 0 ? g.sumTo(a.shape) : g.neg().sumTo(b.shape), a, b);
    }

    public Tensor mul(Tensor b) {
        Tensor a = this;
        return record(binaryKernel("mul", BinaryOp.MUL, a, b), "mul",
                (i, g) -> i == 0 ? g.mul(b).sumTo(a.shape) : g.mul(a).sumTo(b.shape), a, b);
    }

    public Tensor div(Tensor b) {
        Tensor a = this;
        return record(binaryKernel("div", BinaryOp.DIV, a, b), "div",
                (i, g) -> i == 0 ? g.div(b).sumTo(a.shape) : g.mul(a).div(b.mul(b)).neg().sumTo(b.shape), a, b);
    }

    /** a ^ b elementwise. */
    public Tensor pow(Tensor b) {
        Tensor a = this;
        Tensor out = binaryKernel("pow", BinaryOp.POW, a, b);
        return record(out, "pow", (i, g) -> i == 0
                ? g.mul(b).mul(a.pow(b.sub(1f))).sumTo(a.shape)
                : g.mul(out).mul(a.log()).sumTo(b.shape), a, b);
    }

    /** Elementwise maximum; where both are equal each gets half the gradient, as in PyTorch. */
    public Tensor maximum(Tensor b) {
        Tensor a = this;
        return record(binaryKernel("maximum", BinaryOp.MAX, a, b), "maximum", (i, g) -> {
            Tensor share = (i == 0 ? a.gt(b) : b.gt(a)).add(a.eq(b).mul(0.5f));
            return g.mul(share).sumTo(i == 0 ? a.shape : b.shape);
        }, a, b);
    }

    public Tensor minimum(Tensor b) {
        return neg().maximum(b.neg()).neg();
    }

    public Tensor add(float s) {
        return record(unaryKernel(UnaryOp.ADD_SCALAR, s), "add", (i, g) -> g, this);
    }

    public Tensor sub(float s) {
        return add(-s);
    }

    public Tensor mul(float s) {
        return record(unaryKernel(UnaryOp.MUL_SCALAR, s), "mul", (i, g) -> g.mul(s), this);
    }

    public Tensor div(float s) {
        return mul(1f / s);
    }

    /** s / x. */
    public Tensor rdiv(float s) {
        Tensor x = this;
        Tensor out = unaryKernel(UnaryOp.RDIV_SCALAR, s);
        return record(out, "rdiv", (i, g) -> g.mul(out).div(x).neg(), x);
    }

    /** x ^ p. */
    public Tensor pow(float p) {
        Tensor x = this;
        return record(unaryKernel(UnaryOp.POW_SCALAR, p), "pow", (i, g) -> g.mul(x.pow(p - 1f).mul(p)), x);
    }

    public Tensor neg() {
        return record(unaryKernel(UnaryOp.NEG, 0f), "neg", (i, g) -> g.neg(), this);
    }

    public Tensor exp() {
        Tensor out = unaryKernel(UnaryOp.EXP, 0f);
        return record(out, "exp", (i, g) -> g.mul(out), this);
    }

    public Tensor log() {
        Tensor x = this;
        return record(unaryKernel(UnaryOp.LOG, 0f), "log", (i, g) -> g.div(x), x);
    }

    public Tensor sqrt() {
        Tensor out = unaryKernel(UnaryOp.SQRT, 0f);
        return record(out, "sqrt", (i, g) -> g.div(out.mul(2f)), this);
    }

    public Tensor abs() {
        Tensor x = this;
        return record(unaryKernel(UnaryOp.ABS, 0f), "abs", (i, g) -> g.mul(x.sign()), x);
    }

    /** -1, 0 or 1; a step function, so no gradient flows through it. */
    public Tensor sign() {
        return unaryKernel(UnaryOp.SIGN, 0f);
    }

    /** Limits values to [min, max]; the gradient passes where min ≤ x ≤ max, as in PyTorch. */
    public Tensor clamp(float min, float max) {
        Tensor x = this;
        Tensor out = unaryKernel(UnaryOp.MAX_SCALAR, min);
        backend.unary(UnaryOp.MIN_SCALAR, max, out.storage, out.storage, out.numel());
        return record(out, "clamp", (i, g) -> where(x.lt(min).add(x.gt(max)), g.zero(), g), x);
    }

    /** A scalar 0 on this tensor's backend, to broadcast. */
    private Tensor zero() {
        return empty(backend, SCALAR);
    }

    public Tensor relu() {
        Tensor x = this;
        return record(unaryKernel(UnaryOp.RELU, 0f), "relu", (i, g) -> g.mul(x.unaryKernel(UnaryOp.LEAKY_STEP, 0f)), x);
    }

    public Tensor leakyRelu(float slope) {
        Tensor x = this;
        return record(unaryKernel(UnaryOp.LEAKY_RELU, slope), "leakyRelu",
                (i, g) -> g.mul(x.unaryKernel(UnaryOp.LEAKY_STEP, slope)), x);
    }

    public Tensor tanh() {
        Tensor out = unaryKernel(UnaryOp.TANH, 0f);
        return record(out, "tanh", (i, g) -> g.mul(out.mul(out).neg().add(1f)), this);
    }

    public Tensor sigmoid() {
        Tensor out = unaryKernel(UnaryOp.SIGMOID, 0f);
        return record(out, "sigmoid", (i, g) -> g.mul(out.mul(out.neg().add(1f))), this);
    }

    /** log(1 + e^x), computed stably. */
    public Tensor softplus() {
        Tensor x = this;
        return record(unaryKernel(UnaryOp.SOFTPLUS, 0f), "softplus", (i, g) -> g.mul(x.sigmoid()), x);
    }

    /** log(sigmoid(x)) = -softplus(-x), stable for large |x|. */
    public Tensor logSigmoid() {
        return neg().softplus().neg();
    }

    /** cond ? a : b, broadcasting all three; cond is read as a mask (non-zero = true). */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        int[] s = broadcastShape("where", broadcastShape("where", cond.shape, a.shape), b.shape);
        Tensor out = empty(a.backend, s);
        a.backend.where(cond.storage(), broadcastStrides(cond.shape, s), a.storage(), broadcastStrides(a.shape, s),
                b.storage(), broadcastStrides(b.shape, s), out.storage, s);
        return record(out, "where", (i, g) -> i == 0
                ? where(cond, g, g.zero()).sumTo(a.shape)
                : where(cond, g.zero(), g).sumTo(b.shape), a, b);
    }

    // comparisons: masks of 0 and 1, never differentiated

    public Tensor gt(Tensor b) {
        return binaryKernel("gt", BinaryOp.GT, this, b);
    }

    public Tensor ge(Tensor b) {
        return binaryKernel("ge", BinaryOp.GE, this, b);
    }

    public Tensor lt(Tensor b) {
        return binaryKernel("lt", BinaryOp.LT, this, b);
    }

    public Tensor le(Tensor b) {
        return binaryKernel("le", BinaryOp.LE, this, b);
    }

    public Tensor eq(Tensor b) {
        return binaryKernel("eq", BinaryOp.EQ, this, b);
    }

    public Tensor gt(float s) {
        return unaryKernel(UnaryOp.GT_SCALAR, s);
    }

    public Tensor lt(float s) {
        return unaryKernel(UnaryOp.LT_SCALAR, s);
    }

    // ---- reductions ----------------------------------------------------------------------

    /** Sum of every value, as a scalar (shape []). */
    public Tensor sumAll() {
        return reshape(numel()).sum(0, false);
    }

    public Tensor meanAll() {
        return sumAll().mul(1f / numel());
    }

    public Tensor sum(int axis, boolean keepDim) {
        Tensor x = this;
        int a = axis(axis);
        int[] keptShape = shape.clone();
        keptShape[a] = 1;
        Tensor out = reduceKernel(ReduceOp.SUM, a, keptShape);
        out = record(out, "sum", (i, g) -> g.expand(x.shape), x);
        return keepDim ? out : out.reshape(dropAxis(shape, a));
    }

    /** Sum over several axes. */
    public Tensor sum(int[] axes, boolean keepDim) {
        int[] sorted = normalizeAxes(axes);
        Tensor out = this;
        for (int k = sorted.length - 1; k >= 0; ) {
            // neighbouring axes are summed as one: fewer, longer runs for the kernel
            int first = k;
            while (first > 0 && sorted[first - 1] == sorted[first] - 1) first--;
            int lo = sorted[first], hi = sorted[k];
            if (hi > lo) {
                int[] kept = out.shape.clone();
                for (int a = lo; a <= hi; a++) kept[a] = 1;
                int[] merged = new int[out.shape.length - (hi - lo)];
                for (int a = 0, j = 0; a < out.shape.length; a++) {
                    if (a <= lo || a > hi) merged[j++] = out.shape[a];
                    else merged[j - 1] *= out.shape[a];
                }
                out = out.reshape(merged).sum(lo, true).reshape(kept);
            } else {
                out = out.sum(lo, true);
            }
            k = first - 1;
        }
        return keepDim ? out : out.reshape(dropAxes(shape, sorted));
    }

    public Tensor mean(int axis, boolean keepDim) {
        return sum(axis, keepDim).mul(1f / shape[axis(axis)]);
    }

    public Tensor mean(int[] axes, boolean keepDim) {
        int n = 1;
        for (int a : normalizeAxes(axes)) n *= shape[a];
        return sum(axes, keepDim).mul(1f / n);
    }

    /** Variance over the axes; unbiased divides by n - 1 as torch.var does by default. */
    public Tensor var(int[] axes, boolean unbiased, boolean keepDim) {
        int n = 1;
        for (int a : normalizeAxes(axes)) n *= shape[a];
        Tensor centered = sub(mean(axes, true));
        return centered.mul(centered).sum(axes, keepDim).mul(1f / (unbiased ? n - 1 : n));
    }

    /** Maximum along an axis; the gradient goes to the first maximum, as torch.max(dim) does. */
    public Tensor max(int axis, boolean keepDim) {
        Tensor x = this;
        int a = axis(axis);
        int[] keptShape = shape.clone();
        keptShape[a] = 1;
        Tensor out = record(reduceKernel(ReduceOp.MAX, a, keptShape), "max",
                (i, g) -> g.expand(x.shape).mul(x.argmaxMask(a)), x);
        return keepDim ? out : out.reshape(dropAxis(shape, a));
    }

    public Tensor min(int axis, boolean keepDim) {
        return neg().max(axis, keepDim).neg();
    }

    /** Index of the first maximum along an axis (as floats; no gradient). */
    public Tensor argmax(int axis, boolean keepDim) {
        int a = axis(axis);
        int[] keptShape = shape.clone();
        keptShape[a] = 1;
        Tensor out = reduceKernel(ReduceOp.ARGMAX, a, keptShape);
        return keepDim ? out : out.reshape(dropAxis(shape, a));
    }

    /** 1 at the first maximum along the axis, 0 elsewhere. */
    private Tensor argmaxMask(int a) {
        int[] rangeShape = new int[shape.length];
        Arrays.fill(rangeShape, 1);
        rangeShape[a] = shape[a];
        Tensor positions = arange(shape[a]).to(backend).reshape(rangeShape);
        return positions.eq(argmax(a, true));
    }

    public Tensor logsumexp(int axis, boolean keepDim) {
        Tensor m;
        try (var ng = Autograd.noGrad()) {
            Tensor max = detach().max(axis, true);
            m = where(max.unaryKernel(UnaryOp.NON_FINITE, 0f), max.zero(), max);   // all -inf rows stay -inf
        }
        Tensor out = sub(m).exp().sum(axis, true).log().add(m);
        return keepDim ? out : out.reshape(dropAxis(shape, axis(axis)));
    }

    public Tensor softmax(int axis) {
        return sub(logsumexp(axis, true)).exp();
    }

    public Tensor logSoftmax(int axis) {
        return sub(logsumexp(axis, true));
    }

    private Tensor reduceKernel(ReduceOp op, int a, int[] outShape) {
        int outer = numel(Arrays.copyOfRange(shape, 0, a));
        int inner = numel(Arrays.copyOfRange(shape, a + 1, shape.length));
        Tensor out = empty(backend, outShape);
        backend.reduce(op, storage(), out.storage, outer, shape[a], inner);
        return out;
    }

    // ---- shape ------------------------------------------------------------------------------

    /** The same values in another shape (one axis may be -1); shares memory, no copy. */
    public Tensor reshape(int... newShape) {
        int[] s = inferShape(newShape);
        Tensor x = this;
        Tensor out = new Tensor(backend, storage, s);
        return record(out, "reshape", (i, g) -> g.reshape(x.shape), x);
    }

    /** Flattens the axes from {@code startAxis} on into one. */
    public Tensor flatten(int startAxis) {
        int a = axis(startAxis);
        int[] s = Arrays.copyOf(shape, a + 1);
        s[a] = numel(Arrays.copyOfRange(shape, a, shape.length));
        return reshape(s);
    }

    public Tensor unsqueeze(int axis) {
        int a = axis < 0 ? axis + shape.length + 1 : axis;
        int[] s = new int[shape.length + 1];
        for (int i = 0, j = 0; i < s.length; i++) s[i] = i == a ? 1 : shape[j++];
        return reshape(s);
    }

    public Tensor squeeze(int axis) {
        int a = axis(axis);
        if (shape[a] != 1) throw new IllegalArgumentException("squeeze: axis " + axis + " of " + shapeString(shape) + " is not 1");
        return reshape(dropAxis(shape, a));
    }

    /** Reorders the axes: out axis i is input axis {@code order[i]}. */
    public Tensor permute(int... order) {
        if (order.length != shape.length) {
            throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " for shape " + shapeString(shape));
        }
        int[] strides = contiguousStrides(shape);
        int[] outShape = new int[order.length];
        int[] srcStrides = new int[order.length];
        int[] inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            int a = axis(order[i]);
            outShape[i] = shape[a];
            srcStrides[i] = strides[a];
            inverse[a] = i;
        }
        Tensor out = empty(backend, outShape);
        backend.copyStrided(storage(), 0, srcStrides, out.storage, 0, contiguousStrides(outShape), outShape);
        return record(out, "permute", (i, g) -> g.permute(inverse), this);
    }

    public Tensor transpose(int axis0, int axis1) {
        int[] order = IntStream.range(0, shape.length).toArray();
        int a = axis(axis0), b = axis(axis1);
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** Repeats size-1 axes (and new leading axes) to reach {@code target}. */
    public Tensor expand(int... target) {
        if (Arrays.equals(target, shape)) return this;
        int[] s = broadcastShape("expand", shape, target);
        if (!Arrays.equals(s, target)) {
            throw new IllegalArgumentException("expand: " + shapeString(shape) + " cannot expand to " + shapeString(target));
        }
        Tensor x = this;
        Tensor out = empty(backend, s);
        backend.copyStrided(storage(), 0, broadcastStrides(shape, s), out.storage, 0, contiguousStrides(s), s);
        return record(out, "expand", (i, g) -> g.sumTo(x.shape), x);
    }

    /** Sums broadcast axes away to reach {@code target}: the adjoint of {@link #expand}. */
    public Tensor sumTo(int[] target) {
        if (Arrays.equals(target, shape)) return this;
        int lead = shape.length - target.length;
        int[] axes = IntStream.range(0, shape.length)
                .filter(a -> a < lead || (target[a - lead] == 1 && shape[a] != 1)).toArray();
        return sum(axes, true).reshape(target);
    }

    /** The block of {@code size} values starting at {@code start} on each axis. */
    public Tensor crop(int[] start, int[] size) {
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
        Tensor out = empty(backend, size.clone());
        backend.copyStrided(storage(), offset, strides, out.storage, 0, contiguousStrides(size), size);
        return record(out, "crop", (i, g) -> g.pad(start, after, 0f), this);
    }

    /** Adds {@code before[a]} and {@code after[a]} entries of {@code value} around each axis a. */
    public Tensor pad(int[] before, int[] after, float value) {
        int[] s = shape.clone();
        int[] outer = new int[shape.length];
        for (int a = 0; a < shape.length; a++) s[a] += before[a] + after[a];
        int[] strides = contiguousStrides(s);
        int offset = 0;
        for (int a = 0; a < shape.length; a++) offset += before[a] * strides[a];
        Tensor out = empty(backend, s);
        if (value != 0f) backend.fill(out.storage, out.numel(), value);
        backend.copyStrided(storage(), 0, contiguousStrides(shape), out.storage, offset, strides, shape);
        Tensor x = this;
        return record(out, "pad", (i, g) -> g.crop(before, x.shape), x);
    }

    /** Entries [start, end) along one axis. */
    public Tensor slice(int axis, int start, int end) {
        int a = axis(axis);
        int[] from = new int[shape.length];
        int[] size = shape.clone();
        from[a] = start;
        size[a] = end - start;
        return crop(from, size);
    }

    /** Consecutive pieces along an axis with the given sizes (they must add up to the axis). */
    public Tensor[] split(int axis, int... sizes) {
        int a = axis(axis);
        if (IntStream.of(sizes).sum() != shape[a]) {
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " do not add up to axis " + a
                    + " of " + shapeString(shape));
        }
        Tensor[] parts = new Tensor[sizes.length];
        for (int k = 0, at = 0; k < sizes.length; at += sizes[k++]) parts[k] = slice(a, at, at + sizes[k]);
        return parts;
    }

    /** Joins tensors along an axis; all other axes must agree. */
    public static Tensor concat(int axis, Tensor... parts) {
        Tensor first = parts[0];
        int a = first.axis(axis);
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
            first.backend.copyStrided(parts[k].storage(), 0, contiguousStrides(parts[k].shape), out.storage,
                    at * strides[a], strides, parts[k].shape);
        }
        return record(out, "concat", (i, g) -> g.slice(a, offsets[i], offsets[i] + parts[i].shape[a]), parts);
    }

    /** Entries {@code index[0], index[1], ...} along an axis. */
    public Tensor indexSelect(int axis, int[] index) {
        int a = axis(axis);
        for (int k : index) {
            if (k < 0 || k >= shape[a]) {
                throw new IndexOutOfBoundsException("indexSelect: index " + k + " out of range for axis " + a + " of " + shapeString(shape));
            }
        }
        int[] s = shape.clone();
        s[a] = index.length;
        Tensor out = empty(backend, s);
        backend.indexSelect(storage(), out.storage, numel(Arrays.copyOf(shape, a)), shape[a],
                numel(Arrays.copyOfRange(shape, a + 1, shape.length)), index);
        int length = shape[a];
        return record(out, "indexSelect", (i, g) -> g.indexAdd(a, index, length), this);
    }

    /** The adjoint of indexSelect: entry k of this tensor is added at {@code index[k]} of an axis of {@code length}. */
    public Tensor indexAdd(int axis, int[] index, int length) {
        int a = axis(axis);
        int[] s = shape.clone();
        s[a] = length;
        Tensor out = empty(backend, s);
        backend.indexAdd(storage(), out.storage, numel(Arrays.copyOf(shape, a)), length,
                numel(Arrays.copyOfRange(shape, a + 1, shape.length)), index);
        return record(out, "indexAdd", (i, g) -> g.indexSelect(a, index), this);
    }

    // ---- matrix products -------------------------------------------------------------------------

    /**
     * Matrix product over the last two axes, NumPy style: [m, k] @ [k, n], and batches
     * [..., m, k] @ [..., k, n] where either side's batch axes may be absent or all 1 (shared).
     */
    public Tensor matmul(Tensor b) {
        Tensor a = this;
        if (a.dim() < 2 || b.dim() < 2) {
            throw new IllegalArgumentException("matmul: needs matrices, got " + shapeString(a.shape) + " @ " + shapeString(b.shape));
        }
        int m = a.shape[a.dim() - 2], k = a.shape[a.dim() - 1], k2 = b.shape[b.dim() - 2], n = b.shape[b.dim() - 1];
        if (k != k2) {
            throw new IllegalArgumentException("matmul: " + shapeString(a.shape) + " @ " + shapeString(b.shape)
                    + ": inner dimensions " + k + " and " + k2 + " differ");
        }
        int[] batchA = Arrays.copyOf(a.shape, a.dim() - 2), batchB = Arrays.copyOf(b.shape, b.dim() - 2);
        int[] batch = broadcastShape("matmul", batchA, batchB);
        int count = numel(batch);
        // a side whose batch is neither full nor shared is expanded to full
        if (numel(batchA) != 1 && numel(batchA) != count) a = a.expand(concatShape(batch, m, k));
        if (numel(batchB) != 1 && numel(batchB) != count) b = b.expand(concatShape(batch, k, n));
        Tensor out = bmm(a.reshape(numel(a.shape) / (m * k), m, k), false, b.reshape(numel(b.shape) / (k * n), k, n), false, false);
        return out.reshape(concatShape(batch, m, n));
    }

    /**
     * Batched op(A) · op(B) over 3-D tensors [batch or 1, rows, cols]; a batch of 1 is shared by
     * every product. With {@code sumBatch} the products are added into one [1, m, n] result.
     */
    public static Tensor bmm(Tensor a, boolean transA, Tensor b, boolean transB, boolean sumBatch) {
        a.requireSameBackend("bmm", b);
        int ba = a.shape[0], bb = b.shape[0];
        int batch = Math.max(ba, bb);
        if ((ba != batch && ba != 1) || (bb != batch && bb != 1)) {
            throw new IllegalArgumentException("bmm: batches " + ba + " and " + bb + " differ");
        }
        int m = transA ? a.shape[2] : a.shape[1], k = transA ? a.shape[1] : a.shape[2];
        int kb = transB ? b.shape[2] : b.shape[1], n = transB ? b.shape[1] : b.shape[2];
        if (k != kb) {
            throw new IllegalArgumentException("bmm: " + shapeString(a.shape) + (transA ? "ᵀ" : "") + " @ "
                    + shapeString(b.shape) + (transB ? "ᵀ" : "") + ": inner dimensions " + k + " and " + kb + " differ");
        }
        boolean reduce = sumBatch && batch > 1;
        Tensor out = output(a.backend, new int[] {reduce ? 1 : batch, m, n});   // beta 0: C is not read
        a.backend.gemm(transA, transB, m, n, k, 1f,
                a.storage(), a.shape[2], ba == 1 ? 0 : a.shape[1] * a.shape[2],
                b.storage(), b.shape[2], bb == 1 ? 0 : b.shape[1] * b.shape[2],
                0f, out.storage, n, reduce ? 0 : m * n, batch);
        Tensor fa = a, fb = b;
        // dA and dB from the output gradient; a shared operand's gradient sums over the batch
        return record(out, "bmm", (i, g) -> {
            if (i == 0) {
                boolean sum = fa.shape[0] == 1;
                return transA ? bmm(fb, transB, g, true, sum) : bmm(g, false, fb, !transB, sum);
            }
            boolean sum = fb.shape[0] == 1;
            return transB ? bmm(g, true, fa, transA, sum) : bmm(fa, !transA, g, false, sum);
        }, a, b);
    }

    // ---- convolution primitives --------------------------------------------------------------

    /** Image patches as columns: [n, c, h, w] → [n, c·kh·kw, oh·ow] (zero padding). */
    public Tensor unfold(ConvGeometry g) {
        int[] expected = {g.n(), g.c(), g.h(), g.w()};
        if (!Arrays.equals(shape, expected)) {
            throw new IllegalArgumentException("unfold: input " + shapeString(shape) + " does not match geometry " + g);
        }
        Tensor out = output(backend, new int[] {g.n(), g.patchSize(), g.outputPixels()});
        backend.im2col(storage(), out.storage, g);
        return record(out, "unfold", (i, grad) -> grad.fold(g), this);
    }

    /** The adjoint of unfold: columns [n, c·kh·kw, oh·ow] summed back into [n, c, h, w]. */
    public Tensor fold(ConvGeometry g) {
        int[] expected = {g.n(), g.patchSize(), g.outputPixels()};
        if (!Arrays.equals(shape, expected)) {
            throw new IllegalArgumentException("fold: input " + shapeString(shape) + " does not match geometry " + g);
        }
        Tensor out = output(backend, new int[] {g.n(), g.c(), g.h(), g.w()});
        backend.col2im(storage(), out.storage, g);
        return record(out, "fold", (i, grad) -> grad.unfold(g), this);
    }

    // ---- batch normalization ---------------------------------------------------------------------

    /** The mean and the biased variance of each channel (axis 1) over every other axis, each [c]; not recorded. */
    public Tensor[] channelMoments() {
        requireChannels("channelMoments");
        Tensor mean = output(backend, new int[] {shape[1]}), var = output(backend, new int[] {shape[1]});
        backend.channelMoments(storage(), shape[0], shape[1], innerSize(), mean.storage, var.storage);
        return new Tensor[] {mean, var};
    }

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
        x.requireChannels("batchNorm");
        if (mean == null || var == null) throw new IllegalArgumentException("batchNorm: mean and var are required");
        int c = x.shape[1], outer = x.shape[0], inner = x.innerSize();
        int[] channel = {c};
        for (Tensor t : new Tensor[] {mean, var, weight, bias}) {
            if (t == null) continue;
            x.requireSameBackend("batchNorm", t);
            if (!Arrays.equals(t.shape, channel)) {
                throw new IllegalArgumentException("batchNorm: per-channel tensor " + shapeString(t.shape)
                        + " for input " + shapeString(x.shape) + ", expected " + shapeString(channel));
            }
        }
        Backend be = x.backend;
        Tensor invStd, scale, shift;
        try (var ng = Autograd.noGrad()) {
            invStd = var.add(eps).sqrt().rdiv(1f);
            scale = weight == null ? invStd : weight.mul(invStd);
            shift = bias == null ? empty(be, channel) : bias;
        }
        Tensor out = output(be, x.shape);
        be.channelAffine(x.storage(), mean.storage(), scale.storage, shift.storage(), null, null, outer, c, inner, out.storage);

        Tensor[] inputs = Arrays.stream(new Tensor[] {x, weight, bias}).filter(t -> t != null).toArray(Tensor[]::new);
        int weightAt = weight == null ? -1 : 1;
        Tensor[] sums = new Tensor[3];   // {output gradient, Σ g, Σ g·(x − mean)}: computed once for all inputs
        return record(out, "batchNorm", (i, g) -> {
            int input = i == 0 ? 0 : i == weightAt ? 1 : 2;
            if (Autograd.isGradEnabled()) return batchNormGradGraph(input, g, x, mean, var, weight, eps, batchStatistics);
            if (input == 0 && !batchStatistics) return g.mul(scale.reshape(x.channelShape()));
            if (sums[0] != g) {
                sums[0] = g;
                sums[1] = output(be, channel);
                sums[2] = output(be, channel);
                be.channelGradSums(g.storage(), x.storage(), mean.storage(), outer, c, inner, sums[1].storage, sums[2].storage);
            }
            Tensor grad;
            if (input == 1) {
                grad = sums[2].mul(invStd);
            } else if (input == 2) {
                grad = sums[1];
            } else {
                // dx = scale·(g − mean(g) − x̂·mean(g·x̂)) = scale·g + b·(x − mean) + d, per channel
                float n = (float) outer * inner;
                Tensor b = scale.mul(invStd).mul(invStd).mul(sums[2]).mul(-1f / n), d = scale.mul(sums[1]).mul(-1f / n);
                grad = output(be, x.shape);
                be.channelAffine(x.storage(), mean.storage(), b.storage, d.storage, g.storage(), scale.storage,
                        outer, c, inner, grad.storage);
            }
            int last = inputs.length - 1;
            while (last > i && !inputs[last].requiresGrad) last--;
            if (i == last) Arrays.fill(sums, null);   // the walk asks for the inputs in order
            return grad;
        }, inputs);
    }

    /**
     * batchNorm's gradient for x (0), the weight (1) or the bias (2) written with differentiable
     * ops, so that it can be differentiated again: the statistics are recomputed from x.
     */
    private static Tensor batchNormGradGraph(int input, Tensor g, Tensor x, Tensor mean, Tensor var, Tensor weight,
                                             float eps, boolean batchStatistics) {
        int[] axes = IntStream.range(0, x.dim()).filter(a -> a != 1).toArray(), channelShape = x.channelShape();
        Tensor m = batchStatistics ? x.mean(axes, true) : mean.reshape(channelShape);
        Tensor centered = x.sub(m);
        Tensor v = batchStatistics ? centered.mul(centered).mean(axes, true) : var.reshape(channelShape);
        Tensor invStd = v.add(eps).sqrt().rdiv(1f);
        Tensor normalized = centered.mul(invStd);
        if (input == 1) return g.mul(normalized).sum(axes, false);
        if (input == 2) return g.sum(axes, false);
        Tensor dNormalized = weight == null ? g : g.mul(weight.reshape(channelShape));
        if (!batchStatistics) return dNormalized.mul(invStd);
        return dNormalized.sub(dNormalized.mean(axes, true))
                .sub(normalized.mul(dNormalized.mul(normalized).mean(axes, true))).mul(invStd);
    }

    private void requireChannels(String op) {
        if (shape.length < 2) throw new IllegalArgumentException(op + ": input " + shapeString(shape) + " has no channel axis (axis 1)");
    }

    /** [1, c, 1, ...]: a per-channel tensor's shape for broadcasting against this one. */
    private int[] channelShape() {
        int[] s = new int[shape.length];
        Arrays.fill(s, 1);
        s[1] = shape[1];
        return s;
    }

    /** Values per channel per batch entry: the product of the axes after 1. */
    private int innerSize() {
        return numel(Arrays.copyOfRange(shape, 2, shape.length));
    }

    // ---- shape helpers ---------------------------------------------------------------------------

    public static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    public static String shapeString(int[] shape) {
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

    private static int[] concatShape(int[] batch, int rows, int cols) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = rows;
        s[batch.length + 1] = cols;
        return s;
    }

    private int[] inferShape(int[] newShape) {
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
        if (unknown >= 0 && known != 0) s[unknown] = numel() / known;
        if (numel(s) != numel() || (unknown >= 0 && known == 0)) {
            throw new IllegalArgumentException("reshape: cannot view " + shapeString(shape) + " (" + numel() + " values) as "
                    + Arrays.toString(newShape));
        }
        checkShape(s);
        return s;
    }

    private static void checkShape(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + shapeString(shape));
            n *= d;
        }
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + shapeString(shape) + " has more than 2^31 values");
    }

    private int axis(int axis) {
        int a = axis < 0 ? axis + shape.length : axis;
        if (a < 0 || a >= shape.length) {
            throw new IndexOutOfBoundsException("axis " + axis + " out of range for shape " + shapeString(shape));
        }
        return a;
    }

    private int[] normalizeAxes(int[] axes) {
        return IntStream.of(axes).map(this::axis).sorted().distinct().toArray();
    }

    private static int[] dropAxis(int[] shape, int axis) {
        return dropAxes(shape, new int[] {axis});
    }

    private static int[] dropAxes(int[] shape, int[] sortedAxes) {
        return IntStream.range(0, shape.length).filter(a -> Arrays.binarySearch(sortedAxes, a) < 0).map(a -> shape[a]).toArray();
    }

    private void requireSameShape(String op, Tensor other) {
        if (!Arrays.equals(shape, other.shape)) {
            throw new IllegalArgumentException(op + ": shapes " + shapeString(shape) + " and " + shapeString(other.shape) + " differ");
        }
    }

    private void requireSameBackend(String op, Tensor other) {
        if (backend != other.backend) {
            throw new IllegalArgumentException(op + ": tensors on different devices (" + backend.name() + " and "
                    + other.backend.name() + ")");
        }
    }
}
