package dev.gatehouse.cedar.ast;

/** Operators with one operand ({@code isEmpty} is written as a method but has one operand). */
public enum UnaryOp {
    NOT, NEG, IS_EMPTY
}
