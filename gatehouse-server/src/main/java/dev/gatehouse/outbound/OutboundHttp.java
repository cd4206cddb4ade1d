package dev.gatehouse.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * Every HTTP request Gatehouse makes to another server (MCP upstreams, upstream OAuth token URLs, approval and
 * audit webhooks, federation JWKS) goes through here: Jetty's HTTP client with {@link GuardedResolver}, so
 * the destination rules of {@link Destinations} hold at connect time. Redirects are not followed unless a
 * request asks (then every hop is checked the same way).
 */
public final class OutboundHttp implements AutoCloseable {
    /** A request: method, URL, headers, optional body; {@code timeout} bounds the whole exchange, body included. */
    public record Call(String method, URI url, Map<String, String> headers, byte[] body, String contentType, Duration timeout,
                       boolean followRedirects) {
        public static Call get(URI url, Duration timeout) {
            return new Call("GET", url, Map.of(), null, null, timeout, false);
        }

        public static Call post(URI url, Map<String, String> headers, String contentType, byte[] body, Duration timeout) {
            return new Call("POST", url, headers, body, contentType, timeout, false);
        }

        public Call followingRedirects() {
            return new Call(method, url, headers, body, contentType, timeout, true);
        }
    }

    /** The status and headers, and the body as a stream the caller must close. */
    public record Reply(int status, Map<String, String> headers, InputStream body) implements AutoCloseable {
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
        }

        @Override
        public void close() throws IOException { body.close(); }
    }

    /** The destination is not allowed ({@link Destinations}); the message says which address and why. */
    public static final class Refused extends IOException {
        Refused(String message) { super(message); }
    }

    private final HttpClient client;
    private final Destinations destinations;

    public OutboundHttp(Destinations destinations) {
        this(destinations, null);
    }

    /** {@code dns} replaces the system resolver (tests stand in a name server that answers what they need). */
    OutboundHttp(Destinations destinations, SocketAddressResolver dns) {
        this.destinations = destinations;
        QueuedThreadPool threads = new QueuedThreadPool(64, 2);
        threads.setName("gatehouse-outbound");
        threads.setDaemon(true);
        client = new HttpClient();
        client.setExecutor(threads);
        ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("gatehouse-outbound-timer", true);
        client.setScheduler(scheduler);
        client.setSocketAddressResolver(new GuardedResolver(dns != null ? dns : new SocketAddressResolver.Async(threads, scheduler, 5_000),
                destinations));
        client.setConnectTimeout(5_000);
        client.setFollowRedirects(false);
        client.setUserAgentField(new HttpField("User-Agent", "Gatehouse"));
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the outbound HTTP client", e);
        }
    }

    public Destinations destinations() { return destinations; }

    /** Sends {@code call} and returns once the response headers arrived; the body streams. */
    public Reply send(Call call) throws IOException, InterruptedException {
        Request request = client.newRequest(call.url()).method(call.method()).followRedirects(call.followRedirects())
                .timeout(call.timeout().toMillis(), TimeUnit.MILLISECONDS);
        request.headers(h -> call.headers().forEach(h::put));
        if (call.body() != null) request.body(new BytesRequestContent(call.contentType(), call.body()));
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        Response response;
        try {
            response = listener.get(call.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            request.abort(e);
            throw new HttpTimeoutException("no response within " + call.timeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause != null && !(cause instanceof GuardedResolver.RefusedDestination) && cause.getCause() != null) cause = cause.getCause();
            if (cause instanceof GuardedResolver.RefusedDestination refused) throw new Refused(refused.getMessage());
            if (e.getCause() instanceof TimeoutException) throw new HttpTimeoutException("no response in time");
            throw new IOException(e.getCause() == null ? "request failed" : e.getCause().getClass().getSimpleName(), e.getCause());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (HttpField f : response.getHeaders()) headers.putIfAbsent(f.getLowerCaseName(), f.getValue());
        return new Reply(response.getStatus(), headers, listener.getInputStream());
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception ignored) {
            // shutting down
        }
    }
}
