package dev.gatehouse.registry;

import java.util.Map;

/**
 * A feature as an upstream showed it in a listing ({@code tools/list}, {@code resources/list},
 * {@code resources/templates/list}, {@code prompts/list}): its key, description, and digests of the
 * definition as a whole and of each of its fields, so a change can say which fields changed.
 */
public record ObservedFeature(Feature.Kind kind, String key, String description, String digest, Map<String, String> fieldDigests) {
    public ObservedFeature {
        fieldDigests = fieldDigests == null ? Map.of() : Map.copyOf(fieldDigests);
    }
}
