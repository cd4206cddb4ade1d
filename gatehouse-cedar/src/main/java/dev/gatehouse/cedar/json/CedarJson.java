package dev.gatehouse.cedar.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gatehouse.cedar.entities.Entities;
import dev.gatehouse.cedar.entities.Entity;
import dev.gatehouse.cedar.eval.EvaluationException;
import dev.gatehouse.cedar.eval.Extensions;
import dev.gatehouse.cedar.schema.ActionDefinition;
import dev.gatehouse.cedar.schema.EntityTypeDefinition;
import dev.gatehouse.cedar.schema.Schema;
import dev.gatehouse.cedar.schema.SchemaType;
import dev.gatehouse.cedar.value.EntityType;
import dev.gatehouse.cedar.value.EntityUid;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.cedar.value.SetValue;
import dev.gatehouse.cedar.value.StringValue;
import dev.gatehouse.cedar.value.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cedar's JSON formats: entities ({@code [{"uid": …, "attrs": …, "parents": […], "tags": …}]}),
 * contexts, entity uids and values, with the {@code __entity} and {@code __extn} escapes.
 *
 * <p>Given a {@link Schema}, values are read the way Cedar reads them against a schema: where
 * the schema expects an entity, {@code {"type": "User", "id": "a"}} is that entity; where it
 * expects an extension type, a plain string is passed to its constructor ({@code "10.0.0.1"}
 * becomes {@code ip("10.0.0.1")}) and {@code {"fn": …, "arg": …}} needs no {@code __extn}; and the
 * schema's actions (with their hierarchy) replace any action entities in the JSON. Reading is not
 * validation: attributes the schema does not describe are read as plain JSON values.
 */
public final class CedarJson {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private static final SchemaType STRING = new SchemaType.StringType();
    private static final SchemaType DATETIME = new SchemaType.ExtensionType("datetime");
    private static final SchemaType DURATION = new SchemaType.ExtensionType("duration");
    private static final SchemaType DECIMAL = new SchemaType.ExtensionType("decimal");
    private static final SchemaType IPADDR = new SchemaType.ExtensionType("ipaddr");

    private CedarJson() {
    }

