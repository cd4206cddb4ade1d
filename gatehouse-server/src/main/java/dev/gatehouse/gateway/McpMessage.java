package dev.gatehouse.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One JSON-RPC 2.0 message of MCP, classified once, where it enters the gateway: a {@link Request}
 * (method and id), a {@link Notification} (method, no id) or a {@link Response} (id and exactly one of
 * result or error). Anything else is {@link Malformed} and goes nowhere.
 */
sealed interface McpMessage permits McpMessage.Request, McpMessage.Notification, McpMessage.Response {
    /**
     * How the gateway reads MCP messages, from agents and from upstreams: numbers exactly as written
     * (arbitrary-precision integers and decimals, trailing zeros kept), so what is inspected, approved
     * and forwarded is the value that was sent; duplicate keys refused (an upstream might read the
     * other one); depth bounded.
     */
    ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).build()).build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The message as it arrived. */
    ObjectNode raw();

    record Request(JsonNode id, String method, ObjectNode params, ObjectNode raw) implements McpMessage {}

    record Notification(String method, ObjectNode params, ObjectNode raw) implements McpMessage {}

    /** A response the client sends to a request the upstream made (sampling, elicitation, roots, ping). */
    record Response(JsonNode id, ObjectNode raw) implements McpMessage {}

    /** Why a message is not a JSON-RPC 2.0 message MCP allows; {@code id} when one could be read. */
    final class Malformed extends Exception {
        final int code;
        final JsonNode id;

        Malformed(int code, String message, JsonNode id) {
            super(message, null, false, false);
            this.code = code;
            this.id = id;
        }
    }

    /** Parses one message (a batch is refused: MCP removed batching in 2025-06-18). */
    static McpMessage parse(byte[] body) throws Malformed {
        JsonNode node;
        try {
            node = JSON.readTree(body);
            if (node == null || node.isMissingNode()) throw new IllegalArgumentException("empty body");
        } catch (Exception e) {
            throw new Malformed(RpcError.PARSE_ERROR, "Parse error", null);
        }
        return classify(node);
    }

    static McpMessage classify(JsonNode node) throws Malformed {
        if (node != null && node.isArray()) throw new Malformed(RpcError.INVALID_REQUEST, "Invalid Request: batches are not supported", null);
        if (node == null || !node.isObject() || !"2.0".equals(node.path("jsonrpc").textValue())) {
            throw new Malformed(RpcError.INVALID_REQUEST, "Invalid Request: not a JSON-RPC 2.0 message", null);
        }
        ObjectNode msg = (ObjectNode) node;
        JsonNode id = msg.get("id");
        // MCP: an id is a string or an integer, never null.
        boolean validId = id != null && (id.isTextual() || id.isIntegralNumber());
        if (id != null && !validId) throw new Malformed(RpcError.INVALID_REQUEST, "Invalid Request: id must be a string or an integer", null);
        JsonNode method = msg.get("method");
        if (method != null) {
            if (!method.isTextual() || msg.has("result") || msg.has("error")) {
                throw new Malformed(RpcError.INVALID_REQUEST, "Invalid Request", id);
            }
            JsonNode params = msg.get("params");
            if (params != null && !params.isObject()) throw new Malformed(RpcError.INVALID_PARAMS, "Invalid params: params must be an object", id);
            ObjectNode p = params == null ? NODES.objectNode() : (ObjectNode) params;
            return id == null ? new Notification(method.textValue(), p, msg) : new Request(id, method.textValue(), p, msg);
        }
        boolean result = msg.has("result");
        boolean error = msg.has("error");
        if (!validId || result == error) throw new Malformed(RpcError.INVALID_REQUEST, "Invalid Request", id);
        if (error && !(msg.get("error").isObject() && msg.get("error").path("code").isIntegralNumber()
                && msg.get("error").path("message").isTextual())) {
            throw new Malformed(RpcError.INVALID_REQUEST, "Invalid Request: error needs an integer code and a message", id);
        }
        return new Response(id, msg);
    }

    /** A request as sent upstream: only the fields the gateway knows, with the params it built. */
    static ObjectNode request(JsonNode id, String method, ObjectNode params) {
        ObjectNode out = NODES.objectNode();
        out.put("jsonrpc", "2.0");
        out.set("id", id);
        out.put("method", method);
        out.set("params", params);
        return out;
    }

    static ObjectNode notification(String method, ObjectNode params) {
        ObjectNode out = NODES.objectNode();
        out.put("jsonrpc", "2.0");
        out.put("method", method);
        if (params != null) out.set("params", params);
        return out;
    }

    static ObjectNode result(JsonNode id, JsonNode result) {
        ObjectNode out = NODES.objectNode();
        out.put("jsonrpc", "2.0");
        out.set("id", id);
        out.set("result", result);
        return out;
    }

    /** Compact JSON of a node, exactly as the gateway sends it. */
    static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException("cannot encode an MCP message", e);
        }
    }
}
