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
     * identity id, name = token id); it reaches only {@link Access#APPROVER}, {@link Access#REVIEW} and
     * {@link Access#OWNER} routes.
     * The five roles of people — {@code ADMIN}, {@code SECURITY} (policies, audit, posture), {@code APPROVER},
     * {@code OWNER} (self-service over what one owns) and {@code AUDITOR} (read-only) — are also what the console
     * grants a signed-in human; {@code READER} is the auditor's older name on admin tokens, with the same rights.
     * {@link Access} alone decides what each role reaches.
     */
    public enum Role {
        ADMIN, SECURITY, AUDITOR, READER, PDP, IDENTITY, APPROVER, OWNER;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Role parse(String value) {
            for (Role r : values()) {
                // Admin tokens carry one of the operator roles; IDENTITY, APPROVER and OWNER belong to a person or a
                // workload authenticated as itself (task tokens, approver tokens, console sign-in), never to a shared token.
                if (r != IDENTITY && r != APPROVER && r != OWNER && r.wire().equals(value)) return r;
            }
            throw new dev.gatehouse.core.Problem.Invalid("role", "role must be one of admin, security, auditor, reader, pdp");
        }
    }

    public String actor() { return kind + ":" + id; }
}
