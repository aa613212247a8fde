// Replayed against rebuilt training steps in one JVM, taking turns (Trainer.setReplay), so that both
// run on the same compiled kernels: fresh JVMs differ more in what the JIT makes of the kernels than
// replay saves. Each turn starts with three untimed steps (a rebuilt one, the recording, a replay).
//
//   java --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp "gan4j-cli/target/lib/*" \
//       bench/ReplayTurns.java MODEL BATCH THREADS WARM_STEPS STEPS_PER_TURN TURNS
//   e.g. bench/ReplayTurns.java dcgan28 64 2 60 60 4
import org.gan4j.gan.Trainer;
import org.gan4j.tensor.Backends;
import org.gan4j.tensor.cpu.CpuBackend;
void main(String[] args) {
    Backends.setDefault(new CpuBackend(Integer.parseInt(args[2])));
    var step = BenchStep.of(args[0], Integer.parseInt(args[1]));
    Trainer trainer = step.trainer();
    int warm = Integer.parseInt(args[3]), per = Integer.parseInt(args[4]), turns = Integer.parseInt(args[5]);
    for (int i = 0; i < warm; i++) step.run();
    StringBuilder rep = new StringBuilder("replayed:"), eag = new StringBuilder("rebuilt: ");
    for (int t = 0; t < 2 * turns; t++) {
        boolean replay = t % 2 == 0;
        trainer.setReplay(replay);
        for (int i = 0; i < 3; i++) step.run();   // eager, record
        long t0 = System.nanoTime();
        for (int i = 0; i < per; i++) step.run();
        (replay ? rep : eag).append(String.format(" %.1f", (System.nanoTime() - t0) / 1e6 / per));
    }
    System.out.println(args[0] + " b" + args[1] + " " + args[2] + " threads, ms/step per turn\n" + rep + "\n" + eag);
    System.exit(0);
}
