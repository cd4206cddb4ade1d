package dev.gatehouse.registry;

import dev.gatehouse.registry.Vocabulary.Destination;
import dev.gatehouse.registry.Vocabulary.Trust;
import java.time.Instant;
import java.util.List;

/**
 * An upstream MCP server reached over HTTP ({@code url}) or launched as a stdio process: {@code stdio} names a
 * command the operator configured ({@code gateway.stdioCommands}); the API never carries argv.
 */
public record ToolServer(String id, String displayName, String url, String stdio, Trust trust,
                         Destination destination, List<Tool> tools, Instant createdAt, Instant updatedAt, long version) {}
