package dev.gatehouse.registry;

import dev.gatehouse.registry.Vocabulary.Destination;
import dev.gatehouse.registry.Vocabulary.Trust;
import java.util.List;

/**
 * A tool server as declared. Safe defaults when omitted: {@code trust: unapproved},
 * {@code destination: external}; a feature's destination defaults to its server's. Features listed
 * without effect and risk are recorded unclassified (quarantined). A list left out (null) keeps what
 * the server has of that kind (e.g. tools discovered from upstream); an empty list removes them.
 * {@code command} (argv) is accepted only to be refused with a clear message: a stdio server names a
 * configured command in {@code stdio}.
 */
public record ToolServerSpec(String id, String displayName, String url, String stdio, Trust trust,
                             Destination destination, List<Tool> tools, List<Resource> resources, List<Prompt> prompts,
                             List<String> command) {
    /** A server declared with tools only. */
    public ToolServerSpec(String id, String displayName, String url, String stdio, Trust trust, Destination destination,
                          List<Tool> tools) {
        this(id, displayName, url, stdio, trust, destination, tools, null, null, null);
    }
}
