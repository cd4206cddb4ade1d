package dev.gatehouse.cedar.value;

/** A Cedar boolean. Use {@link #of(boolean)} to share the two instances. */
public record BoolValue(boolean value) implements Value {
    /** {@code true}. */
    public static final BoolValue TRUE = new BoolValue(true);
    /** {@code false}. */
    public static final BoolValue FALSE = new BoolValue(false);

    /** The shared instance for {@code b}. */
    public static BoolValue of(boolean b) {
        return b ? TRUE : FALSE;
    }

    @Override
    public String typeName() {
        return "bool";
    }

    @Override
    public String toCedar() {
        return Boolean.toString(value);
    }

    @Override
    public String toString() {
        return toCedar();
    }
}
