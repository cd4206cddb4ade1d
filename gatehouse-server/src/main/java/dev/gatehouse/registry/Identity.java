package dev.gatehouse.registry;

import dev.gatehouse.registry.Vocabulary.Autonomy;
import dev.gatehouse.registry.Vocabulary.IdentityKind;
import dev.gatehouse.registry.Vocabulary.IdentityStatus;
import java.time.Instant;
import java.util.List;

/**
 * One actor of the inventory. Workloads and agents carry an owner (an active human when set),
 * a purpose and a declared scope; humans carry an email. {@code orphaned} is true for a
 * non-human whose owner has been retired, until it is reassigned.
 */
public record Identity(
        String id,
        IdentityKind kind,
        String displayName,
        IdentityStatus status,
        String environment,
        List<String> tags,
        List<String> groups,
        String owner,
        String purpose,
        Scope scope,
        Autonomy autonomy,
        String model,
        String email,
        String department,
        boolean orphaned,
        Instant createdAt,
        Instant updatedAt,
        Instant lastSeen,
        long version) {

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isActive() { return status == IdentityStatus.ACTIVE; }

    /** The same identity, last seen at {@code at}. */
    public Identity withLastSeen(Instant at) {
        return new Identity(id, kind, displayName, status, environment, tags, groups, owner, purpose, scope, autonomy, model, email,
                department, orphaned, createdAt, updatedAt, at, version);
    }

    /**
     * The human this identity acts for: an assistive agent works for its owner, who is then party to
     * what it does (and so cannot approve it: four-eyes). Autonomous agents and workloads act for no
     * one; their owner stays accountable and may approve. Null when there is no such human.
     */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public String actsOnBehalfOf() {
        return kind == IdentityKind.AGENT && autonomy == Vocabulary.Autonomy.ASSISTIVE ? owner : null;
    }
}
