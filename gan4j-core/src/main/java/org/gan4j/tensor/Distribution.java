package org.gan4j.tensor;

/** What a Philox random fill draws: U(0, 1) or N(0, 1). */
public enum Distribution {
    UNIFORM, NORMAL
}
