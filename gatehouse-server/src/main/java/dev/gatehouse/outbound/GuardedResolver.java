package dev.gatehouse.outbound;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * The HTTP client's resolver: it resolves a host name once, checks every address against {@link Destinations},
 * and hands only checked addresses to the connector, which connects to exactly those. The Host header and TLS
 * SNI still carry the name (they come from the request URI), so certificates verify as usual. Runs for every
 * new connection, redirects included, so neither a DNS answer that changes after registration (rebinding) nor
 * a redirect to another host can reach a refused address.
 */
final class GuardedResolver implements SocketAddressResolver {
    private final SocketAddressResolver dns;
    private final Destinations destinations;

    GuardedResolver(SocketAddressResolver dns, Destinations destinations) {
        this.dns = dns;
        this.destinations = destinations;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        dns.resolve(host, port, context, new Promise<>() {
            @Override
            public void succeeded(List<InetSocketAddress> addresses) {
                for (InetSocketAddress a : addresses) {
                    Optional<String> refused = a.getAddress() == null ? Optional.of("unresolved") : destinations.refusal(host, a.getAddress());
                    if (refused.isPresent()) {
                        promise.failed(new RefusedDestination(host + " resolves to " + refused.get()));
                        return;
                    }
                }
                promise.succeeded(addresses);
            }

            @Override
            public void failed(Throwable x) {
                promise.failed(x instanceof UnknownHostException ? x : new UnknownHostException(host));
            }
        });
    }

    /** A connection refused because of where it would go; the message names the address, never request content. */
    static final class RefusedDestination extends java.io.IOException {
        RefusedDestination(String message) { super(message); }
    }
}
