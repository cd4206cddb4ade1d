package dev.gatehouse.cedar.ast;

/** What a satisfied policy asks for. A satisfied forbid always wins over any permit. */
public enum Effect {
    PERMIT, FORBID
}
