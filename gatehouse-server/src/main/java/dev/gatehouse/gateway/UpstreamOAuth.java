package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.Json;
import dev.gatehouse.credentials.CallTokens;
import dev.gatehouse.outbound.OutboundHttp;
import dev.gatehouse.registry.ToolServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MCP authorization for tool servers that are OAuth resource servers ({@code upstreamAuth: oauth}). When such an
 * upstream answers 401 with {@code WWW-Authenticate: Bearer resource_metadata="…"}, the gateway reads its protected
 * resource metadata (RFC 9728), then its authorization server's metadata (RFC 8414, or OpenID discovery), and
 * exchanges (RFC 8693) a Gatehouse-signed subject token — the caller's identity, delegation chain and task, audience
 * that authorization server — for an access token whose resource (RFC 8707) is the upstream. Gatehouse authenticates
 * as an OAuth client with {@code private_key_jwt} (RFC 7523), signed by its own keys: the operator registers the
 * client with Gatehouse's JWKS URL, and no secret exists anywhere. The agent's task token never leaves Gatehouse.
 *
 * <p>Tokens are cached per task, delegation chain and resource until shortly before they expire: never shared
 * between identities (nor between tasks, whose ids they carry). Every URL here comes from the upstream's answers, so
 * every fetch goes through {@link OutboundHttp} (allowed destinations, checked at connect time; no redirects), reads
 * at most 64 KiB within 5 s, and must be https unless the operator listed the host in {@code outbound.allow}; the
 * resource metadata must come from the upstream's own origin and name the upstream as its resource.
 */
public final class UpstreamOAuth {
    private static final Logger log = LoggerFactory.getLogger(UpstreamOAuth.class);
    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final String JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";
    private static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    private static final String JWT_BEARER_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final int MAX_DOCUMENT_BYTES = 64 * 1024;
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
    /** How long a server's discovered authorization server is reused before it is read again. */
    private static final Duration DISCOVERY_TTL = Duration.ofMinutes(5);
    private static final int MAX_CACHED_TOKENS = 10_000;
    private static final Pattern PARAM = Pattern.compile("([A-Za-z0-9_-]+)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s,]*))");

    /** An upstream's authorization server as discovered: its issuer and token endpoint. */
    private record Discovered(String issuer, URI tokenEndpoint, Instant until) {}

    private record Cached(String token, Instant refreshAt) {}

    /** Why an authorization attempt failed; said to the operator's log, the agent only sees {@code upstream_authorization_failed}. */
    private static final class Failed extends Exception {
        Failed(String message) { super(message, null, false, false); }
    }

    private final OutboundHttp http;
    private final CallTokens tokens;
    private final Supplier<String> clientId;
    private final Clock clock;
    private final Map<String, Discovered> discovered = new ConcurrentHashMap<>(); // by where(server)
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /** @param clientId Gatehouse's client id at upstream authorization servers (default: its public URL) */
    public UpstreamOAuth(OutboundHttp http, CallTokens tokens, Supplier<String> clientId, Clock clock) {
        this.http = http;
        this.tokens = tokens;
        this.clientId = clientId;
        this.clock = clock;
    }

    UpstreamAuthenticator authenticator(ToolServer server) {
        return new UpstreamAuthenticator() {
            @Override
            public Map<String, String> headers(Attribution on) throws Upstream.UpstreamException {
                String key = key(server, on.caller());
                Cached c = cache.get(key);
                if (c != null && c.refreshAt().isAfter(clock.instant())) return bearer(c.token());
                // Known authorization server: no need to be told again by a 401 (one round trip less per new task).
                Discovered d = discovered.get(where(server));
                if (d != null && d.until().isAfter(clock.instant())) return bearer(obtain(server, on.caller(), d));
                return Map.of();
            }

            @Override
            public boolean challenged(Attribution on, String challenge) throws Upstream.UpstreamException {
                cache.remove(key(server, on.caller()));
                Discovered d;
                try {
                    d = discover(server, challenge);
                } catch (Failed e) {
                    log.warn("MCP authorization for tool server {} failed: {}", server.id(), e.getMessage());
                    throw new Upstream.UpstreamException("upstream_authorization_failed", "the upstream's authorization could not be completed");
                }
                discovered.put(where(server), d);
                obtain(server, on.caller(), d);
                return true;
            }
        };
    }

    private static Map<String, String> bearer(String token) { return Map.of("Authorization", "Bearer " + token); }

    /** A discovery holds for the server as registered now: a changed url or resource is discovered anew. */
    private static String where(ToolServer server) { return server.id() + "\n" + server.url() + "\n" + server.resource(); }

    /** Tokens are the caller's own: keyed by task, the whole chain and the resource. */
    private static String key(ToolServer server, Caller caller) {
        return caller.token().taskId() + "\n" + String.join(",", caller.chain()) + "\n" + server.resource();
    }

    // --- discovery

