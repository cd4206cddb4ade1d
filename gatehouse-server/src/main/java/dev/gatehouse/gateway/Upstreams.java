package dev.gatehouse.gateway;

import dev.gatehouse.outbound.OutboundHttp;
import dev.gatehouse.registry.ToolServer;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * Opens the upstream of a tool server: Streamable HTTP when it has a {@code url} (through {@link OutboundHttp},
 * which refuses destinations the operator did not allow), else the stdio command it names from the
 * operator's configuration.
 */
public final class Upstreams implements McpGateway.UpstreamFactory, AutoCloseable {
    private final OutboundHttp http;
    private final UpstreamRules rules;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mcp-upstream-timeouts");
        t.setDaemon(true);
        return t;
    });
    private final Function<String, Map<String, String>> credentials;

    /** @param credentials the headers to inject for a tool server id (its upstream credentials), read on every request */
    public Upstreams(Function<String, Map<String, String>> credentials, UpstreamRules rules, OutboundHttp http) {
        this.credentials = credentials;
        this.rules = rules;
        this.http = http;
    }

    @Override
    public Upstream open(ToolServer server) throws Upstream.UpstreamException {
        if (server.url() != null) {
            return new HttpUpstream(http, URI.create(server.url()), () -> credentials.apply(server.id()), timer);
        }
        if (server.stdio() == null) {
            throw new Upstream.UpstreamException("upstream_unavailable", "the tool server has neither url nor stdio");
        }
        StdioCommand command = rules.stdioCommand(server.stdio()).orElseThrow(() ->
                new Upstream.UpstreamException("upstream_unavailable", "the stdio command is no longer configured"));
        return new StdioUpstream(command, server.id());
    }

    @Override
    public void close() { timer.shutdownNow(); }
}
