package dev.gatehouse.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.gatehouse.core.ControlCharacters;
import dev.gatehouse.core.Json;
import dev.gatehouse.core.Problem;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** An HTTP request as routes see it: path parameters, query, headers, body and the authenticated caller. */
public final class ApiRequest {
    private final String method;
    private final String path;
    private final Map<String, String> pathParams;
    private final Map<String, List<String>> query;
    private final Map<String, String> headers;
    private final byte[] body;
    private final Caller caller;
    private final String remoteAddress;

    public ApiRequest(String method, String path, Map<String, String> pathParams, String rawQuery,
                      Map<String, String> headers, byte[] body, Caller caller, String remoteAddress) {
        this.method = method;
        this.path = path;
        this.pathParams = pathParams;
        this.query = parseForm(rawQuery, "query");
        this.headers = headers;
        this.body = body;
        this.caller = caller;
        this.remoteAddress = remoteAddress;
    }

    public String method() { return method; }
    public String path() { return path; }
    public byte[] body() { return body; }
    public String remoteAddress() { return remoteAddress; }

    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no path parameter " + name);
        }
        return value;
    }

    /** The authenticated caller; routes with {@link Access#PUBLIC} have none. */
    public Caller caller() {
        if (caller == null) {
            throw new IllegalStateException("route is public; there is no authenticated caller");
        }
        return caller;
    }

    public Optional<Caller> optionalCaller() { return Optional.ofNullable(caller); }

    public Optional<String> query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public Map<String, List<String>> queryParams() { return query; }

    /** Refuses any query parameter not in {@code allowed}: a misspelt filter must not silently widen a listing. */
    public ApiRequest onlyQuery(String... allowed) {
        List<String> names = List.of(allowed);
        for (String key : query.keySet()) {
            if (!names.contains(key)) throw new Problem.Invalid("unknown_parameter", key, "unknown query parameter '" + key + "'");
        }
        return this;
    }

    /** Header lookup, case-insensitive. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The body decoded strictly as {@code type}; every decoding failure becomes a 400 naming the field. */
    public <T> T body(Class<T> type) {
        try {
            byte[] bytes = requireBody();
            refuseControlCharacters(bytes);
            return Json.MAPPER.readValue(bytes, type);
        } catch (JsonProcessingException e) {
            throw decodingProblem(e);
        } catch (java.io.IOException e) {
            throw new Problem.Invalid("malformed_json", null, "request body could not be read");
        }
    }

    public JsonNode jsonBody() {
        try {
            JsonNode node = Json.MAPPER.readTree(requireBody());
            if (node == null || node.isMissingNode()) {
                throw new Problem.Invalid("malformed_json", null, "request body must be a JSON document");
            }
            refuseControlCharacters(node, "");
            return node;
        } catch (JsonProcessingException e) {
            throw decodingProblem(e);
        } catch (java.io.IOException e) {
            throw new Problem.Invalid("malformed_json", null, "request body could not be read");
        }
    }

    /** An {@code application/x-www-form-urlencoded} body (OAuth endpoints). */
    public Map<String, List<String>> form() {
        return parseForm(new String(body, StandardCharsets.UTF_8), "body");
    }

    /**
     * Names and free text never carry terminal control characters (see {@link ControlCharacters}): refused at
     * the door, naming the field, so nothing stored can later rewrite an operator's terminal. JSON can only
     * carry them escaped ({@code \u001b}) or as multi-byte UTF-8, so other bodies skip the tree walk.
     */
    private static void refuseControlCharacters(byte[] json) throws java.io.IOException {
        boolean suspect = false;
        for (int i = 0; i < json.length && !suspect; i++) {
            suspect = json[i] < 0 || (json[i] == '\\' && i + 1 < json.length && json[i + 1] == 'u');
        }
        if (suspect) refuseControlCharacters(Json.MAPPER.readTree(json), "");
    }

    private static void refuseControlCharacters(JsonNode node, String path) {
        if (node.isTextual()) {
            refuseControlCharacters(node.asText(), path.isEmpty() ? null : path);
        } else if (node.isObject()) {
            var fields = node.properties().iterator();
            while (fields.hasNext()) {
                var e = fields.next();
                String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                refuseControlCharacters(e.getKey(), child);
                refuseControlCharacters(e.getValue(), child);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) refuseControlCharacters(node.get(i), path + "[" + i + "]");
        }
    }

    /** Throws 400 naming {@code field} when {@code value} holds a forbidden control character. */
    public static void refuseControlCharacters(String value, String field) {
        int cp = ControlCharacters.firstForbidden(value);
        if (cp >= 0) {
            throw new Problem.Invalid("control_character", field, (field == null ? "the body" : "field '" + field + "'")
                    + " contains the control character " + ControlCharacters.name(cp) + "; names and text must be printable");
        }
    }

    private byte[] requireBody() {
        if (body.length == 0) {
            throw new Problem.Invalid("malformed_json", null, "request body is empty; a JSON document is required");
        }
        String type = header("content-type").orElse("");
        String media = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        // A JSON route reads only JSON: a text/plain or form body is a "simple" cross-site request a browser sends unasked.
        if (!media.equals("application/json") && !(media.startsWith("application/") && media.endsWith("+json"))) {
            throw new Problem.UnsupportedMediaType("this route reads application/json"
                    + (media.isEmpty() ? " (no Content-Type was sent)" : ", not " + printable(media)));
        }
        return body;
    }

    /** A header value as it may appear in a message: at most 100 printable ASCII characters. */
    private static String printable(String value) {
        String shown = value.length() > 100 ? value.substring(0, 100) : value;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** Maps Jackson's failure to a specific, value-free message: which field, what was wrong. */
    public static Problem decodingProblem(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            String field = fieldPath(u);
            return new Problem.Invalid("unknown_field", field, "unknown field '" + field + "'");
        }
        if (e instanceof ValueInstantiationException v) {
            Throwable cause = v.getCause();
            if (cause instanceof Problem p) {
                return p;
            }
            return new Problem.Invalid("invalid_request", fieldPath(v), "invalid value for '" + fieldPath(v) + "'");
        }
        if (e instanceof InvalidFormatException f) {
            String field = fieldPath(f);
            String expected = f.getTargetType() != null && f.getTargetType().isEnum()
                    ? "one of " + java.util.Arrays.stream(f.getTargetType().getEnumConstants())
                            .map(c -> c.toString()).collect(Collectors.joining(", "))
                    : "a " + simpleType(f.getTargetType());
            return new Problem.Invalid("invalid_type", field, "field '" + field + "' must be " + expected);
        }
        if (e instanceof MismatchedInputException m) {
            String field = fieldPath(m);
            if (field == null) {
                return new Problem.Invalid("invalid_type", null, "request body must be a JSON object");
            }
            return new Problem.Invalid("invalid_type", field, "field '" + field + "' must be a " + simpleType(m.getTargetType()));
        }
        if (e instanceof JsonMappingException m && m.getCause() instanceof Problem p) {
            return p;
        }
        return new Problem.Invalid("malformed_json", null, "request body is not valid JSON");
    }

    private static String simpleType(Class<?> type) {
        if (type == null) return "value of the documented type";
        if (type == String.class) return "string";
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) return "number";
        if (type == Boolean.class || type == boolean.class) return "boolean";
        if (List.class.isAssignableFrom(type) || java.util.Set.class.isAssignableFrom(type)) return "array";
        if (type.isRecord() || Map.class.isAssignableFrom(type)) return "object";
        return type.getSimpleName();
    }

    private static String fieldPath(JsonMappingException e) {
        List<String> parts = new ArrayList<>();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                parts.add(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                parts.add("[" + ref.getIndex() + "]");
            }
        }
        if (parts.isEmpty()) return null;
        return String.join(".", parts).replace(".[", "[");
    }

    /** {@code where} names the part of the request in the error: a malformed %-escape is the client's 400, not our 500. */
    private static Map<String, List<String>> parseForm(String raw, String where) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String key;
            String value;
            try {
                key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new Problem.Invalid("malformed_encoding", where, "the " + where + " has a malformed %-escape");
            }
            refuseControlCharacters(key, where);
            refuseControlCharacters(value, eq < 0 ? where : key);
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return out;
    }
}
