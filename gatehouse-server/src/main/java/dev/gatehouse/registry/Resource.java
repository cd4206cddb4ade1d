package dev.gatehouse.registry;

import dev.gatehouse.registry.Vocabulary.Destination;
import dev.gatehouse.registry.Vocabulary.Effect;
import dev.gatehouse.registry.Vocabulary.Risk;

/**
 * Resources of a tool server an agent may read ({@code resources/read}, {@code resources/subscribe}),
 * named by {@code uri}: an exact URI, an RFC 6570 URI template ({@code hr://employees/{id}}) or a
 * prefix ending in {@code *}; see {@link UriPatterns}. A read is governed by the most specific entry
 * that matches its URI; a URI no classified entry matches is refused.
 */
public record Resource(String uri, String description, Effect effect, Risk risk, Destination destination, Boolean classified, Pin pin)
        implements Feature {
    @Override public Kind kind() { return Kind.RESOURCE; }

    @Override public String key() { return uri; }

    @Override
    public Resource with(Effect effect, Risk risk, Destination destination, boolean classified, Pin pin) {
        return new Resource(uri, description, effect, risk, destination, classified, pin);
    }
}
