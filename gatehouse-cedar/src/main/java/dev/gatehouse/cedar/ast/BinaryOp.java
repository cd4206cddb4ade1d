package dev.gatehouse.cedar.ast;

/**
 * Operators with two operands. {@code >} and {@code >=} are parsed into {@code LESS}/{@code LESS_EQ}
 * with the operands swapped, {@code !=} into {@code !(==)}, as Cedar itself does.
 */
public enum BinaryOp {
    /** {@code a == b}: never fails; values of different types are unequal. */
    EQ("=="),
    /** {@code a < b} on longs, datetimes or durations. */
    LESS("<"),
    /** {@code a <= b} on longs, datetimes or durations. */
    LESS_EQ("<="),
    /** {@code a + b} on longs; overflow is an error. */
    ADD("+"),
    /** {@code a - b} on longs; overflow is an error. */
    SUB("-"),
    /** {@code a * b} on longs; overflow is an error. */
    MUL("*"),
    /** {@code a in b}: entity hierarchy membership; b is an entity or a set of entities. */
    IN("in"),
    /** {@code set.contains(value)}. */
    CONTAINS("contains"),
    /** {@code set.containsAll(set)}. */
    CONTAINS_ALL("containsAll"),
    /** {@code set.containsAny(set)}. */
    CONTAINS_ANY("containsAny"),
    /** {@code entity.getTag(name)}: fails when the entity or tag does not exist. */
    GET_TAG("getTag"),
    /** {@code entity.hasTag(name)}. */
    HAS_TAG("hasTag");

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
