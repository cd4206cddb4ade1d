package dev.gatehouse.cedar.ast;

import java.util.List;
import java.util.Map;

/**
 * One parsed static policy.
 *
 * @param id          its id: the {@code @id} annotation when present, otherwise {@code policyN} by
 *                    position in its text (Cedar's own naming)
 * @param annotations annotations in source order; one written without a value ({@code @review})
 *                    has the empty string as value, as in Cedar
 * @param text        the policy's source text, from its first annotation to the closing {@code ;}
 * @param location    where the policy starts in its text
 */
public record Policy(String id, Effect effect, Map<String, String> annotations, ScopeConstraint principal,
                     ActionConstraint action, ScopeConstraint resource, List<Condition> conditions,
                     String text, Location location) {
    public Policy {
        annotations = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(annotations));
        conditions = List.copyOf(conditions);
    }

    /** The annotation's value, or null when the policy does not carry it. */
    public String annotation(String key) {
        return annotations.get(key);
    }

    public boolean hasAnnotation(String key) {
        return annotations.containsKey(key);
    }
}
