package org.gan4j.nn;

import org.gan4j.tensor.Scope;
import org.gan4j.tensor.Tensor;

/**
 * 2× down- or upsampling of [n, c, h, w] through the fixed binomial filter [1, 2, 1]ᵀ·[1, 2, 1] / 16
 * (see {@link Functional#filteredDownsample} and {@link Functional#filteredUpsample}). The filter is
 * a constant, neither a parameter nor saved: the layer has nothing to learn or load.
 */
public class Resample extends Module {
    private final boolean up;
    private final Tensor filter = Scope.outside(Functional::binomialFilter);

    private Resample(boolean up) {
        this.up = up;
    }

    /** [n, c, h, w] → [n, c, 2h, 2w]. */
    public static Resample up() {
        return new Resample(true);
    }

    /** [n, c, h, w] → [n, c, ⌈h/2⌉, ⌈w/2⌉]. */
    public static Resample down() {
        return new Resample(false);
    }

    public boolean isUp() {
        return up;
    }

    @Override
    public Tensor forward(Tensor x) {
        requireRank(x, 4, "[n, c, h, w]");
        return up ? Functional.filteredUpsample(x, filter) : Functional.filteredDownsample(x, filter);
    }
}
