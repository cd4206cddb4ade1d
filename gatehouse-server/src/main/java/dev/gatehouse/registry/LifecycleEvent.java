package dev.gatehouse.registry;

import java.time.Instant;

/** One entry of an identity's history: what happened, why, by whom and when. */
public record LifecycleEvent(long seq, String identity, String action, String reason, String actor, Instant at, String detail) {}
