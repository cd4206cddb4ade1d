package dev.gatehouse.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A scripted HTTP server for the SDK's tests (the SDK cannot depend on the server module): records every
 * request as it arrived and answers with what the test scripts. The server module's tests cover the SDK
 * against the real Gatehouse.
 */
final class FakeServer implements AutoCloseable {
    record Seen(String method, String path, String query, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> values = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                    .findFirst().orElse(List.of());
            return values.isEmpty() ? null : values.get(0);
        }
    }

    record Reply(int status, String contentType, String body, Map<String, String> headers) {
        static Reply json(int status, String body) { return new Reply(status, "application/json", body, Map.of()); }
    }

    final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    FakeServer(Function<Seen, Reply> script) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> answer(exchange, script));
        server.start();
    }

    URI base() { return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"); }

    private void answer(HttpExchange exchange, Function<Seen, Reply> script) throws IOException {
        Seen request = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), exchange.getRequestURI().getRawQuery(),
                Map.copyOf(exchange.getRequestHeaders()), new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        seen.add(request);
        Reply reply = script.apply(request);
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] bytes = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
        if (reply.contentType() != null) exchange.getResponseHeaders().add("Content-Type", reply.contentType());
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() { server.stop(0); }
}
