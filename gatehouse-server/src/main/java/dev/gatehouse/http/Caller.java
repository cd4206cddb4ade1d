package dev.gatehouse.http;

/**
 * Who made an API request, as established by the bearer token: {@code kind} says which
 * credential family (e.g. {@code admin-token}), {@code role} which rights it carries.
 * {@link #actor()} is the stable string written into histories and audit records.
 */
public record Caller(String kind, String id, String name, Role role) {
    /**
     * {@code IDENTITY} is a workload or agent presenting its own task token (kind {@code identity},
     * id = identity id, name = task id); it reaches only {@link Access#SELF} routes.
     * {@code APPROVER} is a human presenting its own approver token (kind {@code human}, id = human
     * identity id, name = token id); it reaches only {@link Access#APPROVER} and {@link Access#REVIEW} routes.
     */
    public enum Role {
        ADMIN, READER, PDP, IDENTITY, APPROVER;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Role parse(String value) {
            for (Role r : values()) {
                // Admin tokens carry one of the operator roles; IDENTITY and APPROVER are only ever given to
                // task tokens and approver tokens.
                if (r != IDENTITY && r != APPROVER && r.wire().equals(value)) return r;
            }
            throw new dev.gatehouse.core.Problem.Invalid("role", "role must be one of admin, reader, pdp");
        }
    }

    public String actor() { return kind + ":" + id; }
}
