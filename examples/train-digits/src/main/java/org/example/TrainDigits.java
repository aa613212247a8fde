package org.example;

import java.nio.file.Path;
import java.util.Map;
import org.gan4j.gan.StepStats;
import org.gan4j.optim.OptimizerSpec;
import org.gan4j.run.GanRun;
import org.gan4j.run.Images;
import org.gan4j.run.RunListener;
import org.gan4j.run.Samples;
import org.gan4j.run.TrainedGenerator;
import org.gan4j.tensor.Tensor;

/** Trains a small GAN on the MNIST digits that ship with gan4j, then loads the run back and draws from it. */
public class TrainDigits {
    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "runs/digits");
        long steps = args.length > 1 ? Long.parseLong(args[1]) : 300;

        GanRun run = GanRun.builder()
                .model("mlp")                                           // or your own: .model(new GanModel(name, g, d))
                .mlp(new int[] {128, 256}, new int[] {256}, null)       // a small MLP, quick on a laptop
                .loss("bce")                                            // the non-saturating loss
                .optimizerG(OptimizerSpec.adam(2e-4f, 0.5f, 0.999f))
                .optimizerD(OptimizerSpec.adamW(2e-4f, 0.5f, 0.999f, 1e-4f))
                .data("mnist-test")                                     // shipped with gan4j: works offline
                .batchSize(64).steps(steps).seed(1)
                .sampleEvery(100).checkpointEvery(100)
                .directory(dir)
                .listener(new RunListener() {
                    @Override
                    public void stepped(StepStats s, Map<String, Object> metrics) {
                        if (s.step() % 50 == 0) System.out.printf("step %d: D loss %.3f, G loss %.3f%n", s.step(), s.lossD(), s.lossG());
                    }
                })
                .build();
        run.fit();   // run it again after a kill: resume with GanRun.builder().resume(dir).build().fit()

        TrainedGenerator g = TrainedGenerator.load(dir);
        Tensor images = g.sample(64, 7);   // [64, 1, 28, 28] in [-1, 1]
        Path grid = dir.resolve("grid.png");
        Images.writePng(Samples.picture(images), grid);
        System.out.println("trained " + g.step() + " steps; 64 samples in " + grid);
    }
}
