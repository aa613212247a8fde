package org.gan4j.tensor.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * Sums of a vector's lanes in one fixed order. The Vector API leaves the order of
 * {@code reduceLanes(ADD)} to the implementation, and its compiled and interpreted forms add in
 * different orders: a run's bits would depend on when the JIT compiled what.
 */
final class Lanes {
    private Lanes() {
    }

    /** Halves folded onto each other (lane i plus lane i + half) down to lane 0: vector adds, as fast as the intrinsic. */
    static double sum(FloatVector v) {
        for (int half = v.length() / 2; half > 0; half /= 2) v = v.add(v.slice(half));
        return v.lane(0);
    }

    /** Lane 0 first. */
    static double sum(DoubleVector v) {
        double s = 0;
        for (int l = 0; l < v.length(); l++) s += v.lane(l);
        return s;
    }
}
