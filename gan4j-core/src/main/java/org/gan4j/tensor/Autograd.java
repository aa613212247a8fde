package org.gan4j.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation over the graph that ops record as they run. Backward
 * functions are themselves tensor ops, so with {@code createGraph} the gradients form a new
 * graph that can be differentiated again (gradient penalties need that).
 */
public final class Autograd {
    private static final ThreadLocal<int[]> NO_GRAD_DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private static volatile boolean anomalyMode;

    private Autograd() {
    }

    /** How a tensor was made: the op, its inputs, and its local derivative. */
    record Node(String op, Tensor[] inputs, GradFn gradFn) {
    }

    /** The gradient with respect to input {@code i}, given the gradient of the op's output. */
    @FunctionalInterface
    public interface GradFn {
        Tensor apply(int i, Tensor gradOutput);
    }

    /**
     * A derivative whose inputs' gradients share work (batch norm's channel sums): the walk asks
     * for all of them in one call, so the shared part lives for that call only and no order of
     * requests is assumed.
     */
    @FunctionalInterface
    interface JointGradFn extends GradFn {
        /** Entry i is the gradient with respect to input i, or null where that input requires none. */
        Tensor[] applyAll(Tensor gradOutput);

        @Override
        default Tensor apply(int i, Tensor gradOutput) {
            return applyAll(gradOutput)[i];
        }
    }

    /** Within this scope ops record nothing: {@code try (var ng = Autograd.noGrad()) { ... }}. */
    public static NoGrad noGrad() {
        NO_GRAD_DEPTH.get()[0]++;
        return new NoGrad();
    }

    /** An open no-grad scope; closing it restores recording. */
    public static final class NoGrad implements AutoCloseable {
        private boolean closed;

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                NO_GRAD_DEPTH.get()[0]--;
            }
        }
    }

    public static boolean isGradEnabled() {
        return NO_GRAD_DEPTH.get()[0] == 0;
    }

    /** When on, every op checks its output and names itself if it produced NaN or infinity. */
    public static void setAnomalyMode(boolean on) {
        anomalyMode = on;
    }

    static boolean anomalyMode() {
        return anomalyMode;
    }

    /** Accumulates d(root)/d(leaf), scaled by {@code seed}, into every leaf's {@code grad}. */
    static void backward(Tensor root, Tensor seed) {
        Map<Tensor, Tensor> grads = propagate(new Tensor[] {root}, new Tensor[] {seed}, false);
        grads.forEach((t, g) -> {
            if (t.isLeaf() && t.requiresGrad()) t.accumulateGrad(g);
        });
    }

    /**
     * The gradients of {@code sum(outputs)} with respect to {@code inputs} (zeros where an input
     * does not influence the outputs). With {@code createGraph} the results carry their own graph.
     */
    public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs, boolean createGraph) {
        Tensor[] seeds = new Tensor[outputs.length];
        for (int i = 0; i < outputs.length; i++) seeds[i] = Tensor.onesLike(outputs[i]);
        Map<Tensor, Tensor> grads = propagate(outputs, seeds, createGraph);
        Tensor[] result = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor g = grads.get(inputs[i]);
            result[i] = g != null ? g : Tensor.zerosLike(inputs[i]);
        }
        return result;
    }

    /** The walk: visit nodes from the outputs down, handing each input its share of the gradient. */
    private static Map<Tensor, Tensor> propagate(Tensor[] outputs, Tensor[] seeds, boolean createGraph) {
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        for (int i = 0; i < outputs.length; i++) {
            if (!outputs[i].requiresGrad()) {
                throw new IllegalArgumentException("output " + i + " " + Tensor.shapeString(outputs[i].shape())
                        + " does not require grad: nothing it depends on has requiresGrad set");
            }
            add(grads, outputs[i], seeds[i]);
        }
        NoGrad ng = createGraph ? null : noGrad();
        try {
            for (Tensor t : reverseTopologicalOrder(outputs)) {
                Tensor g = grads.get(t);
                Node node = t.node();
                if (g == null || node == null) continue;
                Tensor[] joint = node.gradFn() instanceof JointGradFn j ? j.applyAll(g) : null;
                for (int i = 0; i < node.inputs().length; i++) {
                    Tensor in = node.inputs()[i];
                    if (in.requiresGrad()) add(grads, in, joint != null ? joint[i] : node.gradFn().apply(i, g));
                }
            }
        } finally {
            if (ng != null) ng.close();
        }
        return grads;
    }

    private static void add(Map<Tensor, Tensor> grads, Tensor t, Tensor g) {
        grads.merge(t, g, Tensor::add);
    }

    /** Every tensor reachable from the outputs, each after all tensors that consume it. */
    private static List<Tensor> reverseTopologicalOrder(Tensor[] outputs) {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object[]> stack = new ArrayDeque<>();   // {tensor, next input index}
        for (Tensor o : outputs) {
            if (visited.add(o)) stack.push(new Object[] {o, 0});
            while (!stack.isEmpty()) {
                Object[] top = stack.peek();
                Tensor t = (Tensor) top[0];
                int next = (Integer) top[1];
                Tensor[] inputs = t.node() == null ? new Tensor[0] : t.node().inputs();
                if (next < inputs.length) {
                    top[1] = next + 1;
                    Tensor in = inputs[next];
                    if (in.requiresGrad() && visited.add(in)) stack.push(new Object[] {in, 0});
                } else {
                    order.add(t);
                    stack.pop();
                }
            }
        }
        Collections.reverse(order);
        return order;
    }
}
