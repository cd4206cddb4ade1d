package dev.gatehouse.gateway;

import dev.gatehouse.credentials.CallTokens;

/**
 * Whom and what one upstream request is for: the caller (its token and delegation chain) and the request's purpose
 * (method, object, payload digest). How the gateway authenticates upstream depends on it — a token minted for this
 * call, a token obtained for this chain, or the static credential bound to this caller.
 *
 * @param purpose null for a request that is not an MCP message (the DELETE that ends a session)
 */
record Attribution(Caller caller, CallTokens.Purpose purpose) {
    static Attribution of(Caller caller, String method) { return new Attribution(caller, CallTokens.Purpose.of(method)); }

    /** The same caller, for a request that names no MCP method. */
    Attribution unnamed() { return new Attribution(caller, null); }
}
