package org.gan4j.bench;

import java.util.concurrent.TimeUnit;
import org.gan4j.nn.Functional;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Backends;
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

/** Batch norm (training mode) followed by leaky ReLU, and a plain broadcast add, at the models' activation shapes. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NormBench {
    /** n/c/h/w (no commas: JMH splits -p values on them). */
    @Param({"64/128/7/7", "64/64/14/14", "64/128/16/16"})
    public String shape;

    /** 0: one thread per available processor. */
    @Param("0")
    public int threads;

    private Tensor x, gamma, beta, bias;

    @Setup
    public void setup() {
        Backends.setDefault(threads == 0 ? new CpuBackend() : new CpuBackend(threads));
        String[] f = shape.split("/");
        int n = Integer.parseInt(f[0]), c = Integer.parseInt(f[1]), h = Integer.parseInt(f[2]), w = Integer.parseInt(f[3]);
        Rng rng = Rng.seeded(1);
        x = Tensor.randn(rng, n, c, h, w).requiresGrad(true);
        gamma = Tensor.rand(rng, c).requiresGrad(true);
        beta = Tensor.randn(rng, c).requiresGrad(true);
        bias = Tensor.randn(rng, 1, c, 1, 1);
    }

    private Tensor batchNormLeakyRelu() {
        return Functional.batchNorm(x, null, null, gamma, beta, true, 0.1f, 1e-5f).leakyRelu(0.2f);
    }

    @Benchmark
    public float batchNormForward() {
        try (var scope = org.gan4j.tensor.Scope.open(); var ng = Autograd.noGrad()) {
            return batchNormLeakyRelu().meanAll().item();
        }
    }

    @Benchmark
    public float batchNormForwardBackward() {
        try (var scope = org.gan4j.tensor.Scope.open()) {
            x.zeroGrad();
            gamma.zeroGrad();
            beta.zeroGrad();
            Tensor loss = batchNormLeakyRelu().meanAll();
            loss.backward();
            return loss.item();
        }
    }

    @Benchmark
    public float addChannelBias() {
        try (var scope = org.gan4j.tensor.Scope.open(); var ng = Autograd.noGrad()) {
            return x.add(bias).meanAll().item();
        }
    }
}
