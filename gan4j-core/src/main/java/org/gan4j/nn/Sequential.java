package org.gan4j.nn;

import org.gan4j.tensor.Tensor;
import org.gan4j.tensor.UnaryOp;

/** Layers applied one after another; they are named "0", "1", ... as in PyTorch. */
public class Sequential extends Module {
    private int size;

    public Sequential(Module... layers) {
        for (Module m : layers) add(m);
    }

    public Sequential add(Module layer) {
        child(Integer.toString(size++), layer);
        return this;
    }

    public Module get(int index) {
        Module m = children().get(Integer.toString(index));
        if (m == null) throw new IndexOutOfBoundsException(describe() + " has no layer " + index + " (size " + size + ")");
        return m;
    }

    /** Replaces the layer at {@code index}, keeping its name. */
    public Sequential set(int index, Module layer) {
        get(index);
        child(Integer.toString(index), layer);
        return this;
    }

    public int size() {
        return size;
    }

    @Override
    public Tensor forward(Tensor x) {
        Module held = null;   // the layer before m, run once we know whether its activation follows
        for (Module m : children().values()) {
            UnaryOp activation = fusableActivation(m);
            if (held instanceof Fusable f && activation != null) {
                // the activation is applied as the product's output is written: one pass less
                x = f.forward(x, activation, m instanceof LeakyReLU l ? l.slope() : 0f);
                held = null;
                continue;
            }
            if (held != null) x = held.forward(x);
            held = m;
        }
        return held == null ? x : held.forward(x);
    }

    /** The activation layer m applies, as an op a product can end with, or null. */
    private static UnaryOp fusableActivation(Module m) {
        if (m instanceof ReLU) return UnaryOp.RELU;
        return m instanceof LeakyReLU l && l.slope() >= 0 ? UnaryOp.LEAKY_RELU : null;
    }
}
