package dev.gatehouse.credentials;

import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.RegistryListener;
import java.util.Map;

/**
 * Taking authority away from an identity as a whole: on lifecycle changes (as a registry
 * listener, inside the registry's transaction, so a suspension and the revocation it implies
 * commit together) and on an admin's request without a lifecycle change.
 */
public final class Revocations {
    private final TaskBroker tasks;
    private final DefaultCredentialService credentials;

    public Revocations(TaskBroker tasks, DefaultCredentialService credentials) {
        this.tasks = tasks;
        this.credentials = credentials;
    }

    /**
     * Suspend/retire of a workload or agent: its tasks and every token whose chain contains it;
     * retire also every client credential. Suspend/retire of a human: the same for everything
     * held by the workloads and agents they own (offboarding); retiring the human also revokes their
     * client credentials. Reassigning a workload or agent revokes its client credentials: the new
     * owner issues new ones (tokens minted with the old ones end with them).
     */
    public RegistryListener listener() {
        return change -> {
            tasks.onRegistryChange(change);
            Identity identity = change.identity();
            if (identity == null) return;
            if (change.action().equals("identity.retire") && identity.kind().isNonHuman()) {
                credentials.revokeAll(identity, change.actor());
            } else if (change.action().equals("identity.reassign")) {
                // No secret outlives the person who held it: the new owner issues fresh credentials.
                credentials.revokeAll(identity, change.actor(), "owner changed to " + identity.owner()
                        + ": credentials are re-issued by the new owner");
            } else if (change.action().equals("identity.retire") && !identity.kind().isNonHuman()) {
                // Offboarding: the secrets and keys of everything the person owned end with them.
                for (String owned : tasks.ownedBy(identity.id())) {
                    credentials.revokeAll(registry(owned), change.actor(), "owner " + identity.id() + " retired");
                }
            }
        };
    }

    private Identity registry(String id) { return tasks.identity(id); }

    /** Tasks, tokens and credentials of the identity (a human: of everything they own); returns the counts. */
    public Map<String, Integer> revokeAll(String identityId, String reason, String actor) {
        return tasks.revokeAll(identityId, reason, actor, credentials);
    }
}
