package org.gan4j.tensor;

/** Elementwise functions of two broadcast inputs. Comparisons give 1 or 0. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN, GT, GE, LT, LE, EQ
}
