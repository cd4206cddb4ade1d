package dev.gatehouse.cedar.ast;

/**
 * Operators with two operands. {@code >} and {@code >=} are parsed into {@code LESS}/{@code LESS_EQ}
 * with the operands swapped, {@code !=} into {@code !(==)}, as Cedar itself does.
 */
public enum BinaryOp {
    EQ("=="), LESS("<"), LESS_EQ("<="), ADD("+"), SUB("-"), MUL("*"), IN("in"),
    CONTAINS("contains"), CONTAINS_ALL("containsAll"), CONTAINS_ANY("containsAny"),
    GET_TAG("getTag"), HAS_TAG("hasTag");

    private final String symbol;

    BinaryOp(String symbol) {
        this.symbol = symbol;
    }

    /** The operator or method name as written in Cedar. */
    public String symbol() {
        return symbol;
    }

    /** True for the operators written as method calls: {@code a.contains(b)}. */
    public boolean isMethod() {
        return ordinal() >= CONTAINS.ordinal();
    }
}
