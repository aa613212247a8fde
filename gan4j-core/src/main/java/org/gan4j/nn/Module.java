package org.gan4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gan4j.tensor.Scope;
import org.gan4j.tensor.Tensor;

/**
 * A layer or a network of layers, as in PyTorch: it owns named parameters (trained), buffers
 * (state such as running statistics) and child modules, and its state dictionary uses the
 * same dotted names as PyTorch's ("main.0.weight"), so checkpoints map one to one.
 *
 * <p>A module knows where it sits ({@link #path()}), so a wrong input names the layer:
 * "discriminator.0 (Conv2d): input [64, 3, 32, 32] has 3 channels, expected 1".
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private Module parent;
    private String name = "";
    private boolean training = true;

    public abstract Tensor forward(Tensor x);

    // ---- registration ---------------------------------------------------------------------

    /** A new zero parameter that tracks gradients; it lives outside any scope, as long as the module. */
    protected final Tensor parameter(String name, int... shape) {
        Tensor p = Scope.outside(() -> Tensor.zeros(shape)).requiresGrad(true);
        parameters.put(name, p);
        return p;
    }

    /** Registers an existing parameter under {@code name}, e.g. one taken over from a wrapped layer. */
    protected final Tensor adopt(String name, Tensor parameter) {
        parameters.put(name, parameter);
        return parameter;
    }

    /** A new buffer (saved in the state dictionary, never trained) filled with {@code value}. */
    protected final Tensor buffer(String name, float value, int... shape) {
        Tensor b = Scope.outside(() -> Tensor.full(value, shape));
        buffers.put(name, b);
        return b;
    }

    /** Registers {@code child} under {@code name}; its path becomes this module's path plus the name. */
    protected final <M extends Module> M child(String name, M child) {
        Module m = child;
        m.parent = this;
        m.name = name;
        children.put(name, m);
        return child;
    }

    /** Names a root module, so error messages start with e.g. "discriminator". */
    public Module named(String rootName) {
        if (parent != null) throw new IllegalStateException(path() + " is a child module; only a root can be named");
        name = rootName;
        return this;
    }

    // ---- identity ---------------------------------------------------------------------------

    /** Dotted path from the root, e.g. "discriminator.0"; empty for an unnamed root. */
    public String path() {
        if (parent == null) return name;
        String above = parent.path();
        return above.isEmpty() ? name : above + "." + name;
    }

    public String typeName() {
        return getClass().getSimpleName();
    }

    /** "discriminator.0 (Conv2d)", or just the type for an unnamed root. */
    public String describe() {
        String p = path();
        return p.isEmpty() ? typeName() : p + " (" + typeName() + ")";
    }

    /** An exception for a bad input, prefixed with where it happened. */
    protected final IllegalArgumentException inputError(String message) {
        return new IllegalArgumentException(describe() + ": " + message);
    }

    /** Checks the input's rank, naming the layer and the expected layout. */
    protected final void requireRank(Tensor x, int rank, String layout) {
        if (x.dim() != rank) {
            throw inputError("input " + Tensor.shapeString(x.shape()) + " has " + x.dim() + " dimensions, expected "
                    + rank + " " + layout);
        }
    }

    /** Checks a [n, c, ...] input of the given rank has {@code channels} channels. */
    protected final void requireChannels(Tensor x, int rank, String layout, int channels) {
        requireRank(x, rank, layout);
        if (x.size(1) != channels) {
            throw inputError("input " + Tensor.shapeString(x.shape()) + " has " + x.size(1) + " channels, expected " + channels);
        }
    }

    // ---- traversal --------------------------------------------------------------------------

    public Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** This module and every descendant, depth first. */
    public List<Module> modules() {
        List<Module> all = new ArrayList<>();
        all.add(this);
        for (Module c : children.values()) all.addAll(c.modules());
        return all;
    }

    /** Every parameter of this module and its descendants, each once. */
    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Parameters by dotted path relative to this module; a shared parameter keeps its first name. */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect("", true, false, out);
        out.values().removeIf(t -> !seen.add(t));
        return out;
    }

    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", false, true, out);
        return out;
    }

    /** Own parameters, then own buffers, then each child's: PyTorch's state-dictionary order. */
    private void collect(String prefix, boolean withParameters, boolean withBuffers, Map<String, Tensor> out) {
        if (withParameters) parameters.forEach((k, t) -> out.put(prefix + k, t));
        if (withBuffers) buffers.forEach((k, t) -> out.put(prefix + k, t));
        children.forEach((k, c) -> c.collect(prefix + k + ".", withParameters, withBuffers, out));
    }

    // ---- modes ------------------------------------------------------------------------------

    /** Training mode (batch statistics, dropout on) for this module and all below it. */
    public Module train() {
        return train(true);
    }

    /** Evaluation mode (running statistics, dropout off) for this module and all below it. */
    public Module eval() {
        return train(false);
    }

    public Module train(boolean on) {
        for (Module m : modules()) m.training = on;
        return this;
    }

    public boolean isTraining() {
        return training;
    }

    /** Freezes (false) or unfreezes (true) every parameter, e.g. D while G's loss is backpropagated. */
    public Module requiresGrad(boolean on) {
        for (Tensor p : parameters()) p.requiresGrad(on);
        return this;
    }

    /** Zeroes every parameter's gradient in place, keeping its memory for the next step. */
    public void zeroGrad() {
        for (Tensor p : parameters()) p.zeroGrad();
    }

    // ---- state dictionary -------------------------------------------------------------------

    /** Parameters and buffers by PyTorch name; the tensors are the module's own, not copies. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", true, true, out);
        return out;
    }

    /** The keys a non-strict load skipped on either side. */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
    }

    /**
     * Copies values from {@code state} into this module's parameters and buffers. A shape
     * mismatch always fails; missing and unexpected keys fail in strict mode and are reported
     * otherwise. Nothing is copied unless the whole load can succeed.
     */
    public LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), mismatched = new ArrayList<>();
        own.forEach((k, t) -> {
            Tensor src = state.get(k);
            if (src == null) {
                missing.add(k);
            } else if (!Arrays.equals(src.shape(), t.shape())) {
                mismatched.add(k + ": checkpoint has " + Tensor.shapeString(src.shape()) + ", model has "
                        + Tensor.shapeString(t.shape()));
            }
        });
        for (String k : state.keySet()) if (!own.containsKey(k)) unexpected.add(k);

        List<String> problems = new ArrayList<>(mismatched);
        if (strict && !missing.isEmpty()) problems.add("missing keys " + missing);
        if (strict && !unexpected.isEmpty()) problems.add("unexpected keys " + unexpected);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot load state into " + describe() + ": " + String.join("; ", problems));
        }
        try (Scope s = Scope.open()) {
            own.forEach((k, t) -> {
                Tensor src = state.get(k);
                if (src != null) t.assign(src.to(t.backend()));
            });
        }
        return new LoadResult(List.copyOf(missing), List.copyOf(unexpected));
    }

    @Override
    public String toString() {
        return describe();
    }
}
