package dev.gatehouse.gateway;

import dev.gatehouse.outbound.OutboundHttp;
import dev.gatehouse.registry.ToolServer;
import java.net.URI;
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
    private final Function<ToolServer, UpstreamAuthenticator> authentication;

    public Upstreams(UpstreamAuthentication authentication, UpstreamRules rules, OutboundHttp http) {
        this(authentication::forServer, rules, http);
    }

    /** @param authentication how each request to a tool server is authenticated, as its caller */
    Upstreams(Function<ToolServer, UpstreamAuthenticator> authentication, UpstreamRules rules, OutboundHttp http) {
        this.authentication = authentication;
        this.rules = rules;
        this.http = http;
    }

    @Override
    public Upstream open(ToolServer server) throws Upstream.UpstreamException {
        if (server.url() != null) {
            return new HttpUpstream(http, URI.create(server.url()), authentication.apply(server), timer);
        }
        if (server.stdio() == null) {
            throw new Upstream.UpstreamException("upstream_unavailable", "the tool server has neither url nor stdio");
        }
        StdioCommand command = rules.stdioCommand(server.stdio()).orElseThrow(() ->
                new Upstream.UpstreamException("upstream_unavailable", "the stdio command is no longer configured"));
        return new StdioUpstream(command, server.id());
    }

    @Override
    public UpstreamAuthenticator authenticator(ToolServer server) { return authentication.apply(server); }

    @Override
    public void close() { timer.shutdownNow(); }
}
