package dev.gatehouse.posture;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.credentials.ClientCredential;
import dev.gatehouse.credentials.CredentialType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The lifecycle settings posture judges identities and credentials by ({@code lifecycle.*}).
 *
 * @param maxAge per credential type, the longest a credential may go unrotated (zero: no maximum)
 */
public record LifecyclePolicy(Duration dormantAfter, boolean suspendDormant, Duration maxClientSecretAge, Duration maxPrivateKeyAge,
                              Duration maxFederatedAge, Duration maxUpstreamAge, Duration warnBefore, boolean enforceMaxAge, int usageDays) {

    public static LifecyclePolicy from(GatehouseConfig.Lifecycle c) {
        if (c.dormantAfterDays() < 0) throw new IllegalArgumentException("lifecycle.dormantAfterDays must not be negative");
        if (c.credentialWarnDays() < 0) throw new IllegalArgumentException("lifecycle.credentialWarnDays must not be negative");
        if (c.usageDays() < 1 || c.usageDays() > 365) throw new IllegalArgumentException("lifecycle.usageDays must be between 1 and 365");
        if (c.sweepSeconds() < 1) throw new IllegalArgumentException("lifecycle.sweepSeconds must be at least 1");
        GatehouseConfig.CredentialMaxAge m = c.credentialMaxAgeDays();
        if (m.clientSecret() < 0 || m.privateKeyJwt() < 0 || m.federated() < 0 || m.upstream() < 0) {
            throw new IllegalArgumentException("lifecycle.credentialMaxAgeDays values must not be negative");
        }
        return new LifecyclePolicy(Duration.ofDays(c.dormantAfterDays()), c.suspendDormant(), Duration.ofDays(m.clientSecret()),
                Duration.ofDays(m.privateKeyJwt()), Duration.ofDays(m.federated()), Duration.ofDays(m.upstream()),
                Duration.ofDays(c.credentialWarnDays()), c.enforceMaxAge(), c.usageDays());
    }

    public Duration maxAge(CredentialType type) {
        return switch (type) {
            case CLIENT_SECRET -> maxClientSecretAge;
            case PRIVATE_KEY_JWT -> maxPrivateKeyAge;
            case FEDERATED -> maxFederatedAge;
        };
    }

    /** Since when the credential's secret or key is unchanged: its last rotation, else its creation. */
    public static Instant since(ClientCredential c) { return c.rotatedAt() == null ? c.createdAt() : c.rotatedAt(); }

    /** When the credential reaches its maximum age, if its type has one. */
    public Optional<Instant> maxAgeReached(ClientCredential c) {
        Duration max = maxAge(c.type());
        return max.isZero() ? Optional.empty() : Optional.of(since(c).plus(max));
    }

    /** The earlier of its expiry and its maximum age: when it should have been replaced by. */
    public Optional<Instant> deadline(ClientCredential c) {
        Optional<Instant> age = maxAgeReached(c);
        if (c.expiresAt() == null) return age;
        return Optional.of(age.filter(a -> a.isBefore(c.expiresAt())).orElse(c.expiresAt()));
    }
}
