package org.gan4j.nn;

import org.gan4j.tensor.Tensor;

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
        for (Module m : children().values()) x = m.forward(x);
        return x;
    }
}
