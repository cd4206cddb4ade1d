package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.core.Json;
import dev.gatehouse.core.Slug;
import dev.gatehouse.credentials.TokenStatus;
import dev.gatehouse.credentials.VerifiedToken;
import dev.gatehouse.http.Access;
import dev.gatehouse.http.ApiRequest;
import dev.gatehouse.http.ApiResponse;
import dev.gatehouse.http.Router;
import dev.gatehouse.registry.ToolServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * MCP Streamable HTTP transport (spec 2025-06-18 / 2025-11-25) at {@code /mcp/{server}}: bearer
 * authentication with RFC 9728 discovery, {@code Mcp-Session-Id}, {@code MCP-Protocol-Version},
 * JSON or SSE responses. The routes are public to the admin-token filter because MCP clients
 * authenticate with task tokens, which this adapter checks itself on every request.
 */
public final class McpRoutes {
    private static final String SESSION = "mcp-session-id";
    private static final String VERSION = "mcp-protocol-version";

    private final McpGateway gateway;
    private final Supplier<String> baseUrl;
    private final Supplier<String> issuer;

    /** @param baseUrl this server's public base URL (no trailing slash); @param issuer the token issuer (authorization server) */
    public McpRoutes(McpGateway gateway, Supplier<String> baseUrl, Supplier<String> issuer) {
        this.gateway = gateway;
        this.baseUrl = baseUrl;
        this.issuer = issuer;
    }

    public void register(Router r) {
        r.post("/mcp/{server}", Access.PUBLIC, "MCP endpoint of a tool server: JSON-RPC requests, notifications and responses", this::post);
        r.get("/mcp/{server}", Access.PUBLIC, "MCP server-to-client stream: not offered (405)", this::get);
        r.delete("/mcp/{server}", Access.PUBLIC, "Ends an MCP session", this::delete);
        r.get("/.well-known/oauth-protected-resource/mcp/{server}", Access.PUBLIC,
                "RFC 9728 protected-resource metadata of a tool server's MCP endpoint", this::metadata);
    }

    private String resource(String server) { return baseUrl.get() + "/mcp/" + server; }

