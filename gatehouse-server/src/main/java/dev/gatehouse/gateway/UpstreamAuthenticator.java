package dev.gatehouse.gateway;

import java.util.Map;

/** How the gateway authenticates to one tool server, per request, as the caller the request is for. */
public interface UpstreamAuthenticator {
    /** Nothing to present (a static server without credentials). */
    UpstreamAuthenticator NONE = on -> Map.of();

    /** The headers for one request; throws (a refusal, or the credential being unavailable) when it may not be sent. */
    Map<String, String> headers(Attribution on) throws Upstream.UpstreamException;

    /**
     * The upstream answered 401 with this {@code WWW-Authenticate} value: true when fresh credentials were obtained,
     * so the request is sent once more. Only an authenticator that can act on a challenge (MCP authorization) does.
     */
    default boolean challenged(Attribution on, String challenge) throws Upstream.UpstreamException { return false; }
}
