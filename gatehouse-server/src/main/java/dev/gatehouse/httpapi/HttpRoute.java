package dev.gatehouse.httpapi;

import dev.gatehouse.core.Problem;
import dev.gatehouse.registry.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One route of a governed HTTP API: requests with {@code method} (or any, {@code *}) whose path matches
 * {@code path} are calls of {@code tool}, a tool of the same tool server, whose effect, risk and
 * destination policies see. Path templates: literal segments, {@code {name}} for exactly one segment,
 * and a final {@code **} for any rest (including none). A HEAD request matches GET routes.
 */
public record HttpRoute(String method, String path, String tool) {
    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "*");

    /** Validates the route as declared (at {@code field}); the method is normalised to upper case. */
    static HttpRoute checked(HttpRoute route, String field) {
        if (route == null) throw new Problem.Invalid(field, "route must be an object {method, path, tool}");
        String method = route.method() == null ? "" : route.method().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new Problem.Invalid(field + ".method", "method must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS or *");
        }
        String path = route.path();
        if (path == null || !path.startsWith("/") || path.length() > 1000 || path.contains("?") || path.contains("#")) {
            throw new Problem.Invalid(field + ".path", "path must start with / (segments, {name}, and a final **), without query");
        }
        List<String> segments = segments(path);
        for (int i = 0; i < segments.size(); i++) {
            String s = segments.get(i);
            if (s.equals("**") && i != segments.size() - 1) throw new Problem.Invalid(field + ".path", "** may only end a path");
            if (s.contains("{") && !s.matches("\\{[A-Za-z0-9_]+}")) {
                throw new Problem.Invalid(field + ".path", "a parameter is a whole segment: {name}");
            }
        }
        if (route.tool() == null || !Tool.NAME.matcher(route.tool()).matches()) {
            throw new Problem.Invalid(field + ".tool", "tool must name a tool of this tool server");
        }
        return new HttpRoute(method, path, route.tool());
    }

    boolean matches(String requestMethod, List<String> requestSegments) {
        String m = requestMethod.toUpperCase(Locale.ROOT);
        if (!method.equals("*") && !method.equals(m) && !(m.equals("HEAD") && method.equals("GET"))) return false;
        List<String> template = segments(path);
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            if (t.equals("**")) return true;
            if (i >= requestSegments.size()) return false;
            if (!t.startsWith("{") && !t.equals(requestSegments.get(i))) return false;
        }
        return template.size() == requestSegments.size();
    }

    static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) out.add(s);
        }
        return out;
    }
}
