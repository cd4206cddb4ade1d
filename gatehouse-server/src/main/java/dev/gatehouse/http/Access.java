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
    SELF;

    public boolean allows(Caller.Role role) {
        return switch (this) {
            case PUBLIC -> true;
            case READ -> role == Caller.Role.ADMIN || role == Caller.Role.READER;
            case WRITE -> role == Caller.Role.ADMIN;
            case DECIDE -> role == Caller.Role.ADMIN || role == Caller.Role.PDP;
            case SELF -> role == Caller.Role.ADMIN || role == Caller.Role.IDENTITY;
        };
    }
}
