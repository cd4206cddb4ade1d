package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.core.Json;
import dev.gatehouse.core.Problem;
import dev.gatehouse.credentials.KeyEncryption;
import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.registry.Vocabulary.IdentityKind;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Static upstream credentials of tool servers ({@code upstreamAuth: static}): stored sealed under the key-encryption
 * key, injected by the gateway on every forwarded request, never returned by any API, log or audit record. A
 * credential belongs to the whole server, or is bound to one identity or to an owner (the human an assistive agent
 * acts for), so the upstream can tell callers apart where nothing better than a static secret exists. The one that
 * matches the caller is injected — identity, then owner, then server-wide; a server that has credentials but none
 * for this caller is refused rather than reached as someone else.
 */
public final class UpstreamCredentials {
    /**
     * What an admin sets. {@code type}: {@code header} (headerName + secret) or {@code oauth_client_credentials}
     * (tokenUrl, clientId, secret, scope?); {@code identity} or {@code owner} (at most one) binds it to a caller.
     */
    public record Spec(String type, String headerName, String secret, String tokenUrl, String clientId, String scope,
                       String identity, String owner) {
        public Spec(String type, String headerName, String secret, String tokenUrl, String clientId, String scope) {
            this(type, headerName, secret, tokenUrl, clientId, scope, null, null);
        }

        @Override
        public String toString() {
            return "Spec[type=" + type + ", headerName=" + headerName + ", tokenUrl=" + tokenUrl + ", clientId=" + clientId
                    + ", identity=" + identity + ", owner=" + owner + "]";
        }
    }

    /** Whom a credential serves: the whole server, one workload or agent, or the agents acting for one human. */
    public record Binding(Kind kind, String id) {
        public enum Kind {
            SERVER, IDENTITY, OWNER;

            String wire() { return name().toLowerCase(Locale.ROOT); }
        }

        public static final Binding SERVER = new Binding(Kind.SERVER, "");

        /** From the {@code identity} / {@code owner} of a request (at most one); the server when neither. */
        public static Binding of(String identity, String owner) {
            if (identity != null && owner != null) throw new Problem.Invalid("identity", "set identity or owner, not both");
            if (identity != null) return new Binding(Kind.IDENTITY, identity);
            if (owner != null) return new Binding(Kind.OWNER, owner);
            return SERVER;
        }

        String identity() { return kind == Kind.IDENTITY ? id : null; }

        String owner() { return kind == Kind.OWNER ? id : null; }

        /** What audit records and errors call it (no secret in it). */
        String label() { return kind == Kind.SERVER ? "server" : kind.wire() + ":" + id; }
    }

