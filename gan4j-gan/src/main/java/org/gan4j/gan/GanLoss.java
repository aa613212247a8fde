package org.gan4j.gan;

import java.util.List;
import org.gan4j.tensor.Tensor;

/**
 * The two players' losses, from D's logits (D(x) = sigmoid(logit)). {@code realTarget} is 1,
 * or less with one-sided label smoothing (only the losses built on cross-entropy use it).
 */
public interface GanLoss {
    List<String> NAMES = List.of("bce", "minimax", "lsgan", "hinge", "wgan-gp", "rpgan");

    String name();

    /** Phase 1: D's loss on a real batch and a fake batch. */
    Tensor discriminator(Tensor realLogits, Tensor fakeLogits, float realTarget);

    /** Phase 2: G's loss on D's logits for its fakes. */
    Tensor generator(Tensor fakeLogits);

    /**
     * Phase 2 of a relativistic loss, which judges G's fakes against the real batch: {@code realLogits}
     * are D(x) under the same frozen D, constants for G. The other losses ignore them.
     */
    default Tensor generator(Tensor realLogits, Tensor fakeLogits) {
        return generator(fakeLogits);
    }

    /** Whether G's loss reads D(x) too, so that the step must judge the real batch again in phase 2. */
    default boolean pairsRealWithFake() {
        return false;
    }

    /**
     * Whether sigmoid(D) is D's probability that its input is real (for a relativistic loss: that a
     * pair's real sample beats its fake), so that D(x) and D(G(z)) mean something and a D pinned at
     * 0 or 1 leaves G without gradient. Not for raw scores: least squares, hinge, Wasserstein.
     */
    default boolean hasProbabilities() {
        return true;
    }

    /** Whether D's loss needs the gradient penalty (the Wasserstein critic). */
    default boolean needsGradientPenalty() {
        return false;
    }

    static GanLoss named(String name) {
        return switch (name) {
            case "bce" -> nonSaturating();
            case "minimax" -> minimax();
            case "lsgan" -> leastSquares();
            case "hinge" -> hinge();
            case "wgan-gp" -> wasserstein();
            case "rpgan" -> relativisticPairing();
            default -> throw new IllegalArgumentException("unknown loss '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        };
    }

    /** D: -log D(x) - log(1 - D(G(z))); G: -log D(G(z)) (Goodfellow et al.'s practical choice). */
    static GanLoss nonSaturating() {
        return new CrossEntropy("bce", false);
    }

    /** D as above; G minimises log(1 - D(G(z))), the original minimax game. */
    static GanLoss minimax() {
        return new CrossEntropy("minimax", true);
    }

    /** LSGAN (Mao et al. 2017): D: ½(D(x) - 1)² + ½D(G(z))²; G: ½(D(G(z)) - 1)², on raw scores. */
    static GanLoss leastSquares() {
        return new GanLoss() {
            public String name() {
                return "lsgan";
            }

            public boolean hasProbabilities() {
                return false;
            }

            public Tensor discriminator(Tensor real, Tensor fake, float realTarget) {
                Tensor r = real.sub(realTarget);
                return r.mul(r).meanAll().add(fake.mul(fake).meanAll()).mul(0.5f);
            }

            public Tensor generator(Tensor fake) {
                Tensor f = fake.sub(1f);
                return f.mul(f).meanAll().mul(0.5f);
            }
        };
    }

    /** Hinge (Lim and Ye 2017; Miyato et al. 2018): D: relu(1 - D(x)) + relu(1 + D(G(z))); G: -D(G(z)). */
    static GanLoss hinge() {
        return new GanLoss() {
            public String name() {
                return "hinge";
            }

            public boolean hasProbabilities() {
                return false;
            }

            public Tensor discriminator(Tensor real, Tensor fake, float realTarget) {
                return real.neg().add(1f).relu().meanAll().add(fake.add(1f).relu().meanAll());
            }

            public Tensor generator(Tensor fake) {
                return fake.meanAll().neg();
            }
        };
    }

    /** WGAN-GP (Gulrajani et al. 2017): D: D(G(z)) - D(x) + λ·penalty; G: -D(G(z)). */
    static GanLoss wasserstein() {
        return new GanLoss() {
            public String name() {
                return "wgan-gp";
            }

            public boolean hasProbabilities() {
                return false;
            }

            public Tensor discriminator(Tensor real, Tensor fake, float realTarget) {
                return fake.meanAll().sub(real.meanAll());
            }

            public Tensor generator(Tensor fake) {
                return fake.meanAll().neg();
            }

            public boolean needsGradientPenalty() {
                return true;
            }
        };
    }

    /**
     * Relativistic pairing (RpGAN; Jolicoeur-Martineau 2019, as R3GAN by Huang et al. 2024 uses it):
     * D: softplus(-(D(x) - D(G(z)))); G: softplus(-(D(G(z)) - D(x))), the i-th fake paired with the
     * i-th real sample. D learns by how much real beats fake rather than where each lies, which keeps
     * every real sample's neighbourhood in play and so resists mode dropping.
     */
    static GanLoss relativisticPairing() {
        return new GanLoss() {
            public String name() {
                return "rpgan";
            }

            public Tensor discriminator(Tensor real, Tensor fake, float realTarget) {
                return fake.sub(real).softplus().meanAll();
            }

            public Tensor generator(Tensor fake) {
                throw new UnsupportedOperationException("rpgan's G loss pairs its fakes with real samples: call generator(real, fake)");
            }

            public Tensor generator(Tensor real, Tensor fake) {
                return real.sub(fake).softplus().meanAll();
            }

            public boolean pairsRealWithFake() {
                return true;
            }
        };
    }

    /** The cross-entropy pair; softplus keeps it exact for large logits. */
    record CrossEntropy(String name, boolean minimaxGenerator) implements GanLoss {
        public Tensor discriminator(Tensor real, Tensor fake, float realTarget) {
            // -t·log σ(r) - (1-t)·log(1-σ(r)) = softplus(r) - t·r ;  -log(1-σ(f)) = softplus(f)
            return real.softplus().sub(real.mul(realTarget)).meanAll().add(fake.softplus().meanAll());
        }

        public Tensor generator(Tensor fake) {
            // -log σ(f) = softplus(-f) ;  log(1-σ(f)) = -softplus(f)
            return minimaxGenerator ? fake.softplus().meanAll().neg() : fake.neg().softplus().meanAll();
        }
    }
}
