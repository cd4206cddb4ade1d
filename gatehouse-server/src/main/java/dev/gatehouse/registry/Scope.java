package dev.gatehouse.registry;

import dev.gatehouse.core.Problem;
import dev.gatehouse.registry.Vocabulary.Effect;
import java.util.List;
import java.util.Set;

/**
 * The declared scope of a workload or agent: the governed use case. {@code tools} are patterns
 * over the features of tool servers ({@link ScopePatterns}: tools, prompts, resources);
 * {@code effects} are the authorities it may ever use. Nothing outside it is ever granted.
 */
public record Scope(List<String> tools, Set<Effect> effects) {

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
            if (!ScopePatterns.valid(pattern)) {
                throw new Problem.Invalid("scope.tools[" + i + "]", "a scope pattern must be " + ScopePatterns.SYNTAX);
            }
        }
        return scope;
    }

    /** True when the feature with scope id {@code scopeId} (e.g. {@code server/tool}) matches one of the patterns. */
    public boolean covers(String scopeId) {
        for (String pattern : tools) if (ScopePatterns.covers(pattern, scopeId)) return true;
        return false;
    }
}
