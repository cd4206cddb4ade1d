package dev.gatehouse.posture.discovery;

import java.time.Instant;
import java.util.Map;

/**
 * A non-human identity found outside the inventory: in a cloud or SaaS export, or presenting a verified
 * federated token no identity is bound to. It has no owner, purpose or scope and is granted nothing;
 * {@code adopt} makes it an inventory identity.
 *
 * @param kind       always {@code workload}: what it would be adopted as by default
 * @param status     {@code unmanaged} or {@code adopted}
 * @param source     {@code aws-iam-credential-report}, {@code kubernetes-serviceaccounts}, {@code github-app-installations},
 *                   {@code federated}
 * @param externalId its name where it lives: an ARN, {@code system:serviceaccount:<ns>:<name>}, a GitHub installation,
 *                   {@code <issuer>#<subject>}
 * @param facts      what the source says about it, as found: key ages, last use, namespaces, permissions …
 */
public record DiscoveredIdentity(String id, String kind, String status, String source, String externalId, String name,
                                 Map<String, Object> facts, Instant firstSeen, Instant lastSeen, long seenCount,
                                 String adoptedAs, Instant adoptedAt, String adoptedBy) {}
