package org.gan4j.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * Owns the memory of every tensor created while it is open on this thread; closing it hands
 * that memory back to the backends' pools. A training step runs in a scope, so its
 * intermediates are recycled and the next step reuses the same memory. Parameters, gradients
 * and optimizer state are made outside any scope, or leave one through {@link Tensor#keep()}.
 *
 * <pre>{@code
 * try (Scope step = Scope.open()) {
 *     Tensor loss = ...;
 *     loss.backward();
 * }   // intermediates released here
 * }</pre>
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<Deque<Scope>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);

    /** What this scope releases, in allocation order; a list, since hashing every storage costs more than the step's small ops. */
    private final List<Storage> owned = new ArrayList<>();
    private final List<Backend> owners = new ArrayList<>();
    private boolean closed;

    private Scope() {
    }

    public static Scope open() {
        Scope s = new Scope();
        OPEN.get().push(s);
        return s;
    }

    /** Runs {@code body} with no scope open, so what it creates outlives the current scope. */
    public static <T> T outside(Supplier<T> body) {
        Deque<Scope> saved = OPEN.get();
        OPEN.set(new ArrayDeque<>());
        try {
            return body.get();
        } finally {
            OPEN.set(saved);
        }
    }

    /** Called for every storage a tensor op allocates. */
    static void register(Backend backend, Storage s) {
        Scope scope = OPEN.get().peek();
        if (scope != null) {
            scope.owned.add(s);
            scope.owners.add(backend);
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Deque<Scope> stack = OPEN.get();
        if (stack.peek() != this) throw new IllegalStateException("scopes must close in the reverse order they opened");
        stack.pop();
        for (int i = 0; i < owned.size(); i++) {
            Storage storage = owned.get(i);
            if (!storage.isKept() && !storage.isReleased()) Replay.kernels(owners.get(i)).release(storage);
        }
        owned.clear();
        owners.clear();
    }
}
