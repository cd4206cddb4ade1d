package dev.gatehouse.gateway;

import dev.gatehouse.credentials.CallTokens;
import dev.gatehouse.registry.ToolServer;
import java.util.Map;

/**
 * Chooses how the gateway authenticates to a tool server, by its {@code upstreamAuth}: the static credential that
 * matches the caller ({@link UpstreamCredentials}), a token minted for each request ({@link CallTokens}), or a token
 * from the upstream's own authorization server ({@link UpstreamOAuth}).
 */
public final class UpstreamAuthentication {
    private final UpstreamCredentials credentials;
    private final CallTokens tokens;
    private final UpstreamOAuth oauth;

    public UpstreamAuthentication(UpstreamCredentials credentials, CallTokens tokens, UpstreamOAuth oauth) {
        this.credentials = credentials;
        this.tokens = tokens;
        this.oauth = oauth;
    }

    UpstreamAuthenticator forServer(ToolServer server) {
        return switch (server.upstreamAuth()) {
            case STATIC -> on -> credentials.headers(server.id(), on.caller());
            // Audience: this server's resource, so the token is worthless at any other upstream.
            case GATEHOUSE_JWT -> on -> Map.of("Authorization", "Bearer "
                    + tokens.mint(on.caller().token(), on.caller().onBehalfOf(), server.resource(), on.purpose()));
            case OAUTH -> oauth.authenticator(server);
        };
    }
}
