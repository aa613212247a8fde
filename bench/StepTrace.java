// Each training step of a fresh JVM, one by one: its wall-clock time and the heap the training
// thread allocated during it. Shows the JIT's warm-up, and a kernel whose vectors stay boxed
// (a steady allocation of many MB per step where a clean run allocates nothing).
//
//   java --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp "gan4j-cli/target/lib/*" \
//       bench/StepTrace.java MODEL BATCH THREADS STEPS        # e.g. dcgan64 64 2 10
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.gan4j.gan.*;
import org.gan4j.tensor.*;
import org.gan4j.tensor.cpu.CpuBackend;

void main(String[] args) {
    Backends.setDefault(new CpuBackend(Integer.parseInt(args[2])));
    GanModel m = Models.create(args[0], ModelOptions.defaults(), Rng.seeded(1));
    Generator g = m.generator();
    Trainer trainer = new Trainer(m, GanLoss.nonSaturating(), TrainOptions.defaults(), null, Rng.seeded(2));
    int[] shape = new int[g.outputShape().length + 1];
    shape[0] = Integer.parseInt(args[1]);
    System.arraycopy(g.outputShape(), 0, shape, 1, g.outputShape().length);
    Tensor real = Tensor.rand(Rng.seeded(3), shape).mul(2f).sub(1f);
    var clock = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    StringBuilder steps = new StringBuilder();
    for (int i = 0; i < Integer.parseInt(args[3]); i++) {
        long heap = clock.getCurrentThreadAllocatedBytes(), start = System.nanoTime();
        trainer.step(real, null);
        steps.append(String.format("%d:%.0fms/%.0fMB ", i, (System.nanoTime() - start) / 1e6,
                                   (clock.getCurrentThreadAllocatedBytes() - heap) / 1e6));
    }
    System.out.println(steps.toString().strip());
    System.exit(0);
}
