package org.gan4j.tensor;

/**
 * The backend a {@link Replay} puts between the ops and the device while it records: each kernel
 * runs at once on the device and is written down, with its arguments, to be issued again. Memory
 * handed back goes to the recording instead of the pool. A whole composite kernel (a default method
 * such as batch norm's moments) is one entry, issued to the device, so it keeps its device's form.
 */
final class Recorder implements Backend {
    private final Backend device;
    private final Replay replay;

    Recorder(Backend device, Replay replay) {
        this.device = device;
        this.replay = replay;
    }

    /** Runs the kernel now and at every replay. */
    private void issue(Runnable kernel) {
        kernel.run();
        replay.add(kernel);
    }

    /** A kernel whose arguments hold one step's values (noise counters, optimizer scalars) must be issued live. */
    private void perStep(String kernel) {
        replay.fail(kernel + " was issued outside Replay.live: its arguments change from step to step");
    }

    @Override
    public String name() {
        return device.name();
    }

    @Override
    public Storage allocate(int n) {
        Storage s = device.allocate(n);
        replay.add(() -> device.fill(s, n, 0f));   // the zeros the step found there
        return s;
    }

    @Override
    public Storage allocateUninitialized(int n) {
        return device.allocateUninitialized(n);
    }

    @Override
    public Storage fromArray(float[] values) {
        return device.fromArray(values);   // a constant: the recording keeps this memory and no kernel writes it
    }

    @Override
    public void read(Storage src, float[] dst) {
        replay.fail("a value was read back outside Replay.live (item, toArray), so it may steer the step");
        device.read(src, dst);
    }

    @Override
    public void release(Storage s) {
        replay.keep(device, s);
    }

    @Override
    public void fill(Storage s, int n, float value) {
        issue(() -> device.fill(s, n, value));
    }

    @Override
    public void copyStrided(Storage src, int srcOffset, int[] srcStrides, Storage dst, int dstOffset, int[] dstStrides, int[] shape) {
        issue(() -> device.copyStrided(src, srcOffset, srcStrides, dst, dstOffset, dstStrides, shape));
    }

    @Override
    public void unary(UnaryOp op, float p, Storage x, Storage out, int n) {
        issue(() -> device.unary(op, p, x, out, n));
    }

    @Override
    public void binary(BinaryOp op, Storage a, int[] aStrides, Storage b, int[] bStrides, Storage out, int[] shape) {
        issue(() -> device.binary(op, a, aStrides, b, bStrides, out, shape));
    }

    @Override
    public void leakyReluGrad(float slope, Storage g, Storage x, Storage out, int n) {
        issue(() -> device.leakyReluGrad(slope, g, x, out, n));
    }

    @Override
    public void where(Storage cond, int[] condStrides, Storage a, int[] aStrides, Storage b, int[] bStrides, Storage out, int[] shape) {
        issue(() -> device.where(cond, condStrides, a, aStrides, b, bStrides, out, shape));
    }

    @Override
    public void reduce(ReduceOp op, Storage x, Storage out, int outer, int len, int inner) {
        issue(() -> device.reduce(op, x, out, outer, len, inner));
    }

    @Override
    public void indexSelect(Storage x, Storage out, int outer, int len, int inner, int[] index) {
        int[] at = index.clone();   // the caller's array may change after the step
        issue(() -> device.indexSelect(x, out, outer, len, inner, at));
    }

    @Override
    public void indexAdd(Storage src, Storage out, int outer, int len, int inner, int[] index) {
        int[] at = index.clone();
        issue(() -> device.indexAdd(src, out, outer, len, inner, at));
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Storage a, int lda, int strideA,
                     Storage b, int ldb, int strideB, float beta, Storage c, int ldc, int strideC, int batch) {
        issue(() -> device.gemm(transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batch));
    }

    @Override
    public void gemmBiasActivation(boolean transA, boolean transB, int m, int n, int k, Storage a, int lda, int strideA,
                                   Storage b, int ldb, int strideB, Storage c, int batch,
                                   Storage bias, boolean perRow, UnaryOp activation, float slope) {
        issue(() -> device.gemmBiasActivation(transA, transB, m, n, k, a, lda, strideA, b, ldb, strideB, c, batch,
                bias, perRow, activation, slope));
    }

    @Override
    public void im2col(Storage x, Storage cols, ConvGeometry g) {
        issue(() -> device.im2col(x, cols, g));
    }

    @Override
    public void col2im(Storage cols, Storage x, ConvGeometry g) {
        issue(() -> device.col2im(cols, x, g));
    }

    @Override
    public void channelMoments(Storage x, int outer, int channels, int inner, Storage mean, Storage var) {
        issue(() -> device.channelMoments(x, outer, channels, inner, mean, var));
    }

    @Override
    public void channelGradSums(Storage g, Storage x, Storage center, int outer, int channels, int inner, Storage sumG, Storage sumGX) {
        issue(() -> device.channelGradSums(g, x, center, outer, channels, inner, sumG, sumGX));
    }

    @Override
    public void channelAffine(Storage x, Storage center, Storage scale, Storage shift, Storage y, Storage yScale,
                              int outer, int channels, int inner, Storage out) {
        issue(() -> device.channelAffine(x, center, scale, shift, y, yScale, outer, channels, inner, out));
    }

    @Override
    public void random(Distribution dist, Storage out, int n, long seed, long stream, long counter) {
        perStep("random");
        device.random(dist, out, n, seed, stream, counter);
    }

    @Override
    public void adam(Storage param, Storage grad, Storage m, Storage v, int n, float decay, float gradDecay, float w1,
                     float beta2, float w2, float stepSize, float bias2Sqrt, float eps) {
        perStep("adam");
        device.adam(param, grad, m, v, n, decay, gradDecay, w1, beta2, w2, stepSize, bias2Sqrt, eps);
    }

    @Override
    public void sgd(Storage param, Storage grad, Storage momentumBuffer, int n, float lr, float momentum,
                    float dampening, float weightDecay, boolean nesterov, boolean firstStep) {
        perStep("sgd");
        device.sgd(param, grad, momentumBuffer, n, lr, momentum, dampening, weightDecay, nesterov, firstStep);
    }

    @Override
    public void rmsprop(Storage param, Storage grad, Storage squareAvg, Storage momentumBuffer, int n, float lr,
                        float alpha, float eps, float weightDecay, float momentum) {
        perStep("rmsprop");
        device.rmsprop(param, grad, squareAvg, momentumBuffer, n, lr, alpha, eps, weightDecay, momentum);
    }
}
