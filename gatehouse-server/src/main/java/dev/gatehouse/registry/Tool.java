package dev.gatehouse.registry;

import dev.gatehouse.registry.Vocabulary.Destination;
import dev.gatehouse.registry.Vocabulary.Effect;
import dev.gatehouse.registry.Vocabulary.Risk;

/**
 * A tool of a tool server. {@code classified} is false for tools discovered but never classified
 * by an admin; those are treated as execute / high risk until someone decides otherwise.
 */
public record Tool(String name, String description, Effect effect, Risk risk, Destination destination, Boolean classified) {
    public static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.\\-]{1,128}");

    /** The Cedar / scope id of this tool: {@code <server>/<tool>}. */
    public static String id(String serverId, String toolName) { return serverId + "/" + toolName; }
}
