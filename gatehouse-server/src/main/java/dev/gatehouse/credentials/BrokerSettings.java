package dev.gatehouse.credentials;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.GatehouseConfig;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What the token service needs from configuration.
 *
 * @param issuer      {@code iss} of every token (resolved lazily: the default names the bound port)
 * @param audience    {@code aud} of every access token
 * @param trustDomain SPIFFE trust domain of token subjects
 */
public record BrokerSettings(Supplier<String> issuer, String audience, String trustDomain, Duration defaultTtl,
                             Duration maxTtl, int maxDelegationDepth) {
    private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]{1,255}");

    public static BrokerSettings from(GatehouseConfig.Credentials c, Supplier<String> issuer) {
        if (c.trustDomain() == null || !TRUST_DOMAIN.matcher(c.trustDomain()).matches()) {
            throw new ConfigException("credentials.trustDomain must be a SPIFFE trust domain (lowercase a-z, 0-9, '.', '-', '_')");
        }
        if (c.audience() == null || c.audience().isBlank()) throw new ConfigException("credentials.audience is required");
        if (c.maxTtlSeconds() < 60 || c.maxTtlSeconds() > 86_400) {
            throw new ConfigException("credentials.maxTtlSeconds must be between 60 and 86400");
        }
        if (c.defaultTtlSeconds() < 60 || c.defaultTtlSeconds() > c.maxTtlSeconds()) {
            throw new ConfigException("credentials.defaultTtlSeconds must be between 60 and credentials.maxTtlSeconds");
        }
        if (c.maxDelegationDepth() < 0 || c.maxDelegationDepth() > 10) {
            throw new ConfigException("credentials.maxDelegationDepth must be between 0 and 10");
        }
        if (c.secretOverlapSeconds() < 0 || c.secretOverlapSeconds() > 7 * 86_400) {
            throw new ConfigException("credentials.secretOverlapSeconds must be between 0 and 604800");
        }
        return new BrokerSettings(issuer, c.audience(), c.trustDomain(), Duration.ofSeconds(c.defaultTtlSeconds()),
                Duration.ofSeconds(c.maxTtlSeconds()), c.maxDelegationDepth());
    }

    /** {@code spiffe://<trust-domain>/<kind>/<id>}: the {@code sub} of the identity's tokens. */
    public String spiffeId(String kind, String identityId) {
        return "spiffe://" + trustDomain + "/" + kind + "/" + identityId;
    }
}
