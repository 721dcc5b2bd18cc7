package org.escadrille.boutiques.sweep;

/** How several swept inputs combine: every combination, or the i-th value of each together. */
public enum SweepStrategy {
    /** Cross product: one invocation per combination; the first swept input varies slowest. */
    CROSS,
    /** Dot product: the i-th values of all swept inputs together; all lists must have the same length. */
    DOT
}
