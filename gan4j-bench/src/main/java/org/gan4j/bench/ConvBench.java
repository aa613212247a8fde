package org.gan4j.bench;

import java.util.concurrent.TimeUnit;
import org.gan4j.nn.Functional;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Backends;
import org.gan4j.tensor.ConvGeometry;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.gan4j.tensor.cpu.CpuBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Convolutions at the models' shapes (batch 64, kernel 4, stride 2, padding 1), forward alone and
 * forward plus backward (gradients of input and weight), and the unfold on its own. A layer is
 * "kind/cin/cout/size": conv reads size×size images, convT writes 2·size×2·size ones.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConvBench {
    @Param({
        "conv/1/64/28",      // dcgan28 D
        "conv/64/128/14",
        "convT/128/64/7",    // dcgan28 G
        "convT/64/1/14",
        "conv/64/128/32",    // dcgan64 D
        "convT/256/128/16",  // dcgan64 G
    })
    public String layer;

    @Param("64")
    public int batch;

    /** 0: one thread per available processor. */
    @Param("0")
    public int threads;

    private boolean transposed;
    private Tensor x, weight;
    /** What the layer unfolds: a convolution its input, a transposed one the gradient of its output (in its backward pass). */
    private Tensor unfolded;
    private ConvGeometry geometry;

    @Setup
    public void setup() {
        Backends.setDefault(threads == 0 ? new CpuBackend() : new CpuBackend(threads));
        String[] f = layer.split("/");
        transposed = f[0].equals("convT");
        int cin = Integer.parseInt(f[1]), cout = Integer.parseInt(f[2]), size = Integer.parseInt(f[3]);
        Rng rng = Rng.seeded(1);
        x = Tensor.randn(rng, batch, cin, size, size).requiresGrad(true);
        weight = (transposed ? Tensor.randn(rng, cin, cout, 4, 4) : Tensor.randn(rng, cout, cin, 4, 4)).requiresGrad(true);
        unfolded = transposed ? Tensor.randn(rng, batch, cout, 2 * size, 2 * size) : x.detach();
        geometry = ConvGeometry.of(batch, unfolded.size(1), unfolded.size(2), unfolded.size(3), 4, 4, 2, 1);
    }

    private Tensor forward() {
        return transposed ? Functional.convTranspose2d(x, weight, null, 2, 1, 0) : Functional.conv2d(x, weight, null, 2, 1);
    }

    @Benchmark
    public float forwardOnly() {
        try (var scope = org.gan4j.tensor.Scope.open(); var ng = Autograd.noGrad()) {
            return forward().meanAll().item();
        }
    }

    @Benchmark
    public int unfold() {
        try (var scope = org.gan4j.tensor.Scope.open(); var ng = Autograd.noGrad()) {
            return unfolded.unfold(geometry).numel();
        }
    }

    @Benchmark
    public float forwardBackward() {
        try (var scope = org.gan4j.tensor.Scope.open()) {
            x.zeroGrad();
            weight.zeroGrad();
            Tensor loss = forward().meanAll();
            loss.backward();
            return loss.item();
        }
    }
}
