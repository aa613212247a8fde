package org.gan4j.tensor;

/** Elementwise functions of one input; {@code p} is the op's scalar parameter where it has one. */
public enum UnaryOp {
    NEG, EXP, LOG, SQRT, ABS, SIGN,
    TANH, SIGMOID, SOFTPLUS, RELU,
    /** x > 0 ? x : p * x */
    LEAKY_RELU,
    /** x > 0 ? 1 : p (derivative of LEAKY_RELU; p = 0 gives RELU's) */
    LEAKY_STEP,
    /** x ^ p */
    POW_SCALAR,
    /** x + p */
    ADD_SCALAR,
    /** x * p */
    MUL_SCALAR,
    /** p / x */
    RDIV_SCALAR,
    /** max(x, p) */
    MAX_SCALAR,
    /** min(x, p) */
    MIN_SCALAR,
    /** x > p ? 1 : 0 */
    GT_SCALAR,
    /** x &lt; p ? 1 : 0 */
    LT_SCALAR,
    /** 1 where x is NaN or infinite, else 0 */
    NON_FINITE
}
