package dev.gatehouse.http;

/**
 * Who made an API request, as established by the bearer token: {@code kind} says which
 * credential family (e.g. {@code admin-token}), {@code role} which rights it carries.
 * {@link #actor()} is the stable string written into histories and audit records.
 */
public record Caller(String kind, String id, String name, Role role) {
    public enum Role {
        ADMIN, READER, PDP;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Role parse(String value) {
            for (Role r : values()) {
                if (r.wire().equals(value)) return r;
            }
            throw new dev.gatehouse.core.Problem.Invalid("role", "role must be one of admin, reader, pdp");
        }
    }

    public String actor() { return kind + ":" + id; }
}
