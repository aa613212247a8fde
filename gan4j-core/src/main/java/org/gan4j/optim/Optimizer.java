package org.gan4j.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gan4j.tensor.Replay;
import org.gan4j.tensor.Scope;
import org.gan4j.tensor.Tensor;

/**
 * Updates the parameters it was given, and only those (the seeds' {@code var_list}): D's
 * optimizer never touches G. State tensors (moments, momentum buffers) are made the first time
 * a parameter has a gradient, outside any scope; the update itself is one fused kernel call.
 *
 * <p>The state dictionary holds "step" and "lr" as one-element tensors and each parameter's
 * state as "index.name" (e.g. "0.exp_avg"), PyTorch's names, so it saves as safetensors.
 */
public abstract class Optimizer {
    private final List<Tensor> params;
    private final List<Map<String, Tensor>> state = new ArrayList<>();
    private final int[] paramSteps;
    private float lr;
    private int steps;

    protected Optimizer(Iterable<Tensor> params, float lr) {
        List<Tensor> list = new ArrayList<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor p : params) {
            if (!p.isLeaf()) throw new IllegalArgumentException(name() + ": can only optimize leaf tensors, got the output of " + p.op());
            if (seen.add(p)) list.add(p);
        }
        if (!(lr >= 0)) throw new IllegalArgumentException(name() + ": invalid learning rate " + lr);
        this.params = List.copyOf(list);
        for (int i = 0; i < list.size(); i++) state.add(new LinkedHashMap<>());
        paramSteps = new int[list.size()];
        this.lr = lr;
    }

    /**
     * One update of every parameter that has a gradient; those without one are skipped, as in PyTorch.
     * A replayed step runs it as Java code each time: the learning rate and bias corrections change.
     */
    public final void step() {
        Replay.live(this::updateAll);
    }

    private void updateAll() {
        steps++;
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p.grad() != null) update(p, state.get(i), ++paramSteps[i]);
        }
    }

    /**
     * Applies the rule to one parameter; {@code step} counts this parameter's updates from 1 and
     * is 1 exactly when its state was just created.
     */
    protected abstract void update(Tensor param, Map<String, Tensor> state, int step);

    /** The names of the state tensors this rule keeps per parameter (for loading). */
    protected abstract List<String> stateNames();

    /** A state tensor of the parameter's shape, made (zero) on first use. */
    protected static Tensor slot(Map<String, Tensor> state, String name, Tensor param) {
        return state.computeIfAbsent(name, k -> Scope.outside(() -> Tensor.zerosLike(param)));
    }

    /** Zeroes the gradients of this optimizer's parameters in place. */
    public void zeroGrad() {
        for (Tensor p : params) p.zeroGrad();
    }

    public List<Tensor> parameters() {
        return params;
    }

    public float learningRate() {
        return lr;
    }

    /** Changes the learning rate, e.g. halving it when training stalls. */
    public void setLearningRate(float lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException(name() + ": invalid learning rate " + lr);
        this.lr = lr;
    }

    /** How many times {@link #step()} ran. */
    public int steps() {
        return steps;
    }

    protected String name() {
        return getClass().getSimpleName();
    }

    /** Step count, learning rate and every parameter's state; the tensors are the live ones, not copies. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("step", Tensor.scalar(steps));
        out.put("lr", Tensor.scalar(lr));
        for (int i = 0; i < params.size(); i++) {
            if (state.get(i).isEmpty()) continue;
            out.put(i + ".step", Tensor.scalar(paramSteps[i]));
            for (var e : state.get(i).entrySet()) out.put(i + "." + e.getKey(), e.getValue());
        }
        return out;
    }

    /** Restores a {@link #stateDict()} from an optimizer of the same kind over parameters of the same shapes. */
    public void loadStateDict(Map<String, Tensor> dict) {
        List<String> problems = new ArrayList<>();
        for (String k : List.of("step", "lr")) if (!dict.containsKey(k)) problems.add("missing key " + k);
        for (var e : dict.entrySet()) {
            String k = e.getKey();
            if (k.equals("step") || k.equals("lr")) continue;
            int dot = k.indexOf('.');
            int i = dot > 0 ? index(k.substring(0, dot)) : -1;
            String what = dot > 0 ? k.substring(dot + 1) : "";
            if (i < 0 || i >= params.size() || !(what.equals("step") || stateNames().contains(what))) {
                problems.add("unexpected key " + k);
            } else if (!what.equals("step") && !Arrays.equals(e.getValue().shape(), params.get(i).shape())) {
                problems.add(k + ": checkpoint has " + Tensor.shapeString(e.getValue().shape()) + ", parameter has "
                        + Tensor.shapeString(params.get(i).shape()));
            }
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException("cannot load " + name() + " state: " + String.join("; ", problems));

        steps = (int) dict.get("step").item();
        lr = dict.get("lr").item();
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            Map<String, Tensor> s = state.get(i);
            s.clear();
            Tensor count = dict.get(i + ".step");
            paramSteps[i] = count == null ? 0 : (int) count.item();
            for (String n : stateNames()) {
                Tensor src = dict.get(i + "." + n);
                if (src == null) continue;
                try (Scope scope = Scope.open()) {
                    slot(s, n, p).assign(src.to(p.backend()));
                }
            }
        }
    }

    /** The optimizer's whole state at one moment: step counts and copies of the state tensors. */
    public record Saved(int steps, int[] paramSteps, List<Map<String, Tensor>> state) {
    }

    /**
     * Copies the state so that {@link #restore} can return to it, as an unrolled look-ahead of
     * D does after every G step. The copies belong to the current scope.
     */
    public Saved save() {
        List<Map<String, Tensor>> copies = new ArrayList<>();
        for (Map<String, Tensor> s : state) {
            Map<String, Tensor> c = new LinkedHashMap<>();
            s.forEach((name, t) -> c.put(name, t.copy()));
            copies.add(c);
        }
        return new Saved(steps, paramSteps.clone(), copies);
    }

    /** Returns to a {@link #save}d state in place: the state tensors keep their memory, slots made since are dropped. */
    public void restore(Saved saved) {
        steps = saved.steps();
        System.arraycopy(saved.paramSteps(), 0, paramSteps, 0, paramSteps.length);
        for (int i = 0; i < params.size(); i++) {
            Map<String, Tensor> copies = saved.state().get(i);
            state.get(i).keySet().retainAll(copies.keySet());
            state.get(i).forEach((name, t) -> t.assign(copies.get(name)));
        }
    }

    private static int index(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