    /** RFC 9728 then RFC 8414: the authorization server that protects {@code server}, checked at every step. */
    private Discovered discover(ToolServer server, String challenge) throws Failed {
        URI upstream = URI.create(server.url());
        URI metadataUrl = resourceMetadataUrl(upstream, challenge);
        // The upstream may only point at its own origin: otherwise any tool server could make Gatehouse fetch anything.
        if (!sameOrigin(upstream, metadataUrl)) throw new Failed("resource_metadata " + metadataUrl + " is not on the upstream's origin");
        JsonNode resource = fetch(metadataUrl).orElseThrow(() -> new Failed("no protected resource metadata at " + metadataUrl));
        // RFC 9728 §3.3: metadata naming another resource must not be used (it could redirect the exchange).
        if (!server.resource().equals(resource.path("resource").asText(null))) {
            throw new Failed("the protected resource metadata names resource '" + resource.path("resource").asText("") + "', not '"
                    + server.resource() + "'");
        }
        JsonNode servers = resource.path("authorization_servers");
        if (!servers.isArray() || servers.isEmpty()) throw new Failed("the protected resource metadata names no authorization server");
        List<String> problems = new ArrayList<>();
        for (JsonNode s : servers) {
            try {
                return authorizationServer(s.asText(""));
            } catch (Failed e) {
                problems.add(e.getMessage());
            }
        }
        throw new Failed(String.join("; ", problems));
    }

    /** The {@code resource_metadata} of a Bearer challenge, else the well-known location (RFC 9728 §3.1, §5.1). */
    static URI resourceMetadataUrl(URI upstream, String challenge) throws Failed {
        String value = challengeParam(challenge, "resource_metadata");
        if (value != null) {
            try {
                URI uri = new URI(value);
                if (!uri.isAbsolute()) throw new Failed("resource_metadata is not an absolute URL");
                return uri;
            } catch (java.net.URISyntaxException e) {
                throw new Failed("resource_metadata is not a URL");
            }
        }
        String path = upstream.getRawPath() == null || upstream.getRawPath().equals("/") ? "" : upstream.getRawPath();
        return URI.create(origin(upstream) + "/.well-known/oauth-protected-resource" + path);
    }

