package dev.gatehouse.policy;

import java.time.Instant;

/** One immutable policy version: who pushed it, why, when, and the SHA-256 of its files. */
public record PolicyVersion(long version, String author, String message, Instant createdAt, String contentHash,
                            int policyCount, boolean active, boolean shadow) {}
