package dev.gatehouse.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.SelectorManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a new connection when its client address already holds {@code max} open connections, so one host
 * cannot take every connection slot (Slowloris). Jetty's {@code NetworkConnectionLimit} caps the total only.
 * Behind a reverse proxy every client shares the proxy's address: raise the cap there.
 */
final class PerAddressConnectionLimit implements SelectorManager.AcceptListener, Connection.Listener {
    private static final Logger log = LoggerFactory.getLogger(PerAddressConnectionLimit.class);

    private final int max;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Connection, InetAddress> owners = new ConcurrentHashMap<>();

    PerAddressConnectionLimit(int max) { this.max = max; }

    @Override
    public void onAccepted(SelectableChannel channel) {
        InetAddress address = address(channel);
        if (address == null) return;
        // Counted at accept (the acceptor runs ahead of the selector that opens connections), uncounted on close.
        int count = open.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        if (count > max) {
            release(address);
            log.debug("client {} already holds {} connections; refused", address.getHostAddress(), max);
            try {
                channel.close(); // before Jetty builds a connection for it: nothing else to undo
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }
    }

    @Override
    public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
        InetAddress address = address(channel);
        if (address != null) release(address);
    }

    @Override
    public void onOpened(Connection connection) {
        // Remembered now: once closed, the endpoint no longer knows its remote address.
        InetAddress address = address(connection.getEndPoint().getRemoteSocketAddress());
        if (address != null) owners.put(connection, address);
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress address = owners.remove(connection);
        if (address != null) release(address);
    }

    private void release(InetAddress address) {
        open.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    private static InetAddress address(SelectableChannel channel) {
        try {
            return channel instanceof SocketChannel socket ? address(socket.getRemoteAddress()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static InetAddress address(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
