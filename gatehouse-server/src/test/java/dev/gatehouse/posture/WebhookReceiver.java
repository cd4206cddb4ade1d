package dev.gatehouse.posture;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.core.Json;
import dev.gatehouse.webhook.SignedWebhook;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.awaitility.Awaitility;

/** A real receiver of posture notifications that verifies each signature as an integration would. */
final class WebhookReceiver implements AutoCloseable {
    static final String SECRET = "posture-hook-secret-0123456789abcdef";

    final List<JsonNode> received = Collections.synchronizedList(new ArrayList<>());
    private final HttpServer server;

    WebhookReceiver() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String ts = exchange.getRequestHeaders().getFirst("X-Gatehouse-Timestamp");
            String sig = exchange.getRequestHeaders().getFirst("X-Gatehouse-Signature");
            if (ts == null || !("sha256=" + SignedWebhook.signature(SECRET.getBytes(StandardCharsets.UTF_8), ts, body)).equals(sig)) {
                exchange.sendResponseHeaders(401, -1);
            } else {
                received.add(Json.MAPPER.readTree(body));
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        server.start();
    }

    String url() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook"; }

    java.util.Map<String, String> settings() {
        return java.util.Map.of("lifecycle.webhookUrl", url(), "lifecycle.webhookSecret", SECRET);
    }

    List<JsonNode> events(String type) {
        synchronized (received) {
            return received.stream().filter(e -> e.path("event").asText().equals(type)).toList();
        }
    }

    /** Waits (bounded) for at least one notification of {@code type}. */
    JsonNode await(String type) {
        Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> !events(type).isEmpty());
        return events(type).get(0);
    }

    /** Waits (bounded) for at least {@code n} notifications of {@code type}. */
    List<JsonNode> await(String type, int n) {
        Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> events(type).size() >= n);
        return events(type);
    }

    @Override
    public void close() { server.stop(0); }
}
