package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.testing.TestGatehouse;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook sink against a real HTTP receiver that checks signatures and fails at first. */
class WebhookSinkTest {
    private static final String SECRET = "webhook-secret-0123456789abcdef-0123456789";

    @TempDir Path dir;

    @Test
    void batchesAreSignedRetriedAfterFailuresAndArriveAsAnIntactChain() throws Exception {
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        List<String> ranges = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger badSignatures = new AtomicInteger();
        AtomicInteger failuresLeft = new AtomicInteger(2);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String ts = exchange.getRequestHeaders().getFirst("X-Gatehouse-Timestamp");
            String sig = exchange.getRequestHeaders().getFirst("X-Gatehouse-Signature");
            ranges.add(exchange.getRequestHeaders().getFirst("X-Gatehouse-Seq"));
            if (!("sha256=" + WebhookSink.signature(SECRET.getBytes(StandardCharsets.UTF_8), ts, body)).equals(sig)) {
                badSignatures.incrementAndGet();
                exchange.sendResponseHeaders(401, -1);
            } else if (failuresLeft.getAndDecrement() > 0) {
                exchange.sendResponseHeaders(503, -1); // receiver down for a while
            } else {
                received.addAll(body.lines().toList());
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        receiver.start();
        try (TestGatehouse gh = TestGatehouse.start(dir, null, TestGatehouse.withLoopbackPeers(Map.of(
                "audit.webhookUrl", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                "audit.webhookSecret", SECRET, "audit.webhookBatchSize", "3")))) {
            for (int i = 0; i < 4; i++) {
                // requests are answered while the receiver is failing: delivery never blocks them
                var r = gh.http("POST", "/v1/groups", "{\"id\":\"g" + i + "\",\"displayName\":\"G" + i + "\"}", TestGatehouse.ADMIN_TOKEN);
                assertThat(r.statusCode()).isEqualTo(201);
            }
            List<String> export = gh.http("GET", "/v1/audit/export", null, TestGatehouse.ADMIN_TOKEN).body().lines()
                    .filter(l -> l.startsWith("{\"seq\"")).toList();
            for (int attempt = 0; attempt < 400 && received.size() < export.size(); attempt++) Thread.sleep(50);

            assertThat(badSignatures.get()).isZero();
            assertThat(received.subList(0, export.size())).isEqualTo(export);
            assertThat(ChainVerifier.verify(received, List.of(), null, false)).isInstanceOf(ChainVerifier.Intact.class);
            assertThat(ranges.size()).isGreaterThanOrEqualTo(3);
            assertThat(ranges.subList(0, 3)).as("a failed batch is resent from the same seq").allSatisfy(r -> assertThat(r).startsWith("1-"));
            assertThat(ranges).allSatisfy(r -> {
                String[] bounds = r.split("-");
                assertThat(Long.parseLong(bounds[1]) - Long.parseLong(bounds[0])).isLessThan(3); // batch size 3
            });
            assertThat(String.join("\n", received)).doesNotContain(SECRET);
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void aWebhookWithoutAStrongSecretRefusesToStartAndDoesNotEchoIt() {
        assertThatThrownBy(() -> TestGatehouse.start(dir, null, Map.of("audit.webhookUrl", "http://127.0.0.1:9/hook",
                "audit.webhookSecret", "short-secret")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("audit.webhookSecret")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("short-secret"));
    }
}
