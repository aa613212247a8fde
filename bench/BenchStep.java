import org.gan4j.gan.GanLoss;
import org.gan4j.gan.Generator;
import org.gan4j.gan.Models;
import org.gan4j.gan.ModelOptions;
import org.gan4j.gan.TrainOptions;
import org.gan4j.gan.Trainer;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Scope;
import org.gan4j.tensor.Tensor;

/**
 * The training step that the bench scripts time, as `gan4j bench` makes it: a model with the
 * default options and seeds, its Trainer (non-saturating loss, default options) and one batch of
 * random real images in [-1, 1], on the default backend (set it first).
 */
record BenchStep(Trainer trainer, Tensor real) {
    static BenchStep of(String model, int batch) {
        var gan = Models.create(model, ModelOptions.defaults(), Rng.seeded(1));
        Generator g = gan.generator();
        var trainer = new Trainer(gan, GanLoss.nonSaturating(), TrainOptions.defaults(), null, Rng.seeded(2));
        int[] shape = new int[g.outputShape().length + 1];
        shape[0] = batch;
        System.arraycopy(g.outputShape(), 0, shape, 1, g.outputShape().length);
        return new BenchStep(trainer, Tensor.rand(Rng.seeded(3), shape).mul(2f).sub(1f));
    }

    /** Sampling as `gan4j bench` times it: G in eval mode, no gradients, a fresh noise batch each call. */
    static Runnable sampling(String model, int batch) {
        Generator g = Models.create(model, ModelOptions.defaults(), Rng.seeded(1)).generator();
        g.eval();
        Rng noise = Rng.seeded(4);
        return () -> {
            try (var scope = Scope.open(); var noGrad = Autograd.noGrad()) {
                g.generate(g.noise(batch, noise), null).meanAll().item();   // reads back: the work is done
            }
        };
    }

    void run() {
        trainer.step(real, null);
    }
}
