package org.gan4j.tensor;

/**
 * The kernels every device provides. Tensor ops call these and never loop over elements
 * themselves, so a new device (the CUDA backend) only has to implement this interface.
 *
 * <p>Conventions: all storages are dense float32; {@code shape}/{@code strides} are in
 * elements; an output storage is contiguous in the given shape unless strides are given; a
 * stride of 0 broadcasts a dimension. Sizes fit in an int.
 */
public interface Backend {

    String name();

    // ---- memory ------------------------------------------------------------------------

    /** A zero-filled storage of {@code n} floats (possibly recycled from the pool). */
    Storage allocate(int n);

    /**
     * A storage of {@code n} floats with unspecified contents, for an output that a kernel then
     * writes in full (saves zeroing it).
     */
    default Storage allocateUninitialized(int n) {
        return allocate(n);
    }

    /** A storage holding a copy of {@code values}. */
    Storage fromArray(float[] values);

    /** Copies the first {@code dst.length} floats of {@code src} into {@code dst}. */
    void read(Storage src, float[] dst);

    /** Hands a storage back to the pool; it must not be used afterwards. */
    void release(Storage s);

    void fill(Storage s, int n, float value);

    /** {@code dst[dstOffset + index·dstStrides] = src[srcOffset + index·srcStrides]} for every index of {@code shape}. */
    void copyStrided(Storage src, int srcOffset, int[] srcStrides,
                     Storage dst, int dstOffset, int[] dstStrides, int[] shape);

    // ---- elementwise -------------------------------------------------------------------

    /** {@code out[i] = op(x[i], p)} for i &lt; n. {@code out} may be {@code x}. */
    void unary(UnaryOp op, float p, Storage x, Storage out, int n);

    /**
     * {@code out[index] = op(a[index·aStrides], b[index·bStrides])}, out contiguous in
     * {@code shape}. {@code out} may be {@code a} when a is contiguous in that shape (in-place
     * accumulation).
     */
    void binary(BinaryOp op, Storage a, int[] aStrides, Storage b, int[] bStrides, Storage out, int[] shape);

    /**
     * {@code out[i] = g[i] · (x[i] > 0 ? 1 : slope)} for i &lt; n: the gradient of leaky ReLU (of ReLU
     * for slope 0). The default makes the step, then the product; a backend overrides it with one pass.
     */
    default void leakyReluGrad(float slope, Storage g, Storage x, Storage out, int n) {
        int[] shape = {n}, dense = {1};
        Storage step = allocateUninitialized(n);
        try {
            unary(UnaryOp.LEAKY_STEP, slope, x, step, n);
            binary(BinaryOp.MUL, g, dense, step, dense, out, shape);
        } finally {
            release(step);
        }
    }

    /** {@code out[index] = cond != 0 ? a : b}, each input read through its strides. */
    void where(Storage cond, int[] condStrides, Storage a, int[] aStrides, Storage b, int[] bStrides,
               Storage out, int[] shape);

    /**
     * Reduces the middle axis of x viewed as [outer, len, inner] into out viewed as [outer, inner].
     */
    void reduce(ReduceOp op, Storage x, Storage out, int outer, int len, int inner);

    // ---- indexing ----------------------------------------------------------------------

    /** x viewed as [outer, len, inner]: {@code out[o, i, j] = x[o, index[i], j]}, out is [outer, index.length, inner]. */
    void indexSelect(Storage x, Storage out, int outer, int len, int inner, int[] index);

    /** out viewed as [outer, len, inner]: {@code out[o, index[i], j] += src[o, i, j]} (src is [outer, index.length, inner]). */
    void indexAdd(Storage src, Storage out, int outer, int len, int inner, int[] index);

    // ---- matrix multiplication -----------------------------------------------------------

    /**
     * Row-major batched GEMM: for each b &lt; batch,
     * {@code C_b = alpha · op(A_b) · op(B_b) + beta · C_b}, with op(A_b) of size m×k and op(B_b)
     * of size k×n; {@code A_b} starts at {@code b·strideA} (0 repeats one matrix) and has
     * leading dimension lda (likewise B, C). With {@code strideC == 0} and batch &gt; 1 the
     * products accumulate into the one C: {@code C = beta · C + alpha · Σ_b op(A_b) · op(B_b)}
     * (the weight gradient of a convolution over a batch).
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              Storage a, int lda, int strideA, Storage b, int ldb, int strideB,
              float beta, Storage c, int ldc, int strideC, int batch);

    /**
     * The product {@code C_b = op(A_b) · op(B_b)} (C dense: [batch, m, n]), then
     * {@code C ← activation(C + bias)}: bias (or null) holds one value per row of each product
     * (perRow: a convolution's channels) or one per column (a linear layer's features); activation is
     * null, RELU or LEAKY_RELU (with slope). The default runs the three kernels one after the other; a
     * backend overrides it to finish C in the pass that stores it, with the same bits.
     */
    default void gemmBiasActivation(boolean transA, boolean transB, int m, int n, int k,
                                    Storage a, int lda, int strideA, Storage b, int ldb, int strideB, Storage c, int batch,
                                    Storage bias, boolean perRow, UnaryOp activation, float slope) {
        gemm(transA, transB, m, n, k, 1f, a, lda, strideA, b, ldb, strideB, 0f, c, n, m * n, batch);
        int[] shape = {batch, m, n};
        if (bias != null) binary(BinaryOp.ADD, c, new int[] {m * n, n, 1}, bias, perRow ? new int[] {0, 1, 0} : new int[] {0, 0, 1}, c, shape);
        if (activation != null) unary(activation, slope, c, c, batch * m * n);
    }

