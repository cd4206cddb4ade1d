package dev.gatehouse.inspection;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Data classification, ordered; {@link #level()} is what policies see as {@code context.data.level} (0 public .. 3 restricted). */
public enum Classification {
    PUBLIC, INTERNAL, CONFIDENTIAL, RESTRICTED;

    public int level() { return ordinal(); }

    public Classification max(Classification other) { return other != null && other.ordinal() > ordinal() ? other : this; }

    @JsonValue
    public String wire() { return name().toLowerCase(Locale.ROOT); }

    @JsonCreator
    public static Classification parse(String value) {
        for (Classification c : values()) if (c.wire().equals(value)) return c;
        throw new dev.gatehouse.core.Problem.Invalid("classification", "classification must be one of public, internal, confidential, restricted");
    }
}
