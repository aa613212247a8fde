package org.gan4j.bench;

import java.util.concurrent.TimeUnit;
import org.gan4j.tensor.Storage;
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
 * The CPU backend's GEMM on square matrices and on the products the models run. A shape is
 * "mxnxk/transposes/batch/shared" (no commas: JMH splits -p values on them): shared names the one matrix every batch entry uses (A: a
 * convolution's weight; C: its weight gradient, where the products add up) or "-".
 * GFLOP/s = 2·m·n·k·batch / (time per op).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GemmBench {
    @Param({
        "256x256x256/NN/1/-", "512x512x512/NN/1/-", "1024x1024x1024/NN/1/-", "2048x2048x2048/NN/1/-",
        "1024x1024x1024/NT/1/-", "1024x1024x1024/TN/1/-",
        "64x512x784/NT/1/-",        // mlp: D's first linear layer at batch 64
        "128x49x1024/NN/64/A",      // dcgan28: D's second convolution, forward
        "128x1024x49/NT/64/C",      //   ... its weight gradient
        "1024x49x128/TN/64/A",      //   ... its input gradient; also G's first transposed convolution
        "128x256x1024/NN/64/A",     // dcgan64: D's second convolution, forward
        "2048x256x256/TN/64/A",     //   G's fourth layer (256 → 128 channels at 16×16)
    })
    public String shape;

    /** 0: one thread per available processor. */
    @Param("0")
    public int threads;

    private CpuBackend cpu;
    private boolean transA, transB;
    private int m, n, k, batch, lda, ldb, strideA, strideB, strideC;
    private Storage a, b, c;

    @Setup
    public void setup() {
        String[] f = shape.split("/"), size = f[0].split("x");
        m = Integer.parseInt(size[0]);
        n = Integer.parseInt(size[1]);
        k = Integer.parseInt(size[2]);
        transA = f[1].charAt(0) == 'T';
        transB = f[1].charAt(1) == 'T';
        batch = Integer.parseInt(f[2]);
        cpu = threads == 0 ? new CpuBackend() : new CpuBackend(threads);
        lda = transA ? m : k;
        ldb = transB ? k : n;
        strideA = f[3].equals("A") ? 0 : m * k;
        strideB = k * n;
        strideC = f[3].equals("C") ? 0 : m * n;
        a = cpu.fromArray(Data.random(1, strideA == 0 ? m * k : m * k * batch));
        b = cpu.fromArray(Data.random(2, k * n * batch));
        c = cpu.allocate(strideC == 0 ? m * n : m * n * batch);
    }

    @Benchmark
    public Storage gemm() {
        cpu.gemm(transA, transB, m, n, k, 1f, a, lda, strideA, b, ldb, strideB, 0f, c, n, strideC, batch);
        return c;
    }
}
