package dev.gatehouse.registry;

import dev.gatehouse.registry.Vocabulary.IdentityKind;
import dev.gatehouse.registry.Vocabulary.IdentityStatus;

/** List filters; results are ordered by id and paged by the opaque {@code after} cursor. */
public record IdentityQuery(IdentityKind kind, String owner, IdentityStatus status, String tag, String group,
                            String environment, String after, int limit) {
    public static IdentityQuery all() { return new IdentityQuery(null, null, null, null, null, null, null, 1000); }
}
