package dev.gatehouse.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.net.InetAddresses;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.testing.TestGatehouse;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outbound requests never reach loopback, private, link-local (cloud metadata) or other non-public addresses
 * unless configuration allows them: refused when a tool server is registered, and at connect time on the
 * address actually resolved (DNS rebinding) and on every redirect hop.
 */
class OutboundDestinationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void nonPublicAddressesAreRefusedInEveryDisguise() {
        Destinations none = Destinations.publicOnly();
        for (String refused : List.of("169.254.169.254", "fd00:ec2::254", "127.0.0.1", "::1", "10.1.2.3", "172.31.0.1", "192.168.1.1",
                "100.100.100.200", "0.0.0.0", "::", "::ffff:169.254.169.254", "2002:a9fe:a9fe::1", "64:ff9b::a9fe:a9fe", "fe80::1",
                "224.0.0.1", "255.255.255.255")) {
            assertThat(none.refusal("h", InetAddresses.forString(refused))).as(refused).isPresent();
        }
        assertThat(none.refusal("h", InetAddresses.forString("169.254.169.254")).orElseThrow()).contains("link-local");
        for (String allowed : List.of("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "64:ff9b::5db8:d822")) {
            assertThat(none.refusal("h", InetAddresses.forString(allowed))).as(allowed).isEmpty();
        }
        Destinations some = Destinations.allowing(List.of("127.0.0.1/32", "10.20.0.0/16", "mcp.internal"));
        assertThat(some.refusal("h", InetAddresses.forString("127.0.0.1"))).isEmpty();
        assertThat(some.refusal("h", InetAddresses.forString("127.0.0.2"))).isPresent();
        assertThat(some.refusal("h", InetAddresses.forString("10.20.3.4"))).isEmpty();
        assertThat(some.refusal("h", InetAddresses.forString("10.21.3.4"))).isPresent();
        assertThat(some.refusal("MCP.internal", InetAddresses.forString("10.99.0.1"))).isEmpty();
        assertThatThrownBy(() -> Destinations.allowing(List.of("10.0.0.0/99"))).hasMessageContaining("10.0.0.0/99");
    }

    @Test
    void toolServerAndUpstreamCredentialUrlsToMetadataOrInternalAddressesAreRefused() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(tmp)) {
            for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "http://localhost:8080/mcp",
                    "http://10.0.0.5/mcp", "http://[::ffff:127.0.0.1]/")) {
                var r = gh.http("POST", "/v1/tool-servers", JSON.writeValueAsString(Map.of("id", "meta", "url", url)), TestGatehouse.ADMIN_TOKEN);
                assertThat(r.statusCode()).as(url).isEqualTo(400);
                assertThat(JSON.readTree(r.body()).path("field").asText()).isEqualTo("url");
                assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("destination_not_allowed");
            }
            assertThat(gh.http("POST", "/v1/tool-servers", JSON.writeValueAsString(Map.of("id", "crm", "url", "https://93.184.216.34/mcp")),
                    TestGatehouse.ADMIN_TOKEN).statusCode()).isEqualTo(201);
            var credential = gh.http("PUT", "/v1/tool-servers/crm/upstream-credential", JSON.writeValueAsString(Map.of("type",
                    "oauth_client_credentials", "tokenUrl", "http://169.254.169.254/token", "clientId", "g", "secret", "s3cret-value")),
                    TestGatehouse.ADMIN_TOKEN);
            assertThat(credential.statusCode()).isEqualTo(400);
            assertThat(credential.body()).contains("tokenUrl").doesNotContain("s3cret-value");
        }
    }

    @Test
    void theAddressActuallyConnectedToIsChecked() throws Exception {
        HttpServer peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicReference<String> host = new AtomicReference<>();
        peer.createContext("/", exchange -> {
            host.set(exchange.getRequestHeaders().getFirst("Host"));
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        peer.start();
        int port = peer.getAddress().getPort();
        // A name server under the attacker's control: the name looked public when registered, now it answers loopback.
        SocketAddressResolver rebinding = (name, p, context, promise) ->
                promise.succeeded(List.of(new InetSocketAddress(InetAddresses.forString("127.0.0.1"), p)));
        URI url = URI.create("http://rebind.example:" + port + "/mcp");
        try (OutboundHttp guarded = new OutboundHttp(Destinations.publicOnly(), rebinding);
             OutboundHttp allowing = new OutboundHttp(Destinations.allowing(List.of("127.0.0.1/32")), rebinding)) {
            assertThatThrownBy(() -> guarded.send(OutboundHttp.Call.get(url, Duration.ofSeconds(5))))
                    .isInstanceOf(OutboundHttp.Refused.class).hasMessageContaining("127.0.0.1").hasMessageContaining("loopback");
            assertThat(host.get()).as("nothing reached the peer").isNull();
            try (OutboundHttp.Reply reply = allowing.send(OutboundHttp.Call.get(url, Duration.ofSeconds(5)))) {
                assertThat(reply.status()).isEqualTo(200);
            }
            assertThat(host.get()).as("the name still travels in Host").isEqualTo("rebind.example:" + port);
        } finally {
            peer.stop(0);
        }
    }

    @Test
    void everyRedirectHopIsChecked() throws Exception {
        HttpServer peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int[] port = new int[1];
        peer.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.2:" + port[0] + "/internal");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        peer.start();
        port[0] = peer.getAddress().getPort();
        try (OutboundHttp http = new OutboundHttp(Destinations.allowing(List.of("127.0.0.1/32")))) {
            URI url = URI.create("http://127.0.0.1:" + port[0] + "/jwks");
            try (OutboundHttp.Reply notFollowed = http.send(OutboundHttp.Call.get(url, Duration.ofSeconds(5)))) {
                assertThat(notFollowed.status()).isEqualTo(302);
            }
            assertThatThrownBy(() -> http.send(OutboundHttp.Call.get(url, Duration.ofSeconds(5)).followingRedirects()))
                    .isInstanceOf(OutboundHttp.Refused.class).hasMessageContaining("127.0.0.2");
        } finally {
            peer.stop(0);
        }
    }
}
