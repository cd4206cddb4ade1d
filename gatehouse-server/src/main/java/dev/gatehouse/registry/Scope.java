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
public record Scope(List<String> tools, Set<Effect> effects, List<UseCase> useCases) {
    /** A scope without use cases. */
    public Scope(List<String> tools, Set<Effect> effects) {
        this(tools, effects, null);
    }


    public Scope {
        tools = tools == null ? List.of() : List.copyOf(tools);
        // Sorted (read, write, execute) so exports and diffs are stable.
        effects = effects == null ? Set.of() : java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(effects));
        useCases = useCases == null || useCases.isEmpty() ? null : List.copyOf(useCases);
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
        List<UseCase> useCases = scope.useCases() == null ? List.of() : scope.useCases();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < useCases.size(); i++) {
            UseCase u = useCases.get(i);
            String at = "scope.useCases[" + i + "]";
            if (u == null || u.name() == null || !dev.gatehouse.core.Slug.isValid(u.name())) {
                throw new Problem.Invalid(at + ".name", "a use case needs a name (a lowercase slug)");
            }
            if (!names.add(u.name())) throw new Problem.Invalid(at + ".name", "use case '" + u.name() + "' is declared twice");
            if (u.tools().isEmpty() || u.effects().isEmpty()) throw new Problem.Invalid(at, "a use case names the tools and effects it needs");
            for (int t = 0; t < u.tools().size(); t++) {
                String pattern = u.tools().get(t);
                if (!ScopePatterns.valid(pattern)) throw new Problem.Invalid(at + ".tools[" + t + "]", "a scope pattern must be " + ScopePatterns.SYNTAX);
                if (scope.tools().stream().noneMatch(p -> ScopePatterns.covers(p, pattern))) {
                    throw new Problem.Invalid(at + ".tools[" + t + "]", "'" + pattern + "' is outside the declared scope's tools");
                }
            }
            if (!scope.effects().containsAll(u.effects())) throw new Problem.Invalid(at + ".effects", "a use case's effects lie within the declared scope's");
            if (u.dataCeiling() == null) {
                throw new Problem.Invalid(at + ".dataCeiling", "dataCeiling is required: public, internal, confidential or restricted");
            }
            if (u.destinations().isEmpty()) {
                throw new Problem.Invalid(at + ".destinations", "destinations is required: internal, external and/or tool server ids");
            }
            for (int d = 0; d < u.destinations().size(); d++) {
                String dest = u.destinations().get(d);
                if (dest == null || !dest.equals("internal") && !dest.equals("external") && !dev.gatehouse.core.Slug.isValid(dest)) {
                    throw new Problem.Invalid(at + ".destinations[" + d + "]", "a destination is internal, external or a tool server id");
                }
            }
        }
        return scope;
    }

    /** The use case named {@code name}; when {@code name} is null, the only one declared (empty if none or several). */
    public java.util.Optional<UseCase> useCase(String name) {
        if (useCases == null) return java.util.Optional.empty();
        if (name == null) return useCases.size() == 1 ? java.util.Optional.of(useCases.get(0)) : java.util.Optional.empty();
        return useCases.stream().filter(u -> u.name().equals(name)).findFirst();
    }

    /** True when the feature with scope id {@code scopeId} (e.g. {@code server/tool}) matches one of the patterns. */
    public boolean covers(String scopeId) {
        for (String pattern : tools) if (ScopePatterns.covers(pattern, scopeId)) return true;
        return false;
    }
}
