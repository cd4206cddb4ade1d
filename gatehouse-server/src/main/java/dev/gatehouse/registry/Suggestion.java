package dev.gatehouse.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.registry.Vocabulary.Destination;
import dev.gatehouse.registry.Vocabulary.Effect;
import dev.gatehouse.registry.Vocabulary.Risk;

/**
 * What a tool's MCP annotations suggest as its classification — shown to the admin who classifies it,
 * never applied without them: annotations are the upstream's claims about itself, and an untrusted
 * upstream can claim anything. {@code readOnlyHint} suggests a read of low risk; otherwise a write,
 * of high risk unless {@code destructiveHint} is false (MCP's default is destructive); and an external
 * destination unless {@code openWorldHint} is false (MCP's default is open world).
 */
public record Suggestion(Effect effect, Risk risk, Destination destination) {
    /** The suggestion of a tool's {@code annotations}, or null when it has none. */
    public static Suggestion of(JsonNode annotations) {
        if (annotations == null || !annotations.isObject()) return null;
        boolean readOnly = annotations.path("readOnlyHint").asBoolean(false);
        boolean destructive = annotations.path("destructiveHint").asBoolean(true);
        boolean openWorld = annotations.path("openWorldHint").asBoolean(true);
        return new Suggestion(readOnly ? Effect.READ : Effect.WRITE, readOnly ? Risk.LOW : destructive ? Risk.HIGH : Risk.MEDIUM,
                openWorld ? Destination.EXTERNAL : Destination.INTERNAL);
    }
}
