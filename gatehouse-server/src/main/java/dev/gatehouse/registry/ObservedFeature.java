package dev.gatehouse.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A feature as an upstream showed it in a listing ({@code tools/list}, {@code resources/list},
 * {@code resources/templates/list}, {@code prompts/list}): its key, description, and digests of the
 * definition as a whole and of each of its fields, so a change can say which fields changed; the
 * schema of its arguments and what its annotations suggest, when it has them.
 */
public record ObservedFeature(Feature.Kind kind, String key, String description, String digest, Map<String, String> fieldDigests,
                              JsonNode inputSchema, Suggestion suggested) {
    public ObservedFeature {
        fieldDigests = fieldDigests == null ? Map.of() : Map.copyOf(fieldDigests);
    }
}
