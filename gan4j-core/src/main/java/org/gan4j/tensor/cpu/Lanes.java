package org.gan4j.tensor.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * Sums of a vector's lanes in one fixed order, lane 0 first, in double. The Vector API leaves the
 * order of {@code reduceLanes(ADD)} to the implementation, and its compiled and interpreted forms
 * add in different orders: a run's bits would depend on when the JIT compiled what.
 */
final class Lanes {
    private Lanes() {
    }

    static double sum(FloatVector v) {
        double s = 0;
        for (int l = 0; l < v.length(); l++) s += v.lane(l);
        return s;
    }

    static double sum(DoubleVector v) {
        double s = 0;
        for (int l = 0; l < v.length(); l++) s += v.lane(l);
        return s;
    }
}
