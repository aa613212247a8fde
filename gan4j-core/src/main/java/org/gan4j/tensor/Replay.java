package org.gan4j.tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A step's kernels, recorded once and then replayed on the same memory: no autograd graph, no op
 * objects, no shape checks, only the kernel calls in their order.
 *
 * <pre>{@code
 * Replay step = Replay.record(() -> { ... forward, backward, optimizer ... });   // runs the step, eagerly
 * step.run();                                                                      // the next steps
 * }</pre>
 *
 * <p>{@link #record} runs its body as it always runs, and writes down every kernel the body's ops
 * issue, with their arguments and memory. The memory that the body's scopes hand back stays with the
 * recording (until {@link #close}), so a replay finds its intermediates where the recorded kernels
 * left them, and nothing else is given that memory meanwhile.
 *
 * <p>What changes from step to step must not be frozen into a kernel's arguments, so that work is
 * done through {@link #live}: it runs in its place at every replay, as Java code. A noise draw takes
 * the generator's next counters, an optimizer computes this step's learning rate and bias corrections,
 * a loss is read back and checked (a live action reads fields and arrays as they are when it runs, so it
 * should hold the very tensors it reads). A value read back anywhere else could steer the step by the
 * recorded value, so such a read marks the recording unusable ({@link #failure}). Values that the
 * host writes into new tensors inside the body ({@code Tensor.of}) are taken as constants.
 */
public final class Replay implements AutoCloseable {
    private static final ThreadLocal<Replay> RECORDING = new ThreadLocal<>();

    private final List<Runnable> tape = new ArrayList<>();
    private final Map<Backend, Recorder> recorders = new IdentityHashMap<>();
    /** The memory the body's scopes gave back, kept for the replays, and the backend each goes back to. */
    private final List<Storage> owned = new ArrayList<>();
    private final List<Backend> owners = new ArrayList<>();
    private String failure;
    private boolean closed;

    private Replay() {
    }

    /** Runs {@code body} on this thread, recording the kernels it issues; a body that throws leaves no recording. */
    public static Replay record(Runnable body) {
        if (RECORDING.get() != null) throw new IllegalStateException("a step is already being recorded on this thread");
        Replay replay = new Replay();
        RECORDING.set(replay);
        boolean recorded = false;
        try {
            body.run();
            recorded = true;
        } finally {
            RECORDING.remove();
            if (!recorded) replay.close();
        }
        return replay;
    }

    /**
     * Runs {@code action} now and, when a step is being recorded, again at every replay, in the same
     * place among the kernels. The kernels it issues are its own and are not recorded.
     */
    public static void live(Runnable action) {
        Replay replay = RECORDING.get();
        if (replay == null) {
            action.run();
            return;
        }
        replay.tape.add(action);
        RECORDING.remove();
        try {
            action.run();
        } finally {
            RECORDING.set(replay);
        }
    }

    /** Issues the recorded kernels again, and runs the live actions in their places. */
    public void run() {
        if (closed) throw new IllegalStateException("replay: the recording was closed");
        if (failure != null) throw new IllegalStateException("replay: the recording is unusable: " + failure);
        try (Scope scope = Scope.open()) {   // for what live actions allocate
            for (Runnable kernel : tape) kernel.run();
        }
    }

    /** Why this recording cannot be replayed, or null when it can. */
    public String failure() {
        return failure;
    }

    /** How many kernel calls and live actions a replay runs. */
    public int length() {
        return tape.size();
    }

    /** Gives the recording's memory back to the backends' pools; it cannot be replayed afterwards. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (int i = 0; i < owned.size(); i++) owners.get(i).release(owned.get(i));
        owned.clear();
        owners.clear();
    }

    /** The backend as ops call it: through this thread's recorder while a step is being recorded. */
    static Backend kernels(Backend backend) {
        Replay replay = RECORDING.get();
        return replay == null ? backend : replay.recorders.computeIfAbsent(backend, b -> new Recorder(b, replay));
    }

    void add(Runnable kernel) {
        tape.add(kernel);
    }

    void keep(Backend backend, Storage s) {
        owned.add(s);
        owners.add(backend);
    }

    void fail(String why) {
        if (failure == null) failure = why;
    }
}
