package dev.gatehouse.posture.discovery;

import dev.gatehouse.registry.Scope;
import dev.gatehouse.registry.Vocabulary.Autonomy;
import dev.gatehouse.registry.Vocabulary.IdentityKind;

/**
 * What an owner declares to take a discovered identity into the inventory. {@code id} defaults to a slug
 * of the discovered name, {@code kind} to {@code workload}, {@code displayName} to the discovered name.
 */
public record Adoption(String id, String displayName, IdentityKind kind, String owner, String purpose, String environment, Scope scope,
                       Autonomy autonomy) {}
