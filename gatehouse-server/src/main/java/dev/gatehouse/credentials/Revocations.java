package dev.gatehouse.credentials;

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
     * held by the workloads and agents they own (offboarding).
     */
    public RegistryListener listener() {
        return change -> {
            tasks.onRegistryChange(change);
            if (change.action().equals("identity.retire") && change.identity() != null && change.identity().kind().isNonHuman()) {
                credentials.revokeAll(change.identity(), change.actor());
            }
        };
    }

    /** Tasks, tokens and credentials of the identity (a human: of everything they own); returns the counts. */
    public Map<String, Integer> revokeAll(String identityId, String reason, String actor) {
        return tasks.revokeAll(identityId, reason, actor, credentials);
    }
}
