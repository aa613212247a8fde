// gan4j's GEMM on products named as GemmBench and bench/numpy_gemm.py name them
// (mxnxk/transposes/batch/shared, shared: A, C or -), without JMH: for each, 3 blocks of 0.3 s of
// warm-up, then the median GFLOP/s of 9 blocks. Puts one build's jar first on the class path to
// compare builds.
//
//   java --add-modules jdk.incubator.vector -cp gan4j-core/target/gan4j-core-0.1.0-SNAPSHOT.jar \
//       bench/GemmTime.java THREADS SHAPE...                  # e.g. 2 64x16x196/NT/128/C
import java.util.Arrays;
import java.util.Random;
import org.gan4j.tensor.Storage;
import org.gan4j.tensor.cpu.CpuBackend;

void main(String[] args) {
    var cpu = new CpuBackend(Integer.parseInt(args[0]));
    for (String name : Arrays.copyOfRange(args, 1, args.length)) {
        String[] part = name.split("/"), size = part[0].split("x");
        int m = Integer.parseInt(size[0]), n = Integer.parseInt(size[1]), k = Integer.parseInt(size[2]);
        boolean transA = part[1].charAt(0) == 'T', transB = part[1].charAt(1) == 'T';
        int batch = Integer.parseInt(part[2]);
        boolean sharedA = part[3].equals("A"), sharedC = part[3].equals("C");
        Random r = new Random(1);
        float[] a = new float[(sharedA ? 1 : batch) * m * k], b = new float[batch * k * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat();
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat();
        Storage sa = cpu.fromArray(a), sb = cpu.fromArray(b), sc = cpu.allocate((sharedC ? 1 : batch) * m * n);
        double[] rates = new double[9];
        for (int block = -3; block < rates.length; block++) {
            long start = System.nanoTime(), calls = 0;
            while (System.nanoTime() - start < 300_000_000L) {
                cpu.gemm(transA, transB, m, n, k, 1f, sa, transA ? m : k, sharedA ? 0 : m * k, sb, transB ? k : n, k * n,
                         0f, sc, n, sharedC ? 0 : m * n, batch);
                calls++;
            }
            if (block >= 0) rates[block] = 2.0 * m * n * k * batch * calls / (System.nanoTime() - start);
        }
        Arrays.sort(rates);
        System.out.printf("%s: median %.1f GFLOP/s (%.1f to %.1f)%n", name, rates[4], rates[0], rates[8]);
    }
    System.exit(0);
}
