package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON-RPC error codes the gateway answers with, each meaning one thing. JSON-RPC 2.0 reserves
 * -32768…-32000; MCP itself uses -32002 (resource not found) and -32042 (URL elicitation required),
 * so the gateway's own codes avoid those.
 */
public final class RpcError {
    private RpcError() {}

    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    /** A transport-level problem: missing or unknown session, unsupported protocol version (with an HTTP 4xx). */
    public static final int TRANSPORT = -32000;
    /** Gatehouse refused the message (policy, scope, quarantine, limits, revocation); {@code error.data.reason} says why. */
    public static final int REFUSED = -32001;
    /** The upstream tool server failed, timed out or broke the protocol; {@code error.data.reason} says how. */
    public static final int UPSTREAM_FAILED = -32003;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A JSON-RPC error response; {@code reason} (a short code) goes to {@code error.data.reason}. Never policy text. */
    public static ObjectNode response(JsonNode id, int code, String message, String reason) {
        ObjectNode out = NODES.objectNode();
        out.put("jsonrpc", "2.0");
        out.set("id", id == null ? NODES.nullNode() : id);
        ObjectNode err = out.putObject("error");
        err.put("code", code);
        err.put("message", message);
        if (reason != null) err.putObject("data").put("reason", reason);
        return out;
    }
}
