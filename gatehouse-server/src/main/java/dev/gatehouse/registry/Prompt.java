package dev.gatehouse.registry;

import dev.gatehouse.registry.Vocabulary.Destination;
import dev.gatehouse.registry.Vocabulary.Effect;
import dev.gatehouse.registry.Vocabulary.Risk;

/** A prompt template of a tool server ({@code prompts/get}); its arguments are data sent to the server. */
public record Prompt(String name, String description, Effect effect, Risk risk, Destination destination, Boolean classified, Pin pin)
        implements Feature {
    @Override public Kind kind() { return Kind.PROMPT; }

    @Override public String key() { return name; }

    @Override
    public Prompt with(Effect effect, Risk risk, Destination destination, boolean classified, Pin pin) {
        return new Prompt(name, description, effect, risk, destination, classified, pin);
    }
}
