package dev.gatehouse.policy;

import java.time.Instant;
import java.util.List;

/**
 * A live request on which the shadow candidate would have decided differently. The request is
 * kept as a digest (SHA-256 of its canonical form) plus its principal, action and resource.
 */
public record ShadowDisagreement(long seq, Instant at, long activeVersion, long shadowVersion, String requestDigest,
                                 String principal, String action, String resource, String activeDecision,
                                 String shadowDecision, List<String> activePolicies, List<String> shadowPolicies) {}
