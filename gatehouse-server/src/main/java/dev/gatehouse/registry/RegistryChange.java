package dev.gatehouse.registry;

/**
 * A change to the inventory, delivered to {@link RegistryListener}s inside the transaction that
 * makes it, so that dependent state (revocation of credentials, decision caches) changes with it.
 * {@code identity} is the identity after the change, or null when the change is not about one.
 */
public record RegistryChange(String action, String subjectType, String subjectId, Identity identity, String reason, String actor) {}
