package dev.gatehouse.gateway;

import dev.gatehouse.registry.ToolServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/** Opens the upstream of a tool server: Streamable HTTP when it has a {@code url}, else its stdio {@code command}. */
public final class Upstreams implements McpGateway.UpstreamFactory, AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            // Never follow redirects: a redirect could carry injected upstream credentials to another host.
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mcp-upstream-timeouts");
        t.setDaemon(true);
        return t;
    });
    private final Function<String, Map<String, String>> credentials;

    /** @param credentials the headers to inject for a tool server id (its upstream credentials), read on every request */
    public Upstreams(Function<String, Map<String, String>> credentials) {
        this.credentials = credentials;
    }

    @Override
    public Upstream open(ToolServer server) throws Upstream.UpstreamException {
        if (server.url() != null) {
            return new HttpUpstream(http, URI.create(server.url()), () -> credentials.apply(server.id()), timer);
        }
        return new StdioUpstream(server.command(), server.id());
    }

    @Override
    public void close() { timer.shutdownNow(); }
}
