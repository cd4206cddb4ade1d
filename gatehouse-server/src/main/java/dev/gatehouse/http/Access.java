package dev.gatehouse.http;

/** What a route demands of its caller. */
public enum Access {
    /** No admin authentication: health, metadata, and endpoints that authenticate on their own (OAuth, MCP). */
    PUBLIC,
    /** Read the inventory and state: admin or reader tokens. */
    READ,
    /** Change anything: admin tokens only. */
    WRITE,
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
     * Reading approval requests: admin or reader tokens, a human's approver token, or a workload's/agent's
     * task token; the route narrows what a task token sees to its own identity's requests.
     */
    REVIEW,
    /**
     * Answering for what one owns (access review items): admin tokens, or a human's own approver token; the
     * route checks that the human owns what is answered for. Readers and task tokens are refused.
     */
    OWNER;

    public boolean allows(Caller.Role role) {
        return switch (this) {
            case PUBLIC -> true;
            case READ -> role == Caller.Role.ADMIN || role == Caller.Role.READER;
            case WRITE -> role == Caller.Role.ADMIN;
            case DECIDE -> role == Caller.Role.ADMIN || role == Caller.Role.PDP;
            case SELF -> role == Caller.Role.ADMIN || role == Caller.Role.IDENTITY;
            case APPROVER -> role == Caller.Role.APPROVER;
            case REVIEW -> role == Caller.Role.ADMIN || role == Caller.Role.READER || role == Caller.Role.APPROVER
                    || role == Caller.Role.IDENTITY;
            case OWNER -> role == Caller.Role.ADMIN || role == Caller.Role.APPROVER;
        };
    }
}
