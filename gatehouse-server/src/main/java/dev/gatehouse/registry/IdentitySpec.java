package dev.gatehouse.registry;

import dev.gatehouse.registry.Vocabulary.Autonomy;
import dev.gatehouse.registry.Vocabulary.IdentityKind;
import java.util.List;

/** What a caller declares to register an identity ({@code POST /v1/identities}, inventory files). */
public record IdentitySpec(
        String id,
        IdentityKind kind,
        String displayName,
        String owner,
        String purpose,
        String environment,
        List<String> tags,
        List<String> groups,
        Scope scope,
        Autonomy autonomy,
        String model,
        String email,
        String department) {}
