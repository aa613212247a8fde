package org.gan4j.nn;

import org.gan4j.tensor.Tensor;

/**
 * Batch normalization over the channel axis (axis 1), with PyTorch's defaults: momentum 0.1,
 * eps 1e-5, a learned scale and shift, and running statistics used in evaluation mode. The
 * buffers carry PyTorch's names; num_batches_tracked is stored as a float.
 */
public abstract class BatchNorm extends Module {
    public static final float MOMENTUM = 0.1f;
    public static final float EPS = 1e-5f;

    private final int features;
    private final int rank;
    private final String layout;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor batchesTracked;
    private float momentum = MOMENTUM;

    BatchNorm(int features, boolean affine, int rank, String layout) {
        this.features = features;
        this.rank = rank;
        this.layout = layout;
        weight = affine ? parameter("weight", features) : null;
        bias = affine ? parameter("bias", features) : null;
        if (affine) Init.constant(weight, 1f);
        runningMean = buffer("running_mean", 0f, features);
        runningVar = buffer("running_var", 1f, features);
        batchesTracked = buffer("num_batches_tracked", 0f);
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    public Tensor runningMean() {
        return runningMean;
    }

    public Tensor runningVar() {
        return runningVar;
    }

    /**
     * Weight of each new training batch in the running statistics; 1/(k+1) for the k-th of a
     * series of batches (from 0) makes them the plain average of the series.
     */
    public void setMomentum(float momentum) {
        if (!(momentum > 0 && momentum <= 1)) throw new IllegalArgumentException("momentum must be in (0, 1], was " + momentum);
        this.momentum = momentum;
    }

    /** How many training batches have updated the running statistics. */
    public long batchesTracked() {
        return (long) batchesTracked.item();
    }

    @Override
    public Tensor forward(Tensor x) {
        requireChannels(x, rank, layout, features);
        if (isTraining() && x.numel() / features < 2) {
            throw inputError("input " + Tensor.shapeString(x.shape())
                    + " has one value per channel; training needs more than one to estimate a variance");
        }
        if (isTraining()) batchesTracked.assign(batchesTracked.add(1f));
        return Functional.batchNorm(x, runningMean, runningVar, weight, bias, isTraining(), momentum, EPS);
    }
}
