package dev.gatehouse.registry;

import dev.gatehouse.core.Problem;
import dev.gatehouse.registry.Vocabulary.Effect;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The declared scope of a workload or agent: the governed use case. {@code tools} are patterns
 * over tool ids {@code <server>/<tool>}: an exact id, {@code <server>/*}, or {@code *};
 * {@code effects} are the authorities it may ever use. Nothing outside it is ever granted.
 */
public record Scope(List<String> tools, Set<Effect> effects) {
    private static final Pattern TOOL_PATTERN = Pattern.compile(
            "\\*|[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?/(?:\\*|[A-Za-z0-9_.\\-]{1,128})");

    public Scope {
        tools = tools == null ? List.of() : List.copyOf(tools);
        // Sorted (read, write, execute) so exports and diffs are stable.
        effects = effects == null ? Set.of() : java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(effects));
    }

    public static Scope validated(Scope scope) {
        if (scope == null) {
            throw new Problem.Invalid("scope", "scope is required for workloads and agents ({\"tools\":[…],\"effects\":[…]})");
        }
        for (int i = 0; i < scope.tools().size(); i++) {
            String pattern = scope.tools().get(i);
            if (pattern == null || !TOOL_PATTERN.matcher(pattern).matches()) {
                throw new Problem.Invalid("scope.tools[" + i + "]",
                        "tool pattern must be '<server>/<tool>', '<server>/*' or '*'");
            }
        }
        return scope;
    }

    /** True when {@code toolId} ({@code server/tool}) matches one of the declared patterns. */
    public boolean coversTool(String toolId) {
        for (String pattern : tools) {
            if (pattern.equals("*") || pattern.equals(toolId)) return true;
            if (pattern.endsWith("/*") && toolId.startsWith(pattern.substring(0, pattern.length() - 1))) return true;
        }
        return false;
    }
}
