package dev.gatehouse.registry;

import dev.gatehouse.registry.Vocabulary.Autonomy;
import java.util.List;

/**
 * A partial change ({@code PATCH /v1/identities/{id}}): null fields stay as they are. {@code version},
 * when given, must equal the stored version (optimistic concurrency); kind, owner and status
 * change only through their own operations.
 */
public record IdentityUpdate(
        String displayName,
        String purpose,
        String environment,
        List<String> tags,
        List<String> groups,
        Scope scope,
        Autonomy autonomy,
        String model,
        String email,
        String department,
        Long version) {}
