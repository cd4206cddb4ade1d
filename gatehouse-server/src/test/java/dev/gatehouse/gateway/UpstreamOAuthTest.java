package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.credentials.VerifiedToken;
import dev.gatehouse.outbound.Destinations;
import dev.gatehouse.outbound.OutboundHttp;
import dev.gatehouse.registry.Scope;
import dev.gatehouse.registry.ToolServer;
import dev.gatehouse.registry.Vocabulary;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an upstream says in a 401 steers where Gatehouse connects next, so every step of MCP authorization is checked
 * against a hostile upstream: it gets no fetch off its own origin, no exchange for another resource, no plain http, no
 * redirects, no unbounded documents — and the agent sees one reason, {@code upstream_authorization_failed}.
 */
class UpstreamOAuthTest {
    /** A server that answers fixed documents by path and logs every path asked for. */
    static final class Peer implements AutoCloseable {
        final HttpServer server;
        final List<String> asked = new CopyOnWriteArrayList<>();
        final Map<String, String[]> answers = new ConcurrentHashMap<>(); // path -> {status, body, location?}

        Peer() throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                asked.add(exchange.getRequestURI().getPath());
                String[] a = answers.getOrDefault(exchange.getRequestURI().getPath(), new String[] {"404", ""});
                byte[] body = a[1].getBytes(StandardCharsets.UTF_8);
                if (a.length > 2) exchange.getResponseHeaders().add("Location", a[2]);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(Integer.parseInt(a[0]), body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    try (OutputStream os = exchange.getResponseBody()) {
                        os.write(body);
                    }
                }
                exchange.close();
            });
            server.start();
        }

        String origin() { return "http://127.0.0.1:" + server.getAddress().getPort(); }

        @Override
        public void close() { server.stop(0); }
    }

    private final OutboundHttp http = new OutboundHttp(Destinations.allowing(List.of("127.0.0.1/32")));
    private final UpstreamOAuth oauth = new UpstreamOAuth(http, null, () -> "https://gatehouse.example.com", Clock.systemUTC());

    @AfterEach
    void close() { http.close(); }

    private static Attribution caller() {
        VerifiedToken token = new VerifiedToken("jti-1", "task_1", "bot", "bot", List.of("bot"), new Scope(List.of("crm/*"), java.util.Set.of(), List.of()),
                "tests", false, Instant.now(), Instant.now().plusSeconds(600), Map.of("sub", "spiffe://gatehouse.local/agent/bot"), null, 3,
                List.of(), List.of());
        return Attribution.of(new Caller(token, Map.of(), ""), "initialize");
    }

    private static ToolServer server(String url) {
        return new ToolServer("crm", null, url, null, Vocabulary.UpstreamAuth.OAUTH, null, Vocabulary.Trust.APPROVED,
                Vocabulary.Destination.INTERNAL, List.of(), List.of(), List.of(), Instant.now(), Instant.now(), 1);
    }

    private void assertRefused(Peer upstream, String challenge) {
        assertThatThrownBy(() -> oauth.authenticator(server(upstream.origin() + "/mcp")).challenged(caller(), challenge))
                .isInstanceOfSatisfying(Upstream.UpstreamException.class, e -> {
                    assertThat(e.reason()).isEqualTo("upstream_authorization_failed");
                    assertThat(e.refused()).isFalse();
                });
    }

    @Test
    void resourceMetadataOffTheUpstreamsOriginIsNeverFetched() throws Exception {
        try (Peer upstream = new Peer(); Peer elsewhere = new Peer()) {
            elsewhere.answers.put("/meta", new String[] {"200", "{\"resource\":\"" + upstream.origin() + "/mcp\",\"authorization_servers\":[\""
                    + elsewhere.origin() + "\"]}"});
            assertRefused(upstream, "Bearer resource_metadata=\"" + elsewhere.origin() + "/meta\"");
            assertThat(elsewhere.asked).isEmpty();
        }
    }

    @Test
    void metadataForAnotherResourceIsNotUsed() throws Exception {
        try (Peer upstream = new Peer(); Peer as = new Peer()) {
            upstream.answers.put("/.well-known/oauth-protected-resource/mcp", new String[] {"200",
                    "{\"resource\":\"https://payments.example.com/mcp\",\"authorization_servers\":[\"" + as.origin() + "\"]}"});
            // No resource_metadata in the challenge: the well-known location of RFC 9728 §3.1 is read instead.
            assertRefused(upstream, "Bearer realm=\"crm\"");
            assertThat(upstream.asked).containsExactly("/.well-known/oauth-protected-resource/mcp");
            assertThat(as.asked).isEmpty();
        }
    }

    @Test
    void authorizationServersMustBeHttpsUnlessListedAndMustNameThemselves() throws Exception {
        try (Peer upstream = new Peer(); Peer as = new Peer()) {
            String meta = "/.well-known/oauth-protected-resource/mcp";
            upstream.answers.put(meta, new String[] {"200", "{\"resource\":\"" + upstream.origin() + "/mcp\",\"authorization_servers\":"
                    + "[\"http://auth.example.com\"]}"});
            assertRefused(upstream, "Bearer resource_metadata=\"" + upstream.origin() + meta + "\"");

            // Listed (127.0.0.1), but its metadata names another issuer: RFC 8414 §3.3, not used.
            upstream.answers.put(meta, new String[] {"200", "{\"resource\":\"" + upstream.origin() + "/mcp\",\"authorization_servers\":[\""
                    + as.origin() + "\"]}"});
            as.answers.put("/.well-known/oauth-authorization-server", new String[] {"200", "{\"issuer\":\"https://evil.example.com\","
                    + "\"token_endpoint\":\"" + as.origin() + "/token\"}"});
            assertRefused(upstream, "Bearer resource_metadata=\"" + upstream.origin() + meta + "\"");
            assertThat(as.asked).doesNotContain("/token");

            // Redirects are not followed, and documents are bounded.
            as.answers.put("/.well-known/oauth-authorization-server", new String[] {"302", "", "http://169.254.169.254/latest/meta-data"});
            as.answers.put("/.well-known/openid-configuration", new String[] {"200", "{\"issuer\":\"" + as.origin() + "\",\"token_endpoint\":\""
                    + as.origin() + "/token\",\"pad\":\""
                    + "x".repeat(70_000) + "\"}"});
            assertRefused(upstream, "Bearer resource_metadata=\"" + upstream.origin() + meta + "\"");
            assertThat(as.asked).doesNotContain("/token");
        }
    }

    @Test
    void challengesAreReadAsRfc6750Says() throws Exception {
        assertThat(UpstreamOAuth.challengeParam("Bearer error=\"invalid_token\", resource_metadata=\"https://crm.example.com/.well-known/"
                + "oauth-protected-resource/mcp\"", "resource_metadata")).isEqualTo("https://crm.example.com/.well-known/oauth-protected-resource/mcp");
        assertThat(UpstreamOAuth.challengeParam("bearer resource_metadata=https://a.example/m", "resource_metadata")).isEqualTo("https://a.example/m");
        assertThat(UpstreamOAuth.challengeParam("Basic realm=\"x\", resource_metadata=\"https://a.example/m\"", "resource_metadata")).isNull();
        assertThat(UpstreamOAuth.resourceMetadataUrl(URI.create("https://crm.example.com/tools/mcp"), "Bearer"))
                .isEqualTo(URI.create("https://crm.example.com/.well-known/oauth-protected-resource/tools/mcp"));
    }
}
