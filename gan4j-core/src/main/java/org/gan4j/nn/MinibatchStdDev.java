package org.gan4j.nn;

import org.gan4j.tensor.Tensor;

/**
 * Minibatch standard deviation (Karras et al. 2018): the standard deviation of every feature
 * over the batch, averaged to one number, appended to each sample as one more channel. A
 * collapsed generator's batch has a telling small value. [n, c, ...] → [n, c + 1, ...].
 */
public class MinibatchStdDev extends Module {
    private static final float EPS = 1e-8f;

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() < 2) throw inputError("input " + Tensor.shapeString(x.shape()) + " needs a batch and a channel axis");
        if (x.size(0) < 2) throw inputError("input " + Tensor.shapeString(x.shape()) + " has one sample; a standard deviation needs two");
        Tensor std = x.var(new int[] {0}, false, false).add(EPS).sqrt().meanAll();
        int[] shape = x.shape();
        shape[1] = 1;
        return Tensor.concat(1, x, std.expand(shape));
    }
}
