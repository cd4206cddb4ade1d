package dev.gatehouse.http;

/** What a route demands of its caller. */
public enum Access {
    /** No admin authentication: health, metadata, and endpoints that authenticate on their own (OAuth, MCP). */
    PUBLIC,
    /** Read the inventory and state: admin, security, auditor (reader) tokens. */
    READ,
    /** Change anything: admin tokens only. */
    WRITE,
    /** Change policies, policy data and posture work (reviews, discovery): admin or security. */
    SECURITY,
    /** Ask for decisions: admin or PDP tokens. */
    DECIDE,
    /** Admin tokens, or a workload's/agent's own task token; the route checks that the target is the caller's own. */
    SELF,
    /**
     * A human's own approver token only: decisions a person makes as themself (approve, deny,
     * break-glass). Admin tokens are refused, so no operator can decide on someone's behalf.
     */
    APPROVER,
    /**
     * Reading approval requests: admin, security or auditor (reader) tokens, a human's approver token, or a workload's/agent's
     * task token; the route narrows what a task token sees to its own identity's requests.
     */
    REVIEW,
    /**
     * Answering for what one owns (access review items): admin tokens, a human's own approver token, or a
     * signed-in owner; the route checks that the human owns what is answered for. Readers and task tokens are refused.
     */
    OWNER;

    /**
     * The one place that says which role reaches which routes, for the API (one role per token) and the
     * console (the roles a signed-in human holds) alike.
     */
    public boolean allows(Caller.Role role) {
        return switch (this) {
            case PUBLIC -> true;
            case READ -> role == Caller.Role.ADMIN || role == Caller.Role.SECURITY || role == Caller.Role.AUDITOR || role == Caller.Role.READER;
            case WRITE -> role == Caller.Role.ADMIN;
            case SECURITY -> role == Caller.Role.ADMIN || role == Caller.Role.SECURITY;
            case DECIDE -> role == Caller.Role.ADMIN || role == Caller.Role.PDP;
            case SELF -> role == Caller.Role.ADMIN || role == Caller.Role.IDENTITY;
            case APPROVER -> role == Caller.Role.APPROVER;
            case REVIEW -> READ.allows(role) || role == Caller.Role.APPROVER || role == Caller.Role.IDENTITY;
            case OWNER -> role == Caller.Role.ADMIN || role == Caller.Role.APPROVER || role == Caller.Role.OWNER;
        };
    }

    /** A holder of several roles (a signed-in human) reaches what any one of them reaches. */
    public boolean allowsAny(java.util.Collection<Caller.Role> roles) {
        return roles.stream().anyMatch(this::allows);
    }
}
