// Training images per CPU-second of one thread: the step of `gan4j bench`, timed by the thread's
// CPU time, so that being descheduled on a shared machine does not count (other jobs still share
// caches and memory bandwidth). Prints the median of 7 blocks and the heap allocated per step.
// A third argument "eager" turns step replay off.
//
//   java --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp "gan4j-cli/target/lib/*" bench/StepCpuTime.java dcgan28 64 [eager]
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.gan4j.tensor.Backends;
import org.gan4j.tensor.cpu.CpuBackend;

void main(String[] args) {
    var clock = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    Backends.setDefault(new CpuBackend(1));
    String name = args[0];
    int batch = Integer.parseInt(args[1]);
    var step = BenchStep.of(name, batch);
    boolean replay = !(args.length > 2 && args[2].equals("eager"));
    step.trainer().setReplay(replay);

    long warmEnd = clock.getCurrentThreadCpuTime() + 4_000_000_000L;
    while (clock.getCurrentThreadCpuTime() < warmEnd) step.run();
    double[] rates = new double[7];
    long allocated = clock.getCurrentThreadAllocatedBytes(), steps = 0;
    for (int b = 0; b < rates.length; b++) {
        long start = clock.getCurrentThreadCpuTime(), n = 0;
        while (clock.getCurrentThreadCpuTime() - start < 1_000_000_000L) {
            step.run();
            n++;
        }
        rates[b] = n * batch / ((clock.getCurrentThreadCpuTime() - start) / 1e9);
        steps += n;
    }
    allocated = clock.getCurrentThreadAllocatedBytes() - allocated;
    Arrays.sort(rates);
    System.out.printf("%s b%d %s: %.1f img per CPU-second (blocks %.1f to %.1f), %.2f MB allocated per step%n",
            name, batch, replay ? "replayed" : "eager", rates[3], rates[0], rates[6], allocated / 1e6 / steps);
    System.exit(0);
}
