package dev.gatehouse.registry;

import dev.gatehouse.registry.Vocabulary.Destination;
import dev.gatehouse.registry.Vocabulary.Trust;
import java.time.Instant;
import java.util.List;

/** An upstream MCP server reached over HTTP ({@code url}) or launched as a stdio process ({@code command}, argv). */
public record ToolServer(String id, String displayName, String url, List<String> command, Trust trust,
                         Destination destination, List<Tool> tools, Instant createdAt, Instant updatedAt, long version) {}
