package org.gan4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.gan4j.tensor.UnaryOp;
import org.junit.jupiter.api.Test;

/** A product and the activation after it, applied in one pass by Sequential, give the bits of the layers run one by one. */
class FusionTest {

    /** The output, then the gradients of every parameter and of x, of sum(net(x)) plus an R1 term (a gradient differentiated again). */
    private static List<float[]> run(Sequential net, Tensor x, boolean fused) {
        net.zeroGrad();
        x.zeroGrad();
        Tensor y = x;
        if (fused) {
            y = net.forward(x);
        } else {
            for (Module m : net.children().values()) y = m.forward(y);
        }
        Tensor g = Autograd.grad(new Tensor[] {y}, new Tensor[] {x}, true)[0];
        y.sumAll().add(g.mul(g).sumAll()).backward();
        List<float[]> out = new ArrayList<>(List.of(y.toArray()));
        for (Tensor p : net.parameters()) out.add(p.grad().toArray());
        out.add(x.grad().toArray());
        return out;
    }

    @Test
    void fusedLayersGiveTheBitsOfTheLayersOneByOne() {
        Rng rng = Rng.seeded(7);
        Sequential net = new Sequential(
                new Conv2d(3, 40, 4, 2, 1, true, rng), new LeakyReLU(0.2f),   // bias and activation; 7×7 outputs, so tiles straddle images
                new Conv2d(40, 24, 3, 1, 1, false, rng), new ReLU(),          // activation alone
                new Conv2d(24, 16, 3, 1, 1, true, rng),                       // bias alone: Flatten follows
                new Flatten(),
                new Linear(16 * 7 * 7, 100, rng), new LeakyReLU(0.2f),        // depth 784: the product is finished in its third slice
                new Linear(100, 1, rng));
        Tensor x = Tensor.randn(rng, 5, 3, 14, 14).requiresGrad(true);

        assertEquals("bmmBiasActivation", net.forward(x).op(), "the last Linear adds its bias as it writes its product");
        assertEquals("bmmBiasActivation", new Sequential(new Linear(4, 3, rng), new ReLU()).forward(Tensor.randn(rng, 2, 4)).op());

        List<float[]> fused = run(net, x, true), separate = run(net, x, false);
        for (int i = 0; i < fused.size(); i++) assertArrayEquals(separate.get(i), fused.get(i), "result " + i);
    }

    @Test
    void onlyReluAndLeakyReluOfANonNegativeSlopeJoinTheProduct() {
        Rng rng = Rng.seeded(3);
        Tensor x = Tensor.randn(rng, 2, 4);
        // a negative slope makes the output's sign differ from the input's, from which the fused step is read
        assertEquals("leakyRelu", new Sequential(new Linear(4, 3, rng), new LeakyReLU(-0.5f)).forward(x).op());
        assertEquals("tanh", new Sequential(new Linear(4, 3, rng), new Tanh()).forward(x).op());

        Tensor a = Tensor.randn(rng, 1, 2, 4), b = Tensor.randn(rng, 1, 4, 3), bias = Tensor.randn(rng, 3);
        int[] shape = {2, 3};
        assertThrows(IllegalArgumentException.class, () -> Tensor.bmmBiasActivation(a, false, b, false, shape, null, false, UnaryOp.TANH, 0f));
        assertThrows(IllegalArgumentException.class, () -> Tensor.bmmBiasActivation(a, false, b, false, shape, null, false, UnaryOp.LEAKY_RELU, -0.1f));
        assertThrows(IllegalArgumentException.class, () -> Tensor.bmmBiasActivation(a, false, b, false, new int[] {3, 3}, bias, false, null, 0f));
        assertThrows(IllegalArgumentException.class, () -> Tensor.bmmBiasActivation(a, false, b, false, shape, bias, true, null, 0f),
                "3 biases for a product of 2 rows");
    }
}
