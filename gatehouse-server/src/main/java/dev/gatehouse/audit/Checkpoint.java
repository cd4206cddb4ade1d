package dev.gatehouse.audit;

import java.time.Instant;

/**
 * A signed statement "the chain had {@code hash} at {@code seq} at {@code time}": {@code jws} is a
 * compact ES256 JWS whose payload is {@code {"seq","hash","time"}}; the other fields repeat it.
 * Whoever keeps a checkpoint can later prove that records up to {@code seq} were not changed,
 * dropped or truncated.
 */
public record Checkpoint(long seq, String hash, Instant time, String kid, String jws) {}
