package dev.gatehouse.http;

import dev.gatehouse.core.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Method + path-template routing ({@code /v1/identities/{id}/suspend}). Features register their
 * routes here; the list is also the source the OpenAPI document is checked against.
 */
public final class Router {
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request) throws Exception;
    }

    /** A registered route; {@code summary} is its one-line description for the API reference. */
    public record Route(String method, String pattern, Access access, String summary, Handler handler) {}

    /** Outcome of matching a request line. */
    public sealed interface Match permits Found, MethodNotAllowed, NoRoute {}
    public record Found(Route route, Map<String, String> params) implements Match {}
    public record MethodNotAllowed(Set<String> allowed) implements Match {}
    public record NoRoute() implements Match {}

    private final List<Route> routes = new ArrayList<>();
    /** Each route's template split once (matching runs on every request). */
    private final List<List<String>> templates = new ArrayList<>();

    public Router get(String pattern, Access access, String summary, Handler h) { return add("GET", pattern, access, summary, h); }
    public Router post(String pattern, Access access, String summary, Handler h) { return add("POST", pattern, access, summary, h); }
    public Router patch(String pattern, Access access, String summary, Handler h) { return add("PATCH", pattern, access, summary, h); }
    public Router put(String pattern, Access access, String summary, Handler h) { return add("PUT", pattern, access, summary, h); }
    public Router delete(String pattern, Access access, String summary, Handler h) { return add("DELETE", pattern, access, summary, h); }

    public Router add(String method, String pattern, Access access, String summary, Handler handler) {
        if (pattern.startsWith("/v1/") && access == Access.PUBLIC) {
            // The foundation's promise: every /v1/ route needs an admin bearer token.
            throw new IllegalArgumentException("/v1/ routes cannot be public: " + pattern);
        }
        for (Route r : routes) {
            if (r.method().equals(method) && r.pattern().equals(pattern)) {
                throw new IllegalArgumentException("route registered twice: " + method + " " + pattern);
            }
        }
        routes.add(new Route(method, pattern, access, summary, handler));
        templates.add(List.copyOf(split(pattern)));
        return this;
    }

    public List<Route> routes() { return List.copyOf(routes); }

    public Match match(String method, String path) {
        List<String> parts = split(path);
        Set<String> allowed = new LinkedHashSet<>();
        Found best = null;
        int bestLiterals = -1;
        for (int r = 0; r < routes.size(); r++) {
            Route route = routes.get(r);
            List<String> template = templates.get(r);
            Optional<Map<String, String>> params = bind(template, parts);
            if (params.isEmpty()) continue;
            allowed.add(route.method());
            if (route.method().equals(method) || (method.equals("HEAD") && route.method().equals("GET"))) {
                // Prefer the most specific template: /v1/x/mine beats /v1/x/{id}.
                int literals = (int) template.stream().filter(s -> !s.startsWith("{")).count();
                if (literals > bestLiterals) {
                    best = new Found(route, params.get());
                    bestLiterals = literals;
                }
            }
        }
        if (best != null) return best;
        return allowed.isEmpty() ? new NoRoute() : new MethodNotAllowed(allowed);
    }

    private static Optional<Map<String, String>> bind(List<String> template, List<String> parts) {
        boolean tail = !template.isEmpty() && template.get(template.size() - 1).endsWith("...}");
        if (tail ? parts.size() < template.size() : parts.size() != template.size()) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            if (t.startsWith("{") && t.endsWith("...}")) {
                // {name...} captures the rest of the path, e.g. tool ids "server/tool".
                params.put(t.substring(1, t.length() - 4), String.join("/", parts.subList(i, parts.size())));
                return Optional.of(params);
            } else if (t.startsWith("{")) {
                params.put(t.substring(1, t.length() - 1), parts.get(i));
            } else if (!t.equals(parts.get(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    private static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (s.isEmpty()) continue;
            try {
                out.add(java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new Problem.Invalid("malformed_encoding", "path", "the path has a malformed %-escape");
            }
        }
        return out;
    }
}