    /** A parameter of a {@code Bearer} challenge (RFC 6750 §3), or null. */
    static String challengeParam(String challenge, String name) {
        if (challenge == null || !challenge.regionMatches(true, 0, "Bearer", 0, 6)) return null;
        Matcher m = PARAM.matcher(challenge.substring(6));
        while (m.find()) {
            if (m.group(1).equalsIgnoreCase(name)) return m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3);
        }
        return null;
    }

    /** RFC 8414 §3 (path inserted), then OpenID discovery inserted and appended, as the MCP specification orders them. */
    private Discovered authorizationServer(String issuer) throws Failed {
        URI as;
        try {
            as = new URI(issuer);
        } catch (java.net.URISyntaxException e) {
            throw new Failed("authorization server '" + issuer + "' is not a URL");
        }
        if (as.getHost() == null || as.getQuery() != null || as.getFragment() != null) throw new Failed("authorization server '" + issuer + "' is not an issuer URL");
        requireSecure(as, "authorization server");
        String path = as.getRawPath() == null || as.getRawPath().equals("/") ? "" : as.getRawPath();
        List<URI> candidates = new ArrayList<>(List.of(URI.create(origin(as) + "/.well-known/oauth-authorization-server" + path),
                URI.create(origin(as) + "/.well-known/openid-configuration" + path)));
        if (!path.isEmpty()) candidates.add(URI.create(origin(as) + path + "/.well-known/openid-configuration"));
        for (URI candidate : candidates) {
            Optional<JsonNode> metadata = fetch(candidate);
            if (metadata.isEmpty()) continue;
            JsonNode m = metadata.get();
            // RFC 8414 §3.3: the issuer must be exactly the one asked about, or the metadata is someone else's (not used).
            if (!issuer.equals(m.path("issuer").asText(null))) continue;
            if (m.has("grant_types_supported") && !contains(m.get("grant_types_supported"), TOKEN_EXCHANGE)) {
                throw new Failed("authorization server " + issuer + " does not offer token exchange");
            }
            if (m.has("token_endpoint_auth_methods_supported") && !contains(m.get("token_endpoint_auth_methods_supported"), "private_key_jwt")) {
                throw new Failed("authorization server " + issuer + " does not accept private_key_jwt");
            }
            URI tokenEndpoint;
            try {
                tokenEndpoint = new URI(m.path("token_endpoint").asText(""));
            } catch (java.net.URISyntaxException e) {
                throw new Failed("authorization server " + issuer + " has no valid token_endpoint");
            }
            if (!tokenEndpoint.isAbsolute() || tokenEndpoint.getHost() == null) throw new Failed("authorization server " + issuer + " has no token_endpoint");
            requireSecure(tokenEndpoint, "token endpoint");
            return new Discovered(issuer, tokenEndpoint, clock.instant().plus(DISCOVERY_TTL));
        }
        throw new Failed("no authorization server metadata for " + issuer);
    }

    // --- token exchange

    /** RFC 8693 at the upstream's authorization server, as the caller, authenticated by private_key_jwt; cached. */
    private String obtain(ToolServer server, Caller caller, Discovered as) throws Upstream.UpstreamException {
        String subjectToken = tokens.mint(caller.token(), caller.onBehalfOf(), as.issuer(), null);
        String client = clientId.get();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", TOKEN_EXCHANGE);
        form.put("subject_token", subjectToken);
        form.put("subject_token_type", JWT_TOKEN_TYPE);
        form.put("requested_token_type", ACCESS_TOKEN_TYPE);
        form.put("resource", server.resource());
        // RFC 8693 §2.1 lets audience name the target too; servers that read only one of them still see it.
        form.put("audience", server.resource());
        form.put("client_id", client);
        form.put("client_assertion_type", JWT_BEARER_ASSERTION);
        form.put("client_assertion", tokens.clientAssertion(client, as.issuer()));
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        JsonNode answer;
        int status;
        try (OutboundHttp.Reply r = http.send(OutboundHttp.Call.post(as.tokenEndpoint(), Map.of("Accept", "application/json"),
                "application/x-www-form-urlencoded", body.toString().getBytes(StandardCharsets.UTF_8), FETCH_TIMEOUT))) {
            status = r.status();
            byte[] bytes = r.body().readNBytes(MAX_DOCUMENT_BYTES + 1);
            answer = status == 200 && bytes.length <= MAX_DOCUMENT_BYTES ? Json.MAPPER.readTree(bytes) : null;
        } catch (IOException e) {
            log.warn("token exchange for tool server {} failed: {}", server.id(), e.getMessage());
            throw new Upstream.UpstreamException("upstream_authorization_failed", "the upstream's authorization server is not reachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Upstream.UpstreamException("upstream_authorization_failed", "interrupted");
        }
        if (answer == null || !answer.path("access_token").isTextual() || !"bearer".equalsIgnoreCase(answer.path("token_type").asText(""))) {
            // The error body is the authorization server's and may echo input: only the status goes to the log.
            log.warn("token exchange for tool server {} was refused by {} (HTTP {})", server.id(), as.issuer(), status);
            throw new Upstream.UpstreamException("upstream_authorization_failed", "the upstream's authorization server refused the exchange");
        }
        long lifetime = answer.path("expires_in").canConvertToLong() ? answer.path("expires_in").asLong() : 300;
        // Renew ahead of expiry so a request never carries a token that dies on the way.
        Instant refreshAt = clock.instant().plusSeconds(Math.max(0, lifetime > 60 ? lifetime - 30 : lifetime / 2));
        if (cache.size() >= MAX_CACHED_TOKENS) cache.entrySet().removeIf(e -> !e.getValue().refreshAt().isAfter(clock.instant()));
        if (cache.size() < MAX_CACHED_TOKENS) cache.put(key(server, caller), new Cached(answer.get("access_token").asText(), refreshAt));
        return answer.get("access_token").asText();
    }

    // --- fetching what an upstream points at

    /** A JSON object from {@code url} (200 only, bounded, no redirects, allowed destinations), or empty. */
    private Optional<JsonNode> fetch(URI url) throws Failed {
        requireSecure(url, "metadata URL");
        try (OutboundHttp.Reply r = http.send(new OutboundHttp.Call("GET", url, Map.of("Accept", "application/json"), null, null,
                FETCH_TIMEOUT, false))) {
            if (r.status() != 200) return Optional.empty();
            byte[] bytes = r.body().readNBytes(MAX_DOCUMENT_BYTES + 1);
            if (bytes.length > MAX_DOCUMENT_BYTES) throw new Failed(url + " answered more than " + MAX_DOCUMENT_BYTES + " bytes");
            JsonNode node = Json.MAPPER.readTree(bytes);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (OutboundHttp.Refused e) {
            throw new Failed(url + " is not an allowed destination: " + e.getMessage());
        } catch (IOException e) {
            throw new Failed(url + " could not be read: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted");
        }
    }

    /** https, or http to a host the operator listed in {@code outbound.allow} (a loopback or internal server named on purpose). */
    private void requireSecure(URI url, String what) throws Failed {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) return;
        if (scheme.equals("http") && http.destinations().lists(url)) return;
        throw new Failed(what + " " + url + " must use https");
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) { return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80; }

    private static String origin(URI u) {
        return u.getScheme() + "://" + u.getRawAuthority();
    }

    private static boolean contains(JsonNode array, String value) {
        if (!array.isArray()) return false;
        for (JsonNode v : array) if (value.equals(v.asText())) return true;
        return false;
    }
}
