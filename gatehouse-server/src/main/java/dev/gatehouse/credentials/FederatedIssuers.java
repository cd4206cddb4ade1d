package dev.gatehouse.credentials;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.GatehouseConfig.FederatedIssuer;
import java.io.IOException;
import java.net.URI;
import dev.gatehouse.outbound.OutboundHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The external issuers whose JWTs authenticate workloads (Kubernetes service-account tokens,
 * CI OIDC tokens), each with its keys fetched from a JWKS URL or file. Keys are cached for
 * {@link #CACHE_FOR}; a token naming an unknown key triggers a refetch at most every
 * {@link #REFETCH_MIN}, so an attacker cannot make us hammer the issuer.
 */
public final class FederatedIssuers {
    private static final Duration CACHE_FOR = Duration.ofMinutes(5);
    private static final Duration REFETCH_MIN = Duration.ofSeconds(30);
    private static final int JWKS_MAX_BYTES = 256 * 1024;

    private record Cached(JWKSet keys, Instant fetchedAt) {}

    private final Map<String, FederatedIssuer> byIssuer = new LinkedHashMap<>();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Clock clock;
    private final OutboundHttp http;

    /** @param http how JWKS are fetched: destinations the operator did not allow are refused at connect time */
    public FederatedIssuers(List<FederatedIssuer> configured, Clock clock, OutboundHttp http) {
        this.clock = clock;
        this.http = http;
        for (int i = 0; i < configured.size(); i++) {
            FederatedIssuer f = configured.get(i);
            String at = "credentials.federation[" + i + "]";
            if (f.issuer() == null || f.issuer().isBlank()) throw new ConfigException(at + ".issuer is required");
            if (f.audience() == null || f.audience().isBlank()) throw new ConfigException(at + ".audience is required");
            if (f.jwksUri() == null || !(f.jwksUri().startsWith("https://") || f.jwksUri().startsWith("http://")
                    || f.jwksUri().startsWith("file:"))) {
                throw new ConfigException(at + ".jwksUri must be an https://, http:// or file: URI");
            }
            if (byIssuer.put(f.issuer(), f) != null) throw new ConfigException(at + ".issuer is configured twice");
        }
    }

    public Optional<FederatedIssuer> find(String issuer) { return Optional.ofNullable(issuer == null ? null : byIssuer.get(issuer)); }

    public java.util.Set<String> issuers() { return byIssuer.keySet(); }

    /** The issuer's key named {@code kid} (or its only key when the token names none). */
    Optional<JWK> key(FederatedIssuer issuer, String kid) {
        Instant now = clock.instant();
        Cached c = cache.get(issuer.issuer());
        if (c == null || c.fetchedAt().plus(CACHE_FOR).isBefore(now)) {
            c = fetch(issuer, c, now);
        }
        Optional<JWK> key = select(c.keys(), kid);
        if (key.isEmpty() && c.fetchedAt().plus(REFETCH_MIN).isBefore(now)) {
            key = select(fetch(issuer, c, now).keys(), kid); // the issuer may have rotated
        }
        return key;
    }

    private Cached fetch(FederatedIssuer issuer, Cached previous, Instant now) {
        try {
            JWKSet set = issuer.jwksUri().startsWith("file:")
                    ? JWKSet.load(Path.of(URI.create(issuer.jwksUri())).toFile())
                    : fetchJwks(URI.create(issuer.jwksUri()));
            Cached fresh = new Cached(set, now);
            cache.put(issuer.issuer(), fresh);
            return fresh;
        } catch (IOException | ParseException | RuntimeException e) {
            // Keep the last good keys for a while rather than fail every workload on one bad fetch.
            // Either way remember the attempt, so failures are retried at the refetch pace, not per request.
            Cached kept = new Cached(previous != null ? previous.keys() : new JWKSet(), now);
            cache.put(issuer.issuer(), kept);
            return kept;
        }
    }

    /** Over the guarded client, redirects followed (each hop checked), at most {@link #JWKS_MAX_BYTES}. */
    private JWKSet fetchJwks(URI uri) throws IOException, ParseException {
        try (OutboundHttp.Reply reply = http.send(OutboundHttp.Call.get(uri, Duration.ofSeconds(5)).followingRedirects())) {
            if (reply.status() != 200) throw new IOException("JWKS answered HTTP " + reply.status());
            byte[] body = reply.body().readNBytes(JWKS_MAX_BYTES + 1);
            if (body.length > JWKS_MAX_BYTES) throw new IOException("JWKS larger than " + JWKS_MAX_BYTES + " bytes");
            return JWKSet.parse(new String(body, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static Optional<JWK> select(JWKSet set, String kid) {
        if (kid != null) return Optional.ofNullable(set.getKeyByKeyId(kid)).filter(k -> !k.isPrivate());
        return set.getKeys().size() == 1 ? Optional.of(set.getKeys().get(0)).filter(k -> !k.isPrivate()) : Optional.empty();
    }
}
