package org.gan4j.gan;

/**
 * What one training step measured. D(x) and D(G(z)) are D's mean probabilities on the real
 * and fake batches (for a relativistic loss, which judges pairs: the chances that D ranks a real
 * sample above its paired fake, and the reverse; NaN for losses of raw scores, which have no
 * probabilities); lossG is NaN on steps that only trained D.
 */
public record StepStats(long step, float lossD, float lossG, float dReal, float dFake) {
}
