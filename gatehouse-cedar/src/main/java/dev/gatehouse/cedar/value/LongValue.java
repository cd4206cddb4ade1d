package dev.gatehouse.cedar.value;

/** A Cedar {@code Long}: a signed 64-bit integer; arithmetic that leaves that range is an error, never a wrap. */
public record LongValue(long value) implements Value {
    private static final LongValue[] SMALL = new LongValue[1024 + 128];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = new LongValue(i - 128);
        }
    }

    /** Shares instances for the small numbers policies and contexts use most (levels, counts, hours). */
    public static LongValue of(long l) {
        return l >= -128 && l < 1024 ? SMALL[(int) l + 128] : new LongValue(l);
    }

    @Override
    public String typeName() {
        return "long";
    }

    @Override
    public String toCedar() {
        return Long.toString(value);
    }

    @Override
    public String toString() {
        return toCedar();
    }
}
