package dev.gatehouse.registry;

import dev.gatehouse.registry.Vocabulary.Destination;
import dev.gatehouse.registry.Vocabulary.Trust;
import java.util.List;

/**
 * A tool server as declared. Safe defaults when omitted: {@code trust: unapproved},
 * {@code destination: external}; a tool's destination defaults to its server's. {@code command} (argv) is
 * accepted only to be refused with a clear message: a stdio server names a configured command in {@code stdio}.
 */
public record ToolServerSpec(String id, String displayName, String url, String stdio, Trust trust,
                             Destination destination, List<Tool> tools, List<String> command) {
    public ToolServerSpec(String id, String displayName, String url, String stdio, Trust trust, Destination destination, List<Tool> tools) {
        this(id, displayName, url, stdio, trust, destination, tools, null);
    }
}
