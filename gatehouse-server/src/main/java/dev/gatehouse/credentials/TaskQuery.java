package dev.gatehouse.credentials;

/** Filters of a task listing; null means any. {@code limit} 1..1000 (default 100). */
public record TaskQuery(String identity, String status, int limit) {}