    /** Parses JSON text (duplicate keys are an error, as in Cedar). */
    public static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new CedarJsonException("invalid JSON: " + e.getOriginalMessage());
        }
    }

    /** A store of the entities in a Cedar entities JSON array. */
    public static Entities entities(String json) {
        return entities(tree(json), null);
    }

    /** A store of the entities in a Cedar entities JSON array, read against a schema (see the class comment). */
    public static Entities entities(String json, Schema schema) {
        return entities(tree(json), schema);
    }

    /** A store of the entities in a parsed entities array, read against the schema when one is given. */
    public static Entities entities(JsonNode array, Schema schema) {
        Entities.Builder b = Entities.builder();
        for (Entity e : entityList(array, schema)) {
            try {
                b.add(e);
            } catch (IllegalArgumentException dup) {
                throw new CedarJsonException(dup.getMessage());
            }
        }
        if (schema != null) {
            for (Entity action : schema.actionEntities()) {
                b.put(action);
            }
        }
        return b.build();
    }

    /** The entities of a Cedar entities JSON array, without computing ancestors. */
    public static List<Entity> entityList(JsonNode array, Schema schema) {
        if (array == null || !array.isArray()) {
            throw new CedarJsonException("entities must be a JSON array");
        }
        List<Entity> out = new ArrayList<>(array.size());
        for (JsonNode e : array) {
            out.add(entity(e, schema));
        }
        return out;
    }

    /** One entity object: {@code {"uid": …, "attrs": {…}, "parents": […], "tags": {…}}}. */
    public static Entity entity(JsonNode node, Schema schema) {
        if (node == null || !node.isObject()) {
            throw new CedarJsonException("an entity must be a JSON object");
        }
        EntityUid uid = entityUid(node.get("uid"), "uid");
        EntityTypeDefinition def = schema == null || uid.type().isAction() ? null : schema.entityType(uid.type());
        String where = uid.toString();
        Map<String, Value> attrs = new HashMap<>();
        JsonNode a = node.get("attrs");
        if (a != null && !a.isNull()) {
            if (!a.isObject()) {
                throw new CedarJsonException(where + ": attrs must be an object");
            }
            for (Map.Entry<String, JsonNode> f : a.properties()) {
                SchemaType.Attribute t = def == null ? null : def.attributes().get(f.getKey());
                attrs.put(f.getKey(), value(f.getValue(), t == null ? null : t.type(), where + "." + f.getKey()));
            }
        }
        Map<String, Value> tags = new HashMap<>();
        JsonNode t = node.get("tags");
        if (t != null && !t.isNull()) {
            if (!t.isObject()) {
                throw new CedarJsonException(where + ": tags must be an object");
            }
            for (Map.Entry<String, JsonNode> f : t.properties()) {
                tags.put(f.getKey(), value(f.getValue(), def == null ? null : def.tags(), where + " tag " + f.getKey()));
            }
        }
        List<EntityUid> parents = new ArrayList<>();
        JsonNode ps = node.get("parents");
        if (ps != null && !ps.isNull()) {
            if (!ps.isArray()) {
                throw new CedarJsonException(where + ": parents must be an array");
            }
            for (JsonNode pn : ps) {
                EntityUid parent = entityUid(pn, where + " parent");
                if (uid.type().isAction() && !parent.type().isAction()) {
                    throw new CedarJsonException(where + ": an action's parents must be actions, not " + parent);
                }
                parents.add(parent);
            }
        }
        return Entity.of(uid, attrs, parents, tags);
    }

    /** A context object, read without schema. */
    public static RecordValue context(String json) {
        return context(tree(json), null, null);
    }

    /** A context object, read against the schema's context type for the action. */
    public static RecordValue context(String json, Schema schema, EntityUid action) {
        return context(tree(json), schema, action);
    }

    /** A parsed context object, read against the schema's context type for the action when both are given. */
    public static RecordValue context(JsonNode node, Schema schema, EntityUid action) {
        if (node == null || node.isNull()) {
            return RecordValue.EMPTY;
        }
        if (!node.isObject()) {
            throw new CedarJsonException("the context must be a JSON object");
        }
        ActionDefinition def = schema == null || action == null ? null : schema.action(action);
        Value v = value(node, def == null ? null : def.context(), "context");
        if (!(v instanceof RecordValue r)) {
            throw new CedarJsonException("the context must be a record, not " + v.typeName() + " " + v.toCedar());
        }
        return r;
    }

    /** An entity uid: {@code {"type": "User", "id": "alice"}} or {@code {"__entity": {…}}}. */
    public static EntityUid entityUid(JsonNode node, String where) {
        if (node != null && node.isObject() && node.size() == 1 && node.has("__entity")) {
            node = node.get("__entity");
        }
        if (node == null || !node.isObject() || !node.path("type").isTextual() || !node.path("id").isTextual()) {
            throw new CedarJsonException(where + ": expected an entity uid {\"type\": …, \"id\": …}");
        }
        return new EntityUid(new EntityType(node.get("type").asText()), node.get("id").asText());
    }

    /** A value without schema. */
    public static Value value(JsonNode node) {
        return value(node, null, "value");
    }

    /**
     * A value, read as the expected schema type says (null: no expectation).
     *
     * @throws CedarJsonException when the JSON is not a Cedar value
     */
    public static Value value(JsonNode node, SchemaType expected, String where) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new CedarJsonException(where + ": null is not a Cedar value");
        }
        if (expected instanceof SchemaType.EntityRef && node.isObject()) {
            return entityUid(node, where);
        }
        if (expected instanceof SchemaType.ExtensionType ext) {
            return extensionValue(node, ext, where);
        }
        if (expected instanceof SchemaType.SetType set && node.isArray()) {
            List<Value> elements = new ArrayList<>(node.size());
            for (JsonNode e : node) {
                elements.add(value(e, set.element(), where + "[]"));
            }
            return SetValue.of(elements);
        }
        if (expected instanceof SchemaType.RecordType rec && node.isObject() && !isEscape(node)) {
            Map<String, Value> attrs = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> f : node.properties()) {
                SchemaType.Attribute t = rec.attributes().get(f.getKey());
                attrs.put(f.getKey(), value(f.getValue(), t == null ? null : t.type(), where + "." + f.getKey()));
            }
            return RecordValue.of(attrs);
        }
        return plain(node, where);
    }

    private static boolean isEscape(JsonNode node) {
        return node.has("__entity") || node.has("__extn") || node.has("__expr");
    }

    private static Value plain(JsonNode node, String where) {
        if (node.isBoolean()) {
            return Value.of(node.booleanValue());
        }
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                throw new CedarJsonException(where + ": " + node + " does not fit in a 64-bit Long");
            }
            return Value.of(node.longValue());
        }
        if (node.isNumber()) {
            throw new CedarJsonException(where + ": " + node + " is not an integer; Cedar has no floating-point numbers (use decimal)");
        }
        if (node.isTextual()) {
            return new StringValue(node.textValue());
        }
        if (node.isArray()) {
            List<Value> elements = new ArrayList<>(node.size());
            for (JsonNode e : node) {
                elements.add(value(e, null, where + "[]"));
            }
            return SetValue.of(elements);
        }
        if (node.isObject()) {
            if (node.has("__entity")) {
                if (node.size() != 1) {
                    throw new CedarJsonException(where + ": `__entity` must be the only key of its object");
                }
                return entityUid(node.get("__entity"), where);
            }
            if (node.has("__extn")) {
                if (node.size() != 1) {
                    throw new CedarJsonException(where + ": `__extn` must be the only key of its object");
                }
                return call(node.get("__extn"), where);
            }
            if (node.has("__expr")) {
                throw new CedarJsonException(where + ": the `__expr` escape is not supported; use `__entity` or `__extn`");
            }
            Map<String, Value> attrs = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> f : node.properties()) {
                attrs.put(f.getKey(), value(f.getValue(), null, where + "." + f.getKey()));
            }
            return RecordValue.of(attrs);
        }
        throw new CedarJsonException(where + ": " + node.getNodeType() + " is not a Cedar value");
    }

    private static Value extensionValue(JsonNode node, SchemaType.ExtensionType ext, String where) {
        if (node.isObject() && node.size() == 1 && node.has("__extn")) {
            return call(node.get("__extn"), where);
        }
        if (node.isObject() && node.has("fn") && (node.has("arg") || node.has("args")) && node.size() == 2) {
            return call(node, where);
        }
        // Cedar's implicit constructor: the value is the argument of the type's one-argument constructor.
        return apply(ext.constructor(), new Value[] {value(node, STRING, where)}, where);
    }

    /** {@code {"fn": "decimal", "arg": "1.5"}} or {@code {"fn": "offset", "args": […]}}, arguments read by the function's parameter types. */
    private static Value call(JsonNode fnAndArgs, String where) {
        if (fnAndArgs == null || !fnAndArgs.isObject() || !fnAndArgs.path("fn").isTextual()) {
            throw new CedarJsonException(where + ": expected {\"fn\": name, \"arg\": value} or {\"fn\": name, \"args\": [values]}");
        }
        String fn = fnAndArgs.get("fn").textValue();
        List<JsonNode> args = new ArrayList<>();
        if (fnAndArgs.has("arg")) {
            args.add(fnAndArgs.get("arg"));
        } else if (fnAndArgs.path("args").isArray()) {
            fnAndArgs.get("args").forEach(args::add);
        } else {
            throw new CedarJsonException(where + ": `" + fn + "` needs \"arg\" or \"args\"");
        }
        SchemaType[] types = parameterTypes(fn);
        if (types != null && types.length != args.size()) {
            throw new CedarJsonException(where + ": `" + fn + "` takes " + types.length + " argument(s), got " + args.size());
        }
        Value[] values = new Value[args.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = value(args.get(i), types == null ? null : types[i], where);
        }
        return apply(fn, values, where);
    }

    private static Value apply(String fn, Value[] args, String where) {
        try {
            return Extensions.call(fn, args);
        } catch (EvaluationException e) {
            throw new CedarJsonException(where + ": " + e.getMessage());
        }
    }

    /** Parameter types of the extension functions, so their JSON arguments can use the implicit forms too. */
    private static SchemaType[] parameterTypes(String fn) {
        return switch (fn) {
            case "decimal", "ip", "datetime", "duration" -> new SchemaType[] {STRING};
            case "lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual" -> new SchemaType[] {DECIMAL, DECIMAL};
            case "isIpv4", "isIpv6", "isLoopback", "isMulticast" -> new SchemaType[] {IPADDR};
            case "isInRange" -> new SchemaType[] {IPADDR, IPADDR};
            case "offset" -> new SchemaType[] {DATETIME, DURATION};
            case "durationSince" -> new SchemaType[] {DATETIME, DATETIME};
            case "toDate", "toTime" -> new SchemaType[] {DATETIME};
            case "toMilliseconds", "toSeconds", "toMinutes", "toHours", "toDays" -> new SchemaType[] {DURATION};
            default -> null;
        };
    }
}
