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
    DECIDE;

    public boolean allows(Caller.Role role) {
        return switch (this) {
            case PUBLIC -> true;
            case READ -> role == Caller.Role.ADMIN || role == Caller.Role.READER;
            case WRITE -> role == Caller.Role.ADMIN;
            case DECIDE -> role == Caller.Role.ADMIN || role == Caller.Role.PDP;
        };
    }
}
