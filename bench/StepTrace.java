// Each training step of a fresh JVM, one by one: its wall-clock time and the heap the training
// thread allocated during it. Shows the JIT's warm-up, and a kernel whose vectors stay boxed
// (a steady allocation of many MB per step where a clean run allocates nothing).
//
//   java --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp "gan4j-cli/target/lib/*" \
//       bench/StepTrace.java MODEL BATCH THREADS STEPS        # e.g. dcgan64 64 2 10
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.gan4j.tensor.Backends;
import org.gan4j.tensor.cpu.CpuBackend;

void main(String[] args) {
    Backends.setDefault(new CpuBackend(Integer.parseInt(args[2])));
    var step = BenchStep.of(args[0], Integer.parseInt(args[1]));
    var clock = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    StringBuilder steps = new StringBuilder();
    for (int i = 0; i < Integer.parseInt(args[3]); i++) {
        long heap = clock.getCurrentThreadAllocatedBytes(), start = System.nanoTime();
        step.run();
        steps.append(String.format("%d:%.0fms/%.0fMB ", i, (System.nanoTime() - start) / 1e6,
                                   (clock.getCurrentThreadAllocatedBytes() - heap) / 1e6));
    }
    System.out.println(steps.toString().strip());
    System.exit(0);
}
