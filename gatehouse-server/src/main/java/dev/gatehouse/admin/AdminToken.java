package dev.gatehouse.admin;

import dev.gatehouse.http.Caller.Role;
import java.time.Instant;

/** An admin API token as listed: never its value, which exists only in the creation response. */
public record AdminToken(String id, String name, Role role, Instant createdAt, String createdBy, Instant lastUsed,
                         Instant revokedAt, String revokedBy) {}
