package dev.gatehouse.credentials;

import dev.gatehouse.registry.RegistryListener;

/** Wiring helpers of the credentials feature. */
public final class Credentials {
    private Credentials() {}

    /**
     * Revokes on lifecycle changes, inside the registry's transaction (so a suspension and the
     * revocation it implies commit together): tasks and tokens on suspend/retire, also every
     * client credential on retire, and everything a human's workloads and agents hold when the
     * human is suspended or retired.
     */
    public static RegistryListener revocationListener(TaskBroker tasks, DefaultCredentialService credentials) {
        return change -> {
            tasks.onRegistryChange(change);
            if (change.action().equals("identity.retire") && change.identity() != null && change.identity().kind().isNonHuman()) {
                credentials.revokeAll(change.identity(), change.actor());
            }
        };
    }
}
