package dev.gatehouse.registry;

import dev.gatehouse.registry.Vocabulary.Destination;
import dev.gatehouse.registry.Vocabulary.Trust;
import java.util.List;

/**
 * A tool server as declared. Safe defaults when omitted: {@code trust: unapproved},
 * {@code destination: external}; a tool's destination defaults to its server's.
 */
public record ToolServerSpec(String id, String displayName, String url, List<String> command, Trust trust,
                             Destination destination, List<Tool> tools) {}
