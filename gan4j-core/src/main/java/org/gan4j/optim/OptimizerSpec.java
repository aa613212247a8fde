package org.gan4j.optim;

import java.util.List;
import org.gan4j.tensor.Tensor;

/**
 * Which optimizer a network learns with, and its settings, as plain data: a run's configuration
 * stores it and makes the optimizer from it when the parameters exist. {@code beta1} and
 * {@code beta2} are Adam's (RMSprop's smoothing constant α is its {@code beta2});
 * {@code momentum} is SGD's and RMSprop's.
 */
public record OptimizerSpec(String name, float lr, float beta1, float beta2, float momentum, float weightDecay) {
    public static final List<String> NAMES = List.of("adam", "adamw", "sgd", "rmsprop");

    public OptimizerSpec {
        if (!NAMES.contains(name)) throw new IllegalArgumentException("unknown optimizer '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        if (!(lr > 0)) throw new IllegalArgumentException(name + ": the learning rate must be positive, got " + lr);
    }

    /** Adam with PyTorch's ε 1e-8; DCGAN's choice is {@code adam(2e-4f, 0.5f, 0.999f)}. */
    public static OptimizerSpec adam(float lr, float beta1, float beta2) {
        return new OptimizerSpec("adam", lr, beta1, beta2, 0f, 0f);
    }

    /** Adam with weight decay applied to the weights directly (Loshchilov and Hutter). */
    public static OptimizerSpec adamW(float lr, float beta1, float beta2, float weightDecay) {
        return new OptimizerSpec("adamw", lr, beta1, beta2, 0f, weightDecay);
    }

    public static OptimizerSpec sgd(float lr, float momentum) {
        return new OptimizerSpec("sgd", lr, 0f, 0f, momentum, 0f);
    }

    /** RMSprop with smoothing constant α (PyTorch's default 0.99). */
    public static OptimizerSpec rmsprop(float lr, float alpha) {
        return new OptimizerSpec("rmsprop", lr, 0f, alpha, 0f, 0f);
    }

    public OptimizerSpec withLearningRate(float newLr) {
        return new OptimizerSpec(name, newLr, beta1, beta2, momentum, weightDecay);
    }

    public OptimizerSpec withBetas(float b1, float b2) {
        return new OptimizerSpec(name, lr, b1, b2, momentum, weightDecay);
    }

    /** The optimizer over {@code params}, and only those. */
    public Optimizer create(Iterable<Tensor> params) {
        return switch (name) {
            case "adam" -> weightDecay == 0 ? new Adam(params, lr, beta1, beta2) : new Adam(params, lr, beta1, beta2, 1e-8f, weightDecay, false);
            case "adamw" -> new AdamW(params, lr, beta1, beta2, 1e-8f, weightDecay);
            case "sgd" -> new SGD(params, lr, momentum, 0f, weightDecay, false);
            default -> new RMSprop(params, lr, beta2, 1e-8f, weightDecay, momentum);
        };
    }
}
