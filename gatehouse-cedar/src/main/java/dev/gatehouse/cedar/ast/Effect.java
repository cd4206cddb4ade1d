package dev.gatehouse.cedar.ast;

/** What a satisfied policy asks for. A satisfied forbid always wins over any permit. */
public enum Effect {
    /** Allows the request when satisfied (unless a forbid is satisfied too). */
    PERMIT,
    /** Denies the request when satisfied. */
    FORBID
}
