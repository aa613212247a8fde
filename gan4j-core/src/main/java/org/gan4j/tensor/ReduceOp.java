package org.gan4j.tensor;

/** Reductions over one axis. ARGMAX writes the index of the first maximum as a float. */
public enum ReduceOp {
    SUM, MAX, MIN, ARGMAX
}