    private ApiResponse metadata(ApiRequest req) {
        String server = req.pathParam("server");
        if (!Slug.isValid(server)) return ApiResponse.json(404, Map.of("error", "not_found", "message", "no such MCP endpoint"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("resource", resource(server));
        body.put("authorization_servers", List.of(issuer.get()));
        body.put("bearer_methods_supported", List.of("header"));
        body.put("resource_name", "Gatehouse MCP gateway: " + server);
        return ApiResponse.ok(body);
    }

    // --- authentication

    /** The verified token, or the 401 to answer with (RFC 6750 + RFC 9728 {@code resource_metadata}). */
    private Object authenticate(ApiRequest req, String server) {
        Optional<String> authorization = req.header("authorization");
        if (authorization.isEmpty() || !authorization.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
            return unauthorized(server, null);
        }
        TokenStatus status = gateway.authenticate(authorization.get().substring(7).trim(), server);
        if (status instanceof TokenStatus.Active active) return active.token();
        return unauthorized(server, "invalid_token");
    }

    private ApiResponse unauthorized(String server, String error) {
        String metadata = baseUrl.get() + "/.well-known/oauth-protected-resource/mcp/" + server;
        String challenge = "Bearer resource_metadata=\"" + metadata + "\"" + (error == null ? "" : ", error=\"" + error + "\"");
        return ApiResponse.json(401, Map.of("error", error == null ? "unauthenticated" : error,
                        "message", error == null ? "a bearer task token is required" : "the token is not active"))
                .header("WWW-Authenticate", challenge);
    }

    /** DNS-rebinding defence the spec requires: a browser Origin must be this server's own. */
    private static boolean foreignOrigin(ApiRequest req) {
        Optional<String> origin = req.header("origin");
        if (origin.isEmpty() || origin.get().equals("null")) return origin.isPresent();
        try {
            String host = req.header("host").orElse("");
            return !URI.create(origin.get()).getRawAuthority().equalsIgnoreCase(host);
        } catch (RuntimeException e) {
            return true;
        }
    }

    // --- POST: messages from the client

    private ApiResponse post(ApiRequest req) {
        String server = req.pathParam("server");
        if (foreignOrigin(req)) return rpcError(403, null, RpcError.INVALID_REQUEST, "Forbidden: origin not allowed");
        Object auth = authenticate(req, server);
        if (auth instanceof ApiResponse refusal) {
            // A token that is no longer live ends the session it used, at once.
            req.header(SESSION).ifPresent(gateway::endRevoked);
            return refusal;
        }
        VerifiedToken token = (VerifiedToken) auth;
        String accept = req.header("accept").orElse("*/*");
        if (!accept.contains("application/json") && !accept.contains("text/event-stream") && !accept.contains("*/*")) {
            return rpcError(406, null, RpcError.INVALID_REQUEST, "Not Acceptable: accept application/json or text/event-stream");
        }

        McpMessage message;
        try {
            message = McpMessage.parse(req.body());
        } catch (McpMessage.Malformed e) {
            return rpcError(400, e.id, e.code, e.getMessage());
        }

        if (message instanceof McpMessage.Request request && request.method().equals(McpMethod.INITIALIZE)) {
            Optional<ToolServer> ts = gateway.server(server);
            if (ts.isEmpty()) return rpcError(404, request.id(), RpcError.INVALID_REQUEST, "no tool server '" + server + "'");
            McpGateway.Opened opened = gateway.initialize(token, ts.get(), request);
            ApiResponse out = reply(opened.reply(), accept);
            if (opened.sessionId() != null) out.header("Mcp-Session-Id", opened.sessionId());
            return out;
        }

        JsonNode id = message instanceof McpMessage.Request r ? r.id() : null;
        Optional<String> sessionId = req.header(SESSION);
        if (sessionId.isEmpty()) return rpcError(400, id, RpcError.TRANSPORT, "Bad Request: Mcp-Session-Id header is required");
        Optional<String> version = req.header(VERSION);
        if (version.isPresent() && !McpGateway.PROTOCOL_VERSIONS.contains(version.get())) {
            return rpcError(400, id, RpcError.TRANSPORT, "Bad Request: unsupported MCP-Protocol-Version");
        }
        Optional<GatewaySessions.Session> session = gateway.session(sessionId.get(), server, token);
        if (session.isEmpty()) return rpcError(404, id, RpcError.TRANSPORT, "Session not found");
        Optional<ToolServer> ts = gateway.server(server);
        if (ts.isEmpty()) {
            gateway.end(session.get());
            return rpcError(404, id, RpcError.TRANSPORT, "Session not found");
        }
        McpGateway.Answer answer = gateway.receive(session.get(), token, ts.get(), message);
        if (answer instanceof McpGateway.Reply reply) return reply(reply, accept);
        if (answer instanceof McpGateway.Rejected rejected) return ApiResponse.json(rejected.status(), rejected.error());
        return ApiResponse.bytes(202, null, new byte[0]);
    }

    /** JSON when the response stands alone; SSE when upstream messages precede it (or the client takes only SSE). */
    private static ApiResponse reply(McpGateway.Reply reply, String accept) {
        boolean sseOnly = accept.contains("text/event-stream") && !accept.contains("application/json") && !accept.contains("*/*");
        if (reply.interim().isEmpty() && !sseOnly) return ApiResponse.ok(reply.response());
        if (!accept.contains("text/event-stream") && !accept.contains("*/*")) return ApiResponse.ok(reply.response());
        return ApiResponse.stream(200, "text/event-stream", out -> {
            for (JsonNode m : reply.interim()) out.write(event(m));
            out.write(event(reply.response()));
            out.flush();
        });
    }

    private static byte[] event(JsonNode message) {
        return ("event: message\ndata: " + McpMessage.write(message) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static ApiResponse rpcError(int status, JsonNode id, int code, String message) {
        return ApiResponse.json(status, RpcError.response(id, code, message, null));
    }

    // --- GET and DELETE

    private ApiResponse get(ApiRequest req) {
        String server = req.pathParam("server");
        Object auth = authenticate(req, server);
        if (auth instanceof ApiResponse refusal) return refusal;
        // Server-initiated messages travel on the POST response streams; no standalone stream is offered.
        return ApiResponse.json(405, Map.of("error", "method_not_allowed", "message", "no server-initiated stream; use POST"))
                .header("Allow", "POST, DELETE");
    }

    private ApiResponse delete(ApiRequest req) {
        String server = req.pathParam("server");
        if (foreignOrigin(req)) return rpcError(403, null, RpcError.INVALID_REQUEST, "Forbidden: origin not allowed");
        Object auth = authenticate(req, server);
        if (auth instanceof ApiResponse refusal) {
            req.header(SESSION).ifPresent(gateway::endRevoked);
            return refusal;
        }
        VerifiedToken token = (VerifiedToken) auth;
        Optional<String> sessionId = req.header(SESSION);
        if (sessionId.isEmpty()) return rpcError(400, null, RpcError.TRANSPORT, "Bad Request: Mcp-Session-Id header is required");
        Optional<GatewaySessions.Session> session = gateway.session(sessionId.get(), server, token);
        if (session.isEmpty()) return rpcError(404, null, RpcError.TRANSPORT, "Session not found");
        gateway.end(session.get());
        return ApiResponse.noContent();
    }
}
