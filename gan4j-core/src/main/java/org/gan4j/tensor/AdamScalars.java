package org.gan4j.tensor;

/**
 * The per-step scalars of an Adam/AdamW update, computed once on the host in double as PyTorch
 * computes them in Python, so that every backend's kernel rounds alike.
 *
 * @param decay      factor on the parameter before the update (AdamW's decoupled weight decay, else 1)
 * @param gradDecay  weight decay added to the gradient (Adam's coupled form, else 0)
 * @param w1         1 - β1, the weight of the gradient in the first moment
 * @param w2         1 - β2, the weight of the squared gradient in the second moment
 * @param stepSize   lr / (1 - β1^step)
 * @param bias2Sqrt  √(1 - β2^step)
 */
public record AdamScalars(float decay, float gradDecay, float w1, float w2, float stepSize, float bias2Sqrt) {

    public static AdamScalars of(float lr, float beta1, float beta2, float weightDecay, boolean decoupled, int step) {
        double bias1 = 1 - Math.pow(beta1, step), bias2 = 1 - Math.pow(beta2, step);
        return new AdamScalars(decoupled ? (float) (1 - (double) lr * weightDecay) : 1f, decoupled ? 0f : weightDecay,
                (float) (1 - (double) beta1), (float) (1 - (double) beta2), (float) (lr / bias1), (float) Math.sqrt(bias2));
    }
}
