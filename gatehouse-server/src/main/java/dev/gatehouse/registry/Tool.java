package dev.gatehouse.registry;

import dev.gatehouse.registry.Vocabulary.Destination;
import dev.gatehouse.registry.Vocabulary.Effect;
import dev.gatehouse.registry.Vocabulary.Risk;

/**
 * A tool of a tool server. {@code classified} is false for tools discovered but never classified
 * by an admin: those are quarantined (never listed, never called) until someone does.
 */
public record Tool(String name, String description, Effect effect, Risk risk, Destination destination, Boolean classified, Pin pin)
        implements Feature {
    public static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.\\-]{1,128}");

    /** A declared or discovered tool, not yet pinned to a definition. */
    public Tool(String name, String description, Effect effect, Risk risk, Destination destination, Boolean classified) {
        this(name, description, effect, risk, destination, classified, null);
    }

    /** The Cedar / scope id of this tool: {@code <server>/<tool>}. */
    public static String id(String serverId, String toolName) { return serverId + "/" + toolName; }

    @Override public Kind kind() { return Kind.TOOL; }

    @Override public String key() { return name; }

    @Override
    public Tool with(Effect effect, Risk risk, Destination destination, boolean classified, Pin pin) {
        return new Tool(name, description, effect, risk, destination, classified, pin);
    }
}
