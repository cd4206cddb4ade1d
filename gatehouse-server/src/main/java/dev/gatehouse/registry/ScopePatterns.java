package dev.gatehouse.registry;

import java.util.regex.Pattern;

/**
 * The items of a scope's {@code tools} list: patterns over the scope ids of features
 * ({@link Feature#scopeId}). {@code *} is everything; {@code <server>/*} everything a server offers;
 * {@code <server>/<tool>} one tool; {@code <server>/prompt:*} and {@code <server>/prompt:<name>} its
 * prompts; {@code <server>/resource:*} and {@code <server>/resource:<uri>} its resources, where the uri
 * is exact, an RFC 6570 template or a prefix ending in {@code *} ({@link UriPatterns}).
 */
public final class ScopePatterns {
    private static final Pattern SERVER_ITEM = Pattern.compile("([a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)/(.+)", Pattern.DOTALL);
    private static final String RESOURCE = Feature.Kind.RESOURCE.scopePrefix();
    private static final String PROMPT = Feature.Kind.PROMPT.scopePrefix();
    public static final String SYNTAX = "'*', '<server>/*', '<server>/<tool>', '<server>/prompt:<name|*>' or '<server>/resource:<uri|template|prefix*>'";

    private ScopePatterns() {}

    /** True when {@code item} is a well-formed pattern. */
    public static boolean valid(String item) {
        if (item == null) return false;
        if (item.equals("*")) return true;
        var m = SERVER_ITEM.matcher(item);
        if (!m.matches()) return false;
        String rest = m.group(2);
        if (rest.equals("*")) return true;
        if (rest.startsWith(RESOURCE)) {
            String uri = rest.substring(RESOURCE.length());
            return uri.equals("*") || UriPatterns.problem(uri) == null;
        }
        if (rest.startsWith(PROMPT)) {
            String name = rest.substring(PROMPT.length());
            return name.equals("*") || Tool.NAME.matcher(name).matches();
        }
        return Tool.NAME.matcher(rest).matches();
    }

    /** The server a pattern is about, or null for {@code *}. */
    public static String server(String pattern) {
        int slash = pattern.indexOf('/');
        return slash < 0 ? null : pattern.substring(0, slash);
    }

    /** True when pattern {@code outer} covers {@code inner}: a concrete scope id, or another pattern (all it names). */
    public static boolean covers(String outer, String inner) {
        if (outer.equals("*") || outer.equals(inner)) return true;
        if (inner.equals("*")) return false;
        String server = server(outer);
        if (server == null || !server.equals(server(inner))) return false;
        String o = outer.substring(server.length() + 1);
        String i = inner.substring(server.length() + 1);
        if (o.equals("*")) return true;
        for (String prefix : new String[] {RESOURCE, PROMPT}) {
            if (o.startsWith(prefix)) {
                if (!i.startsWith(prefix)) return false;
                String op = o.substring(prefix.length());
                String ip = i.substring(prefix.length());
                if (op.equals("*")) return true;
                if (ip.equals("*")) return false;
                return prefix.equals(RESOURCE) ? UriPatterns.covers(op, ip) : op.equals(ip);
            }
        }
        return false; // a tool name covers only itself (equality above)
    }

    /** True when any pattern names something on {@code server}: a task may open a session there. */
    public static boolean reaches(Iterable<String> patterns, String server) {
        for (String p : patterns) if (p.equals("*") || server.equals(server(p))) return true;
        return false;
    }
}
