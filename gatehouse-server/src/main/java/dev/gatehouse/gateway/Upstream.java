package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;

/**
 * One connection to an upstream MCP server, owned by one gateway session: Streamable HTTP
 * ({@link HttpUpstream}) or a stdio process the gateway launched ({@link StdioUpstream}).
 * Messages pass through unchanged, ids included: each gateway session has its own upstream
 * session (or process), so the client's ids cannot collide with anyone else's.
 */
public interface Upstream extends AutoCloseable {
    /**
     * Sends a JSON-RPC request and waits for its response. Messages the upstream sent meanwhile
     * (progress and log notifications, requests to the client) come along, in order, to be relayed.
     */
    Exchange request(ObjectNode request, Attribution on, Duration timeout) throws UpstreamException;

    /** Sends a notification, or a response to a request the upstream made of the client. */
    void send(ObjectNode message, Attribution on) throws UpstreamException;

    /** The protocol version negotiated at initialize; sent upstream as {@code MCP-Protocol-Version}. */
    void protocolVersion(String version);

    @Override
    void close();

    record Exchange(JsonNode response, List<JsonNode> interim) {}

    /**
     * The upstream failed, or the gateway refused to send the request (no credential for this caller: {@link #refused()});
     * {@code reason} is a short code safe to show the agent.
     */
    final class UpstreamException extends Exception {
        private final String reason;
        private final boolean refused;

        UpstreamException(String reason, String message) {
            this(reason, message, false);
        }

        private UpstreamException(String reason, String message, boolean refused) {
            super(message);
            this.reason = reason;
            this.refused = refused;
        }

        /** The gateway's own refusal: nothing was sent. */
        static UpstreamException refusal(String reason, String message) { return new UpstreamException(reason, message, true); }

        String reason() { return reason; }

        boolean refused() { return refused; }
    }
}
