package dev.gatehouse.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.gatehouse.core.Problem;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The closed sets of the inventory's words. Each is written in lowercase on the wire, in the
 * store and in Cedar, and parsing an unknown word names the accepted ones.
 */
public final class Vocabulary {
    private Vocabulary() {}

    public enum IdentityKind {
        HUMAN, WORKLOAD, AGENT;

        @JsonValue public String wire() { return name().toLowerCase(Locale.ROOT); }
        @JsonCreator public static IdentityKind parse(String v) { return Vocabulary.parse(IdentityKind.class, "kind", v); }
        public boolean isNonHuman() { return this != HUMAN; }
        @Override public String toString() { return wire(); }
    }

    public enum IdentityStatus {
        ACTIVE, SUSPENDED, RETIRED;

        @JsonValue public String wire() { return name().toLowerCase(Locale.ROOT); }
        @JsonCreator public static IdentityStatus parse(String v) { return Vocabulary.parse(IdentityStatus.class, "status", v); }
        @Override public String toString() { return wire(); }
    }

    /** What a tool call does; also the Cedar action of the call. Read, write and execute are separate authorities. */
    public enum Effect {
        READ, WRITE, EXECUTE;

        @JsonValue public String wire() { return name().toLowerCase(Locale.ROOT); }
        @JsonCreator public static Effect parse(String v) { return Vocabulary.parse(Effect.class, "effect", v); }
        @Override public String toString() { return wire(); }
    }

    public enum Risk {
        LOW, MEDIUM, HIGH, CRITICAL;

        @JsonValue public String wire() { return name().toLowerCase(Locale.ROOT); }
        @JsonCreator public static Risk parse(String v) { return Vocabulary.parse(Risk.class, "risk", v); }
        @Override public String toString() { return wire(); }
    }

    public enum Autonomy {
        ASSISTIVE, AUTONOMOUS;

        @JsonValue public String wire() { return name().toLowerCase(Locale.ROOT); }
        @JsonCreator public static Autonomy parse(String v) { return Vocabulary.parse(Autonomy.class, "autonomy", v); }
        @Override public String toString() { return wire(); }
    }

    public enum Trust {
        APPROVED, UNAPPROVED;

        @JsonValue public String wire() { return name().toLowerCase(Locale.ROOT); }
        @JsonCreator public static Trust parse(String v) { return Vocabulary.parse(Trust.class, "trust", v); }
        @Override public String toString() { return wire(); }
    }

    public enum Destination {
        INTERNAL, EXTERNAL;

        @JsonValue public String wire() { return name().toLowerCase(Locale.ROOT); }
        @JsonCreator public static Destination parse(String v) { return Vocabulary.parse(Destination.class, "destination", v); }
        @Override public String toString() { return wire(); }
    }

    /**
     * How the gateway proves itself to a tool server: {@code static} — the upstream credentials set for the server
     * (server-wide, or bound to the calling identity or its owner), or nothing; {@code gatehouse-jwt} — a JWT minted
     * for each request, naming the identity, its delegation chain, the task and the call; {@code oauth} — MCP
     * authorization: an access token from the upstream's own authorization server, obtained by token exchange.
     */
    public enum UpstreamAuth {
        STATIC, GATEHOUSE_JWT, OAUTH;

        @JsonValue public String wire() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

        @JsonCreator public static UpstreamAuth parse(String v) {
            if (v == null) return null;
            for (UpstreamAuth a : values()) if (a.wire().equals(v)) return a;
            throw new Problem.Invalid("upstreamAuth", "upstreamAuth must be one of static, gatehouse-jwt, oauth");
        }

        /** Whether the gateway authenticates each request as the caller (no standing secret). */
        public boolean perCall() { return this != STATIC; }

        @Override public String toString() { return wire(); }
    }

    static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        if (value == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value) && value.equals(value.toLowerCase(Locale.ROOT))) {
                return constant;
            }
        }
        String accepted = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        throw new Problem.Invalid(field, field + " must be one of " + accepted);
    }
}