    /** What anyone may see: everything but the secret. {@code identity} / {@code owner}: whom it is bound to, or null for the server. */
    public record Description(String server, String identity, String owner, String type, String headerName, String tokenUrl, String clientId,
                              String scope, long version, Instant updatedAt, String updatedBy) {}

    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}");
    /** Headers the transport owns; an injected credential may not replace them. */
    private static final Set<String> RESERVED = Set.of("host", "content-length", "content-type", "accept", "connection", "expect",
            "upgrade", "mcp-session-id", "mcp-protocol-version", "transfer-encoding");

    private record CachedToken(long version, String token, Instant expires) {}

    private static final String COLUMNS = "server_id, bound_kind, bound_id, type, header_name, token_url, client_id, scope, version, "
            + "updated_at, updated_by";

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
        Binding binding = binding(spec.identity(), spec.owner());
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
            long version = Sql.one(tx.connection(), "SELECT version FROM gateway_upstream_secrets WHERE server_id = ? AND bound_kind = ? "
                    + "AND bound_id = ? FOR UPDATE", r -> r.longOr("version", 0), serverId, binding.kind().wire(), binding.id()).orElse(0L) + 1;
            String sealed = kek.encrypt(spec.secret().getBytes(StandardCharsets.UTF_8), context(serverId, binding));
            Sql.update(tx.connection(), "DELETE FROM gateway_upstream_secrets WHERE server_id = ? AND bound_kind = ? AND bound_id = ?",
                    serverId, binding.kind().wire(), binding.id());
            Sql.update(tx.connection(), "INSERT INTO gateway_upstream_secrets (server_id, bound_kind, bound_id, type, header_name, token_url, "
                    + "client_id, scope, secret_sealed, version, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    serverId, binding.kind().wire(), binding.id(), spec.type(), h, t, c, s, sealed, version, now, actor);
            audit.record(AuditEvent.of("toolserver.upstream_credential.set", AuditEvent.Category.PRIVILEGED, "success", actor)
                    .withAction("upstream_credential.set", serverId)
                    .withDetail(Map.of("type", spec.type(), "version", version, "boundTo", binding.label())));
            return describe(serverId, binding).orElseThrow();
        });
    }

    /** The binding an admin names, checked: an identity must be a workload or agent, an owner a human. */
    private Binding binding(String identity, String owner) {
        Binding b = Binding.of(identity, owner);
        if (b.kind() == Binding.Kind.SERVER) return b;
        String field = b.kind().wire();
        Identity found = registry.find(b.id()).orElseThrow(() -> new Problem.Invalid(field, field + " '" + b.id() + "' is not registered"));
        boolean human = found.kind() == IdentityKind.HUMAN;
        if (b.kind() == Binding.Kind.IDENTITY && human) {
            throw new Problem.Invalid(field, "identity must be a workload or agent; bind a human's credential with owner");
        }
        if (b.kind() == Binding.Kind.OWNER && !human) throw new Problem.Invalid(field, "owner must be a human");
        return b;
    }

    /** The server-wide credential of {@code serverId}, if any. */
    public Optional<Description> describe(String serverId) { return describe(serverId, Binding.SERVER); }

    public Optional<Description> describe(String serverId, Binding binding) {
        return tx.inTransaction(() -> Sql.one(tx.connection(), "SELECT " + COLUMNS + " FROM gateway_upstream_secrets WHERE server_id = ? "
                + "AND bound_kind = ? AND bound_id = ?", UpstreamCredentials::description, serverId, binding.kind().wire(), binding.id()));
    }

    /** Every credential of {@code serverId}: server-wide first, then bound ones by identity and owner. */
    public List<Description> list(String serverId) {
        registry.getToolServer(serverId);
        return tx.inTransaction(() -> Sql.query(tx.connection(), "SELECT " + COLUMNS + " FROM gateway_upstream_secrets WHERE server_id = ? "
                + "ORDER BY CASE bound_kind WHEN 'server' THEN 0 WHEN 'identity' THEN 1 ELSE 2 END, bound_id", UpstreamCredentials::description, serverId));
    }

    /** Every credential of every server (posture), never a secret. */
    public List<Description> listAll() {
        return tx.inTransaction(() -> Sql.query(tx.connection(), "SELECT " + COLUMNS + " FROM gateway_upstream_secrets ORDER BY server_id, "
                + "bound_kind, bound_id", UpstreamCredentials::description));
    }

    private static Description description(Sql.Row r) throws java.sql.SQLException {
        String kind = r.string("bound_kind");
        return new Description(r.string("server_id"), kind.equals("identity") ? r.string("bound_id") : null,
                kind.equals("owner") ? r.string("bound_id") : null, r.string("type"), r.string("header_name"), r.string("token_url"),
                r.string("client_id"), r.string("scope"), r.longOr("version", 0), r.instant("updated_at"), r.string("updated_by"));
    }

    public void remove(String serverId, Binding binding, String actor) {
        tx.run(() -> {
            if (Sql.update(tx.connection(), "DELETE FROM gateway_upstream_secrets WHERE server_id = ? AND bound_kind = ? AND bound_id = ?",
                    serverId, binding.kind().wire(), binding.id()) == 0) {
                throw new Problem.NotFound("tool server '" + serverId + "' has no upstream credential for " + binding.label());
            }
            audit.record(AuditEvent.of("toolserver.upstream_credential.removed", AuditEvent.Category.PRIVILEGED, "success", actor)
                    .withAction("upstream_credential.remove", serverId).withDetail(Map.of("boundTo", binding.label())));
        });
        tokens.remove(cacheKey(serverId, binding));
    }

    private record Stored(Binding binding, String type, String header, String tokenUrl, String clientId, String scope, String sealed,
                          long version) {}

    /**
     * The headers that authenticate {@code caller} to {@code serverId}, read on every request so a rotation applies at
     * once: the credential bound to the task's identity, else to the human it acts for, else the server's. Empty when
     * the server has no credential at all; refused ({@code no_upstream_credential}) when it has some, none for this caller.
     */
    Map<String, String> headers(String serverId, Caller caller) throws Upstream.UpstreamException {
        String identity = caller.chain().isEmpty() ? "" : caller.chain().get(0);
        List<Stored> rows = tx.inTransaction(() -> Sql.query(tx.connection(), "SELECT bound_kind, bound_id, type, header_name, token_url, "
                + "client_id, scope, secret_sealed, version FROM gateway_upstream_secrets WHERE server_id = ? AND (bound_kind = 'server' "
                + "OR bound_kind = 'identity' AND bound_id = ? OR bound_kind = 'owner' AND bound_id = ?)", r -> new Stored(
                new Binding(Binding.Kind.valueOf(r.string("bound_kind").toUpperCase(Locale.ROOT)), r.string("bound_id")), r.string("type"),
                r.string("header_name"), r.string("token_url"), r.string("client_id"), r.string("scope"), r.string("secret_sealed"),
                r.longOr("version", 0)), serverId, identity, caller.onBehalfOf()));
        Optional<Stored> match = rows.stream().min(java.util.Comparator.comparing(row -> switch (row.binding().kind()) {
            case IDENTITY -> 0;
            case OWNER -> 1;
            case SERVER -> 2;
        }));
        if (match.isEmpty()) {
            boolean any = tx.inTransaction(() -> Sql.one(tx.connection(), "SELECT server_id FROM gateway_upstream_secrets WHERE server_id = ?",
                    r -> r.string("server_id"), serverId).isPresent());
            if (!any) return Map.of();
            // Reaching the upstream as someone else (another identity's secret) would misattribute the call: refuse.
            throw Upstream.UpstreamException.refusal("no_upstream_credential", "no upstream credential matches the caller");
        }
        Stored s = match.get();
        String secret = new String(kek.decrypt(s.sealed(), context(serverId, s.binding())), StandardCharsets.UTF_8);
        if (s.type().equals("header")) return Map.of(s.header(), secret);
        return Map.of("Authorization", "Bearer " + oauthToken(serverId, s, secret));
    }

    /** RFC 6749 §4.4 client credentials against the upstream's authorization server, cached until shortly before expiry. */
    private String oauthToken(String serverId, Stored s, String secret) {
        String key = cacheKey(serverId, s.binding());
        CachedToken cached = tokens.get(key);
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
            tokens.put(key, new CachedToken(s.version(), body.get("access_token").asText(), now.plusSeconds(ttl)));
            return body.get("access_token").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the upstream authorization server is not reachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** What a secret is sealed to (AES-GCM associated data): its server and binding, so a sealed value cannot be moved to another. */
    private static String context(String serverId, Binding binding) {
        // Server-wide secrets keep the context they were sealed with before bindings existed.
        return "upstream-credential:" + serverId + (binding.kind() == Binding.Kind.SERVER ? "" : ":" + binding.label());
    }

    private static String cacheKey(String serverId, Binding binding) { return serverId + " " + binding.label(); }
}
