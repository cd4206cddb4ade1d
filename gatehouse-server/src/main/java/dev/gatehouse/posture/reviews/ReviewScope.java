package dev.gatehouse.posture.reviews;

import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.Vocabulary.IdentityKind;
import java.util.List;

/** Which identities a review covers: each list narrows it, an empty or absent list does not. */
public record ReviewScope(List<IdentityKind> kinds, List<String> owners, List<String> environments) {
    public ReviewScope {
        kinds = kinds == null ? List.of() : List.copyOf(kinds);
        owners = owners == null ? List.of() : List.copyOf(owners);
        environments = environments == null ? List.of() : List.copyOf(environments);
    }

    boolean covers(Identity i) {
        return i.kind().isNonHuman() && (kinds.isEmpty() || kinds.contains(i.kind()))
                && (owners.isEmpty() || owners.contains(i.owner()))
                && (environments.isEmpty() || environments.contains(i.environment()));
    }
}
