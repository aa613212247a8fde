// Where a training step's time goes, kernel call by kernel call: the CPU backend behind a proxy
// that times every call of the timed steps (wall clock, THREADS threads) and groups them by kernel
// and shape. Matrix products are named in GemmBench's shape format (mxnxk/transposes/batch/shared),
// so that `bench/numpy_gemm.py` can time OpenBLAS on the same products; the last line lists them.
//
//   java --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp "gan4j-cli/target/lib/*" \
//       bench/KernelTimes.java MODEL BATCH THREADS WARM_STEPS STEPS [sample]
//   e.g. bench/KernelTimes.java dcgan64 64 2 20 20; with "sample", G's sampling pass (as `gan4j bench`
//   times it) instead of the training step: bench/KernelTimes.java mlp 256 2 300 300 sample
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.TreeMap;
import org.gan4j.tensor.*;
import org.gan4j.tensor.cpu.CpuBackend;

record Calls(long count, long nanos, double flops) {
    Calls plus(long n, double f) { return new Calls(count + 1, nanos + n, flops + f); }
}

final Map<String, Calls> calls = new TreeMap<>();
boolean timing;

/** A call's group: the kernel and the sizes that decide its cost; FLOPs of a product in flops[0]. */
String key(Method method, Object[] a, double[] flops) {
    String name = method.getName();
    if (name.startsWith("gemm")) {
        boolean bias = name.equals("gemmBiasActivation");
        int m = (int) a[2], n = (int) a[3], k = (int) a[4];
        int strideA = (int) a[bias ? 7 : 8], strideB = (int) a[bias ? 10 : 11];
        int strideC = bias ? 1 : (int) a[15], batch = (int) a[bias ? 12 : 16];
        flops[0] = 2.0 * m * n * k * batch;
        String shared = batch == 1 ? "-" : strideA == 0 ? "A" : strideC == 0 ? "C" : strideB == 0 ? "B" : "none";
        return (bias ? "gemm+epilogue " : "gemm ") + m + "x" + n + "x" + k + "/" + ((boolean) a[0] ? "T" : "N")
                + ((boolean) a[1] ? "T" : "N") + "/" + batch + "/" + shared;
    }
    for (Object o : a) {
        if (o instanceof ConvGeometry g) return name + " " + g;
    }
    int elements = 0;
    for (Object o : a) {
        if (o instanceof Integer i) elements = Math.max(elements, i);
        if (o instanceof int[] shape && name.equals("binary")) elements = Math.max(elements, Arrays.stream(shape).reduce(1, (x, y) -> x * y));
    }
    return name + " " + elements;
}

void main(String[] args) throws Exception {
    Backend cpu = new CpuBackend(Integer.parseInt(args[2]));
    Backend timed = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, (p, method, a) -> {
        long start = System.nanoTime();
        Object result;
        try {
            result = method.invoke(cpu, a);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        long nanos = System.nanoTime() - start;
        if (timing && a != null) {
            double[] flops = {0};
            calls.merge(key(method, a, flops), new Calls(1, nanos, flops[0]), (x, y) -> x.plus(y.nanos(), y.flops()));
        }
        return result;
    });
    Backends.setDefault(timed);
    int batch = Integer.parseInt(args[1]);
    Runnable step = args.length > 5 && args[5].equals("sample") ? BenchStep.sampling(args[0], batch) : BenchStep.of(args[0], batch)::run;
    int warm = Integer.parseInt(args[3]), steps = Integer.parseInt(args[4]);
    for (int i = 0; i < warm; i++) step.run();
    timing = true;
    long start = System.nanoTime();
    for (int i = 0; i < steps; i++) step.run();
    double stepMs = (System.nanoTime() - start) / 1e6 / steps;
    timing = false;

    double kernelMs = calls.values().stream().mapToDouble(c -> c.nanos() / 1e6 / steps).sum();
    System.out.printf("%s b%s, %s threads: %.2f ms per step, %.2f ms of it in kernels%n", args[0], args[1], args[2], stepMs, kernelMs);
    System.out.printf("%8s %6s %10s %9s  %s%n", "ms/step", "share", "calls/step", "GFLOP/s", "kernel");
    var shapes = new LinkedHashSet<String>();
    calls.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue().nanos(), x.getValue().nanos())).forEach(e -> {
        Calls c = e.getValue();
        double ms = c.nanos() / 1e6 / steps;
        String rate = c.flops() > 0 ? String.format("%9.1f", c.flops() / c.nanos()) : "";
        System.out.printf("%8.3f %5.1f%% %10.1f %9s  %s%n", ms, 100 * ms / stepMs, (double) c.count() / steps, rate, e.getKey());
        if (e.getKey().startsWith("gemm")) shapes.add(e.getKey().substring(e.getKey().indexOf(' ') + 1));
    });
    System.out.println("products: " + String.join(" ", shapes));
    System.exit(0);
}
