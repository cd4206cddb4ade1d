package dev.gatehouse.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.core.Json;
import dev.gatehouse.webhook.SignedWebhook;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP receiver for approval notifications that verifies each signature the way a chat or
 * ticketing integration would, and can fail its first deliveries.
 */
final class WebhookReceiver implements AutoCloseable {
    static final String SECRET = "approval-hook-secret-0123456789abcdef";

    final List<JsonNode> received = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger badSignatures = new AtomicInteger();
    final AtomicInteger attempts = new AtomicInteger();
    final AtomicInteger failuresLeft;
    private final HttpServer server;

    WebhookReceiver(int failFirst) throws Exception {
        this.failuresLeft = new AtomicInteger(failFirst);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            attempts.incrementAndGet();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String ts = exchange.getRequestHeaders().getFirst("X-Gatehouse-Timestamp");
            String sig = exchange.getRequestHeaders().getFirst("X-Gatehouse-Signature");
            if (ts == null || sig == null
                    || !("sha256=" + SignedWebhook.signature(SECRET.getBytes(StandardCharsets.UTF_8), ts, body)).equals(sig)) {
                badSignatures.incrementAndGet();
                exchange.sendResponseHeaders(401, -1);
            } else if (failuresLeft.getAndDecrement() > 0) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                JsonNode event = Json.MAPPER.readTree(body);
                if (!event.get("id").asText().equals(exchange.getRequestHeaders().getFirst("X-Gatehouse-Delivery"))) {
                    badSignatures.incrementAndGet();
                }
                received.add(event);
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        server.start();
    }

    String url() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook"; }

    /** Waits (bounded) until an event of {@code type} arrived; returns it or null. */
    JsonNode await(String type) throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            synchronized (received) {
                for (JsonNode e : received) if (e.get("event").asText().equals(type)) return e;
            }
            Thread.sleep(25);
        }
        return null;
    }

    @Override
    public void close() { server.stop(0); }
}
