package dev.gatehouse.registry;

import java.time.Instant;
import java.util.List;

/** A named set of identities; groups nest through {@code parents} (no cycles). */
public record Group(String id, String displayName, List<String> parents, List<String> members,
                    Instant createdAt, Instant updatedAt, long version) {}
