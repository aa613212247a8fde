package org.gan4j.nn;

import org.gan4j.tensor.Tensor;

public class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.tanh();
    }
}
