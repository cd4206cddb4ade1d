package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.registry.Feature;
import java.util.Iterator;
import java.util.Map;

/**
 * A governed request ({@code tools/call}, {@code resources/read}, {@code resources/subscribe},
 * {@code prompts/get}, {@code completion/complete}) read into what the gateway decides on: the kind
 * and key of the object it uses, the payload it sends (inspected as data leaving for that server,
 * and what an approval is bound to), and the params forwarded — rebuilt from the fields the
 * specification defines, so nothing else (unknown members, {@code _meta} other than a progress
 * token) reaches the upstream.
 */
record GovernedRequest(String method, Feature.Kind kind, String key, JsonNode payload, ObjectNode forwardParams) {
    /** The call's arguments as policies see them ({@code context.input}): a tool's or a prompt's; null for others. */
    JsonNode arguments() {
        return method.equals(McpMethod.TOOLS_CALL) || method.equals(McpMethod.PROMPTS_GET)
                ? payload.path("arguments").isObject() ? payload.get("arguments") : McpMessage.NODES.objectNode() : null;
    }

    /** The params do not have the shape the method's specification gives them. */
    static final class Invalid extends Exception {
        Invalid(String message) { super(message, null, false, false); }
    }

    static GovernedRequest of(McpMessage.Request request) throws Invalid {
        ObjectNode p = request.params();
        ObjectNode payload = McpMessage.NODES.objectNode();
        switch (request.method()) {
            case McpMethod.TOOLS_CALL -> {
                if (p.has("task")) {
                    // A task-augmented call delivers its result later through tasks/result, past result inspection.
                    throw new Invalid("task-augmented tool calls are not supported through the gateway");
                }
                String name = text(p, "name", "tools/call needs params.name");
                JsonNode arguments = p.get("arguments");
                if (arguments != null && !arguments.isObject()) throw new Invalid("tools/call params.arguments must be an object");
                payload.put("name", name);
                payload.set("arguments", arguments == null ? McpMessage.NODES.objectNode() : arguments);
                return new GovernedRequest(request.method(), Feature.Kind.TOOL, name, payload, withProgress(payload, p));
            }
            case McpMethod.RESOURCES_READ, McpMethod.RESOURCES_SUBSCRIBE -> {
                String uri = text(p, "uri", request.method() + " needs params.uri");
                payload.put("uri", uri);
                return new GovernedRequest(request.method(), Feature.Kind.RESOURCE, uri, payload,
                        request.method().equals(McpMethod.RESOURCES_READ) ? withProgress(payload, p) : payload.deepCopy());
            }
            case McpMethod.PROMPTS_GET -> {
                String name = text(p, "name", "prompts/get needs params.name");
                payload.put("name", name);
                JsonNode arguments = p.get("arguments");
                if (arguments != null) {
                    if (!arguments.isObject() || !allText(arguments)) throw new Invalid("prompts/get params.arguments must map names to strings");
                    payload.set("arguments", arguments);
                }
                return new GovernedRequest(request.method(), Feature.Kind.PROMPT, name, payload, withProgress(payload, p));
            }
            case McpMethod.COMPLETION_COMPLETE -> {
                JsonNode ref = p.get("ref");
                JsonNode argument = p.get("argument");
                if (ref == null || !ref.isObject() || argument == null || !argument.isObject()
                        || !argument.path("name").isTextual() || !argument.path("value").isTextual()) {
                    throw new Invalid("completion/complete needs params.ref and params.argument {name, value}");
                }
                ObjectNode cleanRef = payload.putObject("ref");
                Feature.Kind kind;
                String key;
                switch (ref.path("type").asText("")) {
                    case "ref/prompt" -> {
                        kind = Feature.Kind.PROMPT;
                        key = text(ref, "name", "completion/complete ref/prompt needs a name");
                        cleanRef.put("type", "ref/prompt").put("name", key);
                    }
                    case "ref/resource" -> {
                        kind = Feature.Kind.RESOURCE;
                        key = text(ref, "uri", "completion/complete ref/resource needs a uri");
                        cleanRef.put("type", "ref/resource").put("uri", key);
                    }
                    default -> throw new Invalid("completion/complete ref.type must be ref/prompt or ref/resource");
                }
                payload.putObject("argument").put("name", argument.get("name").textValue()).put("value", argument.get("value").textValue());
                JsonNode context = p.path("context").path("arguments");
                if (!context.isMissingNode()) {
                    if (!context.isObject() || !allText(context)) throw new Invalid("completion/complete context.arguments must map names to strings");
                    payload.putObject("context").set("arguments", context);
                }
                return new GovernedRequest(request.method(), kind, key, payload, payload.deepCopy());
            }
            default -> throw new IllegalArgumentException("not a governed method: " + request.method());
        }
    }

    private static String text(JsonNode node, String field, String problem) throws Invalid {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.textValue().isEmpty()) throw new Invalid(problem);
        return v.textValue();
    }

    private static boolean allText(JsonNode object) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
            if (!it.next().getValue().isTextual()) return false;
        }
        return true;
    }

    /** The payload plus the client's progress token, the only {@code _meta} the gateway relays. */
    private static ObjectNode withProgress(ObjectNode payload, ObjectNode params) {
        ObjectNode out = payload.deepCopy();
        JsonNode token = params.path("_meta").path("progressToken");
        if (token.isTextual() || token.isIntegralNumber()) out.putObject("_meta").set("progressToken", token);
        return out;
    }
}
