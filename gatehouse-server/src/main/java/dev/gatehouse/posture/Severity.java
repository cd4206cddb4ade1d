package dev.gatehouse.posture;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How urgent a finding is; ordered from least to most. */
public enum Severity {
    INFO, LOW, MEDIUM, HIGH, CRITICAL;

    @JsonValue
    public String wire() { return name().toLowerCase(Locale.ROOT); }

    public static Severity parse(String wire) {
        for (Severity s : values()) if (s.wire().equals(wire)) return s;
        return MEDIUM;
    }
}
