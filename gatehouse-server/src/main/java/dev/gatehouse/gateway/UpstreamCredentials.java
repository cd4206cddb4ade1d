package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.core.Json;
import dev.gatehouse.core.Problem;
import dev.gatehouse.credentials.KeyEncryption;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import java.net.URI;
import java.net.URLEncoder;
import dev.gatehouse.outbound.OutboundHttp;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Upstream credentials of tool servers: stored sealed under the key-encryption key, injected by
 * the gateway on every forwarded request, never returned by any API, log or audit record.
 */
public final class UpstreamCredentials {
    /** What an admin sets. {@code type}: {@code header} (headerName + secret) or {@code oauth_client_credentials} (tokenUrl, clientId, secret, scope?). */
    public record Spec(String type, String headerName, String secret, String tokenUrl, String clientId, String scope) {
        @Override
        public String toString() { return "Spec[type=" + type + ", headerName=" + headerName + ", tokenUrl=" + tokenUrl + ", clientId=" + clientId + "]"; }
    }

    /** What anyone may see: everything but the secret. */
    public record Description(String server, String type, String headerName, String tokenUrl, String clientId, String scope,
                              long version, Instant updatedAt, String updatedBy) {}

    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}");
    /** Headers the transport owns; an injected credential may not replace them. */
    private static final Set<String> RESERVED = Set.of("host", "content-length", "content-type", "accept", "connection", "expect",
            "upgrade", "mcp-session-id", "mcp-protocol-version", "transfer-encoding");

    private record CachedToken(long version, String token, Instant expires) {}

    private final Transactions tx;
    private final KeyEncryption kek;
    private final RegistryService registry;
    private final AuditLog audit;
    private final Clock clock;
    private final OutboundHttp http;
    private final Map<String, CachedToken> tokens = new ConcurrentHashMap<>();

    public UpstreamCredentials(Transactions tx, KeyEncryption kek, RegistryService registry, AuditLog audit, Clock clock, OutboundHttp http) {
        this.http = http;
        this.tx = tx;
        this.kek = kek;
        this.registry = registry;
        this.audit = audit;
        this.clock = clock;
    }

    public Description set(String serverId, Spec spec, String actor) {
        registry.getToolServer(serverId);
        if (spec == null || spec.type() == null) throw new Problem.Invalid("type", "type is required (header or oauth_client_credentials)");
        if (spec.secret() == null || spec.secret().isEmpty() || spec.secret().length() > 4096 || spec.secret().matches("(?s).*[\\r\\n].*")) {
            throw new Problem.Invalid("secret", "secret must be 1-4096 characters without line breaks");
        }
        String header = null;
        String tokenUrl = null;
        String clientId = null;
        String scope = null;
        switch (spec.type()) {
            case "header" -> {
                header = spec.headerName();
                if (header == null || !HEADER.matcher(header).matches() || RESERVED.contains(header.toLowerCase(Locale.ROOT))) {
                    throw new Problem.Invalid("headerName", "headerName must be an HTTP header name the transport does not own");
                }
            }
            case "oauth_client_credentials" -> {
                tokenUrl = spec.tokenUrl();
                try {
                    URI u = URI.create(tokenUrl == null ? "" : tokenUrl);
                    if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null) throw new IllegalArgumentException();
                } catch (IllegalArgumentException e) {
                    throw new Problem.Invalid("tokenUrl", "tokenUrl must be an absolute http(s) URL");
                }
                http.destinations().refusal(URI.create(tokenUrl)).ifPresent(reason -> {
                    throw new Problem.Invalid("destination_not_allowed", "tokenUrl", "tokenUrl is not an allowed destination: " + reason);
                });
                clientId = spec.clientId();
                if (clientId == null || clientId.isBlank() || clientId.length() > 500) throw new Problem.Invalid("clientId", "clientId is required");
                scope = spec.scope();
            }
            default -> throw new Problem.Invalid("type", "type must be header or oauth_client_credentials");
        }
        String h = header, t = tokenUrl, c = clientId, s = scope;
        Instant now = clock.instant();
        return tx.inTransaction(() -> {
            long version = Sql.one(tx.connection(), "SELECT version FROM gateway_upstream_credentials WHERE server_id = ? FOR UPDATE",
                    r -> r.longOr("version", 0), serverId).orElse(0L) + 1;
            String sealed = kek.encrypt(spec.secret().getBytes(StandardCharsets.UTF_8), context(serverId));
            Sql.update(tx.connection(), "DELETE FROM gateway_upstream_credentials WHERE server_id = ?", serverId);
            Sql.update(tx.connection(), "INSERT INTO gateway_upstream_credentials (server_id, type, header_name, token_url, client_id, scope, "
                    + "secret_sealed, version, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    serverId, spec.type(), h, t, c, s, sealed, version, now, actor);
            audit.record(AuditEvent.of("toolserver.upstream_credential.set", AuditEvent.Category.PRIVILEGED, "success", actor)
                    .withAction("upstream_credential.set", serverId).withDetail(Map.of("type", spec.type(), "version", version)));
            return describe(serverId).orElseThrow();
        });
    }

    public Optional<Description> describe(String serverId) {
        return tx.inTransaction(() -> Sql.one(tx.connection(), "SELECT server_id, type, header_name, token_url, client_id, scope, version, "
                + "updated_at, updated_by FROM gateway_upstream_credentials WHERE server_id = ?", r -> new Description(r.string("server_id"),
                r.string("type"), r.string("header_name"), r.string("token_url"), r.string("client_id"), r.string("scope"),
                r.longOr("version", 0), r.instant("updated_at"), r.string("updated_by")), serverId));
    }

    public void remove(String serverId, String actor) {
        tx.run(() -> {
            if (Sql.update(tx.connection(), "DELETE FROM gateway_upstream_credentials WHERE server_id = ?", serverId) == 0) {
                throw new Problem.NotFound("tool server '" + serverId + "' has no upstream credential");
            }
            audit.record(AuditEvent.of("toolserver.upstream_credential.removed", AuditEvent.Category.PRIVILEGED, "success", actor)
                    .withAction("upstream_credential.remove", serverId));
        });
        tokens.remove(serverId);
    }

    private record Stored(String type, String header, String tokenUrl, String clientId, String scope, String sealed, long version) {}

    /** The headers to inject for {@code serverId}, read on every request so a rotation applies at once; empty when none. */
    public Map<String, String> headers(String serverId) {
        Optional<Stored> row = tx.inTransaction(() -> Sql.one(tx.connection(), "SELECT type, header_name, token_url, client_id, scope, "
                + "secret_sealed, version FROM gateway_upstream_credentials WHERE server_id = ?", r -> new Stored(r.string("type"),
                r.string("header_name"), r.string("token_url"), r.string("client_id"), r.string("scope"), r.string("secret_sealed"),
                r.longOr("version", 0)), serverId));
        if (row.isEmpty()) return Map.of();
        Stored s = row.get();
        String secret = new String(kek.decrypt(s.sealed(), context(serverId)), StandardCharsets.UTF_8);
        if (s.type().equals("header")) return Map.of(s.header(), secret);
        return Map.of("Authorization", "Bearer " + oauthToken(serverId, s, secret));
    }

    /** RFC 6749 §4.4 client credentials against the upstream's authorization server, cached until shortly before expiry. */
    private String oauthToken(String serverId, Stored s, String secret) {
        CachedToken cached = tokens.get(serverId);
        Instant now = clock.instant();
        if (cached != null && cached.version() == s.version() && cached.expires().isAfter(now)) return cached.token();
        String form = "grant_type=client_credentials" + (s.scope() == null || s.scope().isBlank() ? ""
                : "&scope=" + URLEncoder.encode(s.scope(), StandardCharsets.UTF_8));
        String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(s.clientId(), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        try {
            int status;
            JsonNode body;
            try (OutboundHttp.Reply r = http.send(OutboundHttp.Call.post(URI.create(s.tokenUrl()),
                    Map.of("Accept", "application/json", "Authorization", "Basic " + basic), "application/x-www-form-urlencoded",
                    form.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10)))) {
                status = r.status();
                body = status == 200 ? Json.MAPPER.readTree(r.body().readNBytes(1 << 20)) : null;
            }
            if (body == null || !body.path("access_token").isTextual()) {
                throw new IllegalStateException("the upstream authorization server refused the gateway's client credentials (HTTP "
                        + status + ")");
            }
            long ttl = Math.max(0, body.path("expires_in").asLong(300) - 30);
            tokens.put(serverId, new CachedToken(s.version(), body.get("access_token").asText(), now.plusSeconds(ttl)));
            return body.get("access_token").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the upstream authorization server is not reachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private static String context(String serverId) { return "upstream-credential:" + serverId; }
}
