package dev.gatehouse.registry;

import dev.gatehouse.inspection.Classification;
import dev.gatehouse.registry.Vocabulary.Effect;
import java.util.List;
import java.util.Set;

/**
 * One AI use case of a workload or agent: a contract of what it may touch. Its tools and effects
 * lie within the declared scope (a task opened for the use case gets no more); {@code dataCeiling}
 * is the most sensitive data it may read; {@code destinations} where its data may go: {@code internal},
 * {@code external}, or named tool servers. Policies see the task's use case as
 * {@code context.task.useCase}, {@code dataCeiling} (a level) and {@code destinations}.
 */
public record UseCase(String name, List<String> tools, Set<Effect> effects, Classification dataCeiling, List<String> destinations) {
    public UseCase {
        tools = tools == null ? List.of() : List.copyOf(tools);
        effects = effects == null ? Set.of() : java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(effects));
        destinations = destinations == null ? List.of() : List.copyOf(destinations);
    }

    /** The scope a task of this use case is cut from. */
    public Scope scope() { return new Scope(tools, effects); }
}