    // ---- convolution helpers -------------------------------------------------------------

    /**
     * Unfolds x [n, c, h, w] into cols [n, c·kh·kw, oh·ow] (zero padding), the layout that makes
     * a convolution one GEMM per image.
     */
    void im2col(Storage x, Storage cols, ConvGeometry g);

    /** The adjoint of im2col: x [n, c, h, w] becomes the sum of the column entries that unfold from each of its values (x is overwritten). */
    void col2im(Storage cols, Storage x, ConvGeometry g);

    // ---- batch normalization ----------------------------------------------------------------
    //
    // x viewed as [outer, channels, inner]: channel c's values are the runs x[o, c, :]. The
    // defaults compose the kernels above; a backend overrides them with one pass each.

    /** Per channel: the mean and the biased variance of its values. */
    default void channelMoments(Storage x, int outer, int channels, int inner, Storage mean, Storage var) {
        int[] shape = {outer, channels, inner}, dense = {channels * inner, inner, 1}, perChannel = {0, 1, 0};
        Storage deviation = allocateUninitialized(outer * channels * inner);
        try {
            channelSum(x, outer, channels, inner, mean);
            unary(UnaryOp.MUL_SCALAR, 1f / (outer * inner), mean, mean, channels);
            binary(BinaryOp.SUB, x, dense, mean, perChannel, deviation, shape);
            binary(BinaryOp.MUL, deviation, dense, deviation, dense, deviation, shape);
            channelSum(deviation, outer, channels, inner, var);
            unary(UnaryOp.MUL_SCALAR, 1f / (outer * inner), var, var, channels);
        } finally {
            release(deviation);
        }
    }

    /** Per channel: Σ g and Σ g·(x − center[c]), the sums of batch norm's backward pass. */
    default void channelGradSums(Storage g, Storage x, Storage center, int outer, int channels, int inner,
                                 Storage sumG, Storage sumGX) {
        int[] shape = {outer, channels, inner}, dense = {channels * inner, inner, 1}, perChannel = {0, 1, 0};
        Storage product = allocateUninitialized(outer * channels * inner);
        try {
            channelSum(g, outer, channels, inner, sumG);
            binary(BinaryOp.SUB, x, dense, center, perChannel, product, shape);
            binary(BinaryOp.MUL, product, dense, g, dense, product, shape);
            channelSum(product, outer, channels, inner, sumGX);
        } finally {
            release(product);
        }
    }

    /**
     * Per channel: {@code out = (x − center[c])·scale[c] + shift[c]}, plus {@code y·yScale[c]}
     * when y is not null (batch norm's output, and its input gradient).
     */
    default void channelAffine(Storage x, Storage center, Storage scale, Storage shift, Storage y, Storage yScale,
                               int outer, int channels, int inner, Storage out) {
        int[] shape = {outer, channels, inner}, dense = {channels * inner, inner, 1}, perChannel = {0, 1, 0};
        binary(BinaryOp.SUB, x, dense, center, perChannel, out, shape);
        binary(BinaryOp.MUL, out, dense, scale, perChannel, out, shape);
        binary(BinaryOp.ADD, out, dense, shift, perChannel, out, shape);
        if (y == null) return;
        Storage term = allocateUninitialized(outer * channels * inner);
        try {
            binary(BinaryOp.MUL, y, dense, yScale, perChannel, term, shape);
            binary(BinaryOp.ADD, out, dense, term, dense, out, shape);
        } finally {
            release(term);
        }
    }

    /** Σ over outer and inner of each channel, into sum [channels]. */
    private void channelSum(Storage x, int outer, int channels, int inner, Storage sum) {
        Storage rows = allocateUninitialized(outer * channels);
        try {
            reduce(ReduceOp.SUM, x, rows, outer * channels, inner, 1);
            reduce(ReduceOp.SUM, rows, sum, 1, outer, channels);
        } finally {
            release(rows);
        }
    }

    // ---- randomness and optimizers --------------------------------------------------------

    /** Fills n values from Philox-4x32-10 as {@link Philox#fill} defines them. */
    void random(Distribution dist, Storage out, int n, long seed, long stream, long counter);

    /**
     * One Adam/AdamW step in place, for i &lt; n and in this order of operations:
     * {@code p = param[i]·decay; g = grad[i] + gradDecay·p; m[i] = lerp(m[i], g, w1);
     * v[i] = v[i]·beta2 + w2·g·g; param[i] = p + −stepSize·m[i] / (√v[i] / bias2Sqrt + eps)}, where
     * lerp is torch.lerp. {@code org.gan4j.optim.Adam} states the rule and computes the scalars.
     */
    void adam(Storage param, Storage grad, Storage m, Storage v, int n, float decay, float gradDecay, float w1,
              float beta2, float w2, float stepSize, float bias2Sqrt, float eps);

    /** One SGD step in place with PyTorch's momentum/dampening/Nesterov semantics. */
    void sgd(Storage param, Storage grad, Storage momentumBuffer, int n, float lr, float momentum,
             float dampening, float weightDecay, boolean nesterov, boolean firstStep);

    /** One RMSprop step in place (PyTorch semantics, no centering). */
    void rmsprop(Storage param, Storage grad, Storage squareAvg, Storage momentumBuffer, int n, float lr,
                 float alpha, float eps, float weightDecay, float momentum);
}
