package dev.gatehouse.registry;

import dev.gatehouse.registry.Vocabulary.Destination;
import dev.gatehouse.registry.Vocabulary.Trust;
import dev.gatehouse.registry.Vocabulary.UpstreamAuth;
import java.util.List;

/**
 * A tool server as declared. Safe defaults when omitted: {@code trust: unapproved},
 * {@code destination: external}; a feature's destination defaults to its server's. Features listed
 * without effect and risk are recorded unclassified (quarantined). A list left out (null) keeps what
 * the server has of that kind (e.g. tools discovered from upstream); an empty list removes them.
 * {@code command} (argv) is accepted only to be refused with a clear message: a stdio server names a
 * configured command in {@code stdio}. {@code upstreamAuth} defaults to {@code static}; {@code gatehouse-jwt} and
 * {@code oauth} need a {@code url}.
 */
public record ToolServerSpec(String id, String displayName, String url, String stdio, UpstreamAuth upstreamAuth, String upstreamResource,
                             Trust trust, Destination destination, List<Tool> tools, List<Resource> resources, List<Prompt> prompts,
                             List<String> command) {
    /** A server declared with tools only. */
    public ToolServerSpec(String id, String displayName, String url, String stdio, Trust trust, Destination destination,
                          List<Tool> tools) {
        this(id, displayName, url, stdio, null, null, trust, destination, tools, null, null, null);
    }
}
