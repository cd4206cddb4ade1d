package dev.gatehouse.http;

import dev.gatehouse.core.Json;
import dev.gatehouse.core.Problem;
import dev.gatehouse.core.StartupFailure;
import dev.gatehouse.store.StoreException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.MinimumDataRateHandler;
import org.eclipse.jetty.server.handler.ThreadLimitHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty in front of the {@link Router}: authentication of protected routes, body limits,
 * JSON encoding and the mapping of domain problems to status codes. Nothing else knows Jetty.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    /**
     * @param limits what one client may hold of the server: connection and thread caps, deadlines, data rate
     */
    public record Settings(String bind, int port, long maxBodyBytes, KeyStore tlsKeyStore, Limits limits) {
        public Settings(String bind, int port, long maxBodyBytes, KeyStore tlsKeyStore) {
            this(bind, port, maxBodyBytes, tlsKeyStore, Limits.DEFAULTS);
        }
    }

    /**
     * Defences against slow and greedy clients (Slowloris, connection floods). 0 disables a cap.
     *
     * @param idleTimeout             a connection with no traffic this long is closed
     * @param requestHeadTimeout      a new connection must send a complete request head within this
     * @param minRequestBytesPerSecond a request body arriving slower than this is cut off (408)
     * @param maxConnections          open connections in total
     * @param maxConnectionsPerAddress open connections per client address
     * @param maxRequestsPerAddress   requests of one client address handled at once (the rest wait without a thread)
     */
    public record Limits(Duration idleTimeout, Duration requestHeadTimeout, long minRequestBytesPerSecond,
                         int maxConnections, int maxConnectionsPerAddress, int maxRequestsPerAddress) {
        public static final Limits DEFAULTS = new Limits(Duration.ofSeconds(30), Duration.ofSeconds(10), 1024,
                5000, 64, 16);
    }

    private static final long REQUEST_THREAD_STACK_BYTES = 16L << 20;

    private final Server server;
    private final ServerConnector connector;

    public HttpServer(Settings settings, Router router, Authenticator authenticator, MeterRegistry meters) {
        this(settings, router, authenticator, AuthObserver.NONE, meters);
    }

    public HttpServer(Settings settings, Router router, Authenticator authenticator, AuthObserver observer, MeterRegistry meters) {
        // Request threads get 16 MiB stacks (reserved address space, committed only as used): decisions run
        // cedar-java's native evaluator on them, which refuses ("recursion limit reached") what a 1 MiB stack cannot hold.
        AtomicInteger threadCount = new AtomicInteger();
        QueuedThreadPool threads = new QueuedThreadPool(200, 8, 60_000, -1, null, null,
                r -> new Thread(null, r, "gatehouse-http-" + threadCount.incrementAndGet(), REQUEST_THREAD_STACK_BYTES));
        threads.setName("gatehouse-http");
        server = new Server(threads);
        Limits limits = settings.limits();
        HttpConfiguration httpConfig = new HttpConfiguration();
        httpConfig.setSendServerVersion(false);
        httpConfig.setIdleTimeout(limits.idleTimeout().toMillis());
        if (settings.tlsKeyStore() != null) {
            httpConfig.addCustomizer(new SecureRequestCustomizer(false));
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(settings.tlsKeyStore());
            ssl.setKeyStorePassword(PemKeyStore.PASSWORD);
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(httpConfig));
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
        }
        connector.setHost(settings.bind());
        connector.setPort(settings.port());
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        if (limits.maxConnectionsPerAddress() > 0) connector.addBean(new PerAddressConnectionLimit(limits.maxConnectionsPerAddress()));
        if (!limits.requestHeadTimeout().isZero()) connector.addBean(new RequestHeadDeadline(connector.getScheduler(), limits.requestHeadTimeout()));
        server.addConnector(connector);
        if (limits.maxConnections() > 0) server.addBean(new NetworkConnectionLimit(limits.maxConnections(), server));
        Handler dispatch = new Dispatch(router, authenticator, observer, meters, settings.maxBodyBytes());
        // A body trickled in below this rate fails its read (Jetty's handler; no limit on how fast answers are read).
        if (limits.minRequestBytesPerSecond() > 0) dispatch = new MinimumDataRateHandler(dispatch, limits.minRequestBytesPerSecond(), 0);
        if (limits.maxRequestsPerAddress() > 0) {
            // Requests beyond the cap wait asynchronously: a client sending slow bodies holds at most this many threads.
            ThreadLimitHandler perAddress = new ThreadLimitHandler(dispatch, null, false);
            perAddress.setThreadLimit(limits.maxRequestsPerAddress());
            server.setHandler(perAddress);
        } else {
            server.setHandler(dispatch);
        }
        server.setStopTimeout(5_000);
    }

    public void start() throws Exception {
        try {
            server.start();
        } catch (java.io.IOException e) {
            server.stop();
            throw new StartupFailure("cannot listen on " + connector.getHost() + ":" + connector.getPort()
                    + " (" + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()) + ")", e);
        }
    }

    /**
     * Fails with the same one line as {@link #start} when {@code bind:port} cannot be listened on, so
     * {@code serve} stops before it creates a store, keys or a bootstrap token it could never serve.
     * Port 0 (any free port) always can. The port is released again at once; losing a race for it in
     * between still ends in {@link #start}'s one-line failure.
     */
    public static void checkCanListen(String bind, int port) {
        if (port == 0) return;
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as Jetty does: a socket in TIME_WAIT does not block a restart
            probe.bind(new InetSocketAddress(bind, port));
        } catch (java.io.IOException e) {
            throw new StartupFailure("cannot listen on " + bind + ":" + port + " (" + e.getMessage() + ")", e);
        }
    }

    /** The bound port (useful with port 0 in tests). */
    public int port() { return connector.getLocalPort(); }

    public void join() throws InterruptedException { server.join(); }

    @Override
    public void close() throws Exception { server.stop(); }

    private static final class Dispatch extends Handler.Abstract {
        private final Router router;
        private final Authenticator authenticator;
        private final AuthObserver observer;
        private final MeterRegistry meters;
        private final long maxBody;

        Dispatch(Router router, Authenticator authenticator, AuthObserver observer, MeterRegistry meters, long maxBody) {
            this.router = router;
            this.authenticator = authenticator;
            this.observer = observer;
            this.meters = meters;
            this.maxBody = maxBody;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            long start = System.nanoTime();
            String method = request.getMethod();
            String path = request.getHttpURI().getPath();
            String routeName = "unmatched";
            ApiResponse result;
            try {
                Router.Match match = router.match(method, path == null ? "/" : path);
                if (match instanceof Router.Found found) {
                    routeName = found.route().pattern();
                    result = invoke(found, request);
                } else if (match instanceof Router.MethodNotAllowed mna) {
                    result = ApiResponse.json(405, ErrorBody.of("method_not_allowed", method + " is not allowed on " + path))
                            .header("Allow", String.join(", ", mna.allowed()));
                } else {
                    result = ApiResponse.json(404, ErrorBody.of("not_found", "no route " + path));
                }
            } catch (Problem p) {
                result = problem(p);
            } catch (BodyNotReceived e) {
                log.debug("{} {}: request body not received in time", method, routeName);
                result = ApiResponse.json(408, ErrorBody.of("request_timeout", "the request body did not arrive in time"))
                        .header("Connection", "close");
            } catch (dev.gatehouse.audit.AuditUnavailable e) {
                // the action could not be audited, so it did not happen: fail closed, retryable
                log.error("audit unavailable on {} {}: {}", method, routeName, e.getMessage());
                result = ApiResponse.json(503, ErrorBody.of("audit_unavailable", "the audit trail could not record the request"));
            } catch (StoreException e) {
                log.error("store failure on {} {}", method, routeName, e);
                result = ApiResponse.json(503, ErrorBody.of("store_unavailable", "the store could not complete the request"));
            } catch (Exception e) {
                log.error("unhandled failure on {} {}", method, routeName, e);
                result = ApiResponse.json(500, ErrorBody.of("internal_error", "internal error"));
            }
            write(response, result, method, callback);
            Timer.builder("gatehouse.http.requests").tag("method", method).tag("route", routeName)
                    .tag("status", Integer.toString(result.status())).register(meters)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            return true;
        }

        private ApiResponse invoke(Router.Found found, Request request) throws Exception {
            Router.Route route = found.route();
            Map<String, String> headers = new HashMap<>();
            for (HttpField field : request.getHeaders()) {
                headers.merge(field.getName().toLowerCase(Locale.ROOT), field.getValue(), (a, b) -> a + ", " + b);
            }
            // Protected routes authenticate on the headers before reading a byte of the body: an anonymous client
            // cannot hold a request thread by sending it slowly. Public routes (the OAuth endpoints) authenticate
            // from the body itself; their exposure is bounded by the per-address caps and the minimum data rate.
            Caller caller = null;
            if (route.access() != Access.PUBLIC) {
                String remote = Request.getRemoteAddr(request);
                try {
                    caller = authenticate(headers.get("authorization"));
                } catch (Problem.Unauthenticated e) {
                    observer.refused(null, refusalReason(headers.get("authorization")), route.method(),
                            request.getHttpURI().getPath(), remote);
                    throw e;
                }
                if (!route.access().allows(caller.role())) {
                    observer.refused(caller, "role_not_allowed", route.method(), route.pattern(), remote);
                    throw new Problem.Forbidden("this token's role (" + caller.role().name().toLowerCase(Locale.ROOT)
                            + ") does not allow " + route.method() + " " + route.pattern());
                }
                observer.authenticated(caller, route.method(), route.pattern(), route.access(), remote);
            }
            byte[] body = readBody(request);
            ApiRequest apiRequest = new ApiRequest(request.getMethod(), request.getHttpURI().getPath(), found.params(),
                    request.getHttpURI().getQuery(), headers, body, caller, Request.getRemoteAddr(request));
            return route.handler().handle(apiRequest);
        }

        /** A code for why no caller was established; never the presented value. */
        private static String refusalReason(String authorization) {
            if (authorization == null) return "missing_token";
            return authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? "unknown_or_revoked_token" : "not_a_bearer_token";
        }

        private Caller authenticate(String authorization) {
            if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new Problem.Unauthenticated("missing bearer token (Authorization: Bearer <token>)");
            }
            Optional<Caller> caller = authenticator.authenticate(authorization.substring(7).trim());
            return caller.orElseThrow(() -> new Problem.Unauthenticated("token is unknown or revoked"));
        }

        private byte[] readBody(Request request) {
            long declared = request.getLength();
            if (declared > maxBody) {
                throw new Problem.TooLarge("request body exceeds " + maxBody + " bytes");
            }
            try (InputStream in = Content.Source.asInputStream(request)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    if (out.size() > maxBody) {
                        throw new Problem.TooLarge("request body exceeds " + maxBody + " bytes");
                    }
                }
                return out.toByteArray();
            } catch (IOException | RuntimeException e) {
                if (e instanceof Problem p) throw p;
                // Too slow (below the minimum data rate), idle, or gone: the client's doing, not ours.
                throw new BodyNotReceived();
            }
        }

        /** The request body did not arrive (too slow, idle or aborted); answered 408 and never logged as a failure. */
        private static final class BodyNotReceived extends RuntimeException {
            BodyNotReceived() { super("request body not received", null, false, false); }
        }

        private static ApiResponse problem(Problem p) {
            // Java 17 has no pattern switch; the chain is exhaustive over the sealed Problem.
            int status;
            if (p instanceof Problem.NotFound) status = 404;
            else if (p instanceof Problem.Conflict || p instanceof Problem.StaleVersion) status = 409;
            else if (p instanceof Problem.Invalid) status = 400;
            else if (p instanceof Problem.Unauthenticated) status = 401;
            else if (p instanceof Problem.Forbidden) status = 403;
            else if (p instanceof Problem.TooLarge) status = 413;
            else if (p instanceof Problem.UnsupportedMediaType) status = 415;
            else status = 500;
            ApiResponse response = ApiResponse.json(status, new ErrorBody(p.code(), p.getMessage(), p.field()));
            if (status == 401) {
                response.header("WWW-Authenticate", "Bearer realm=\"gatehouse\"");
            }
            return response;
        }

        private static void write(Response response, ApiResponse result, String method, Callback callback) {
            response.setStatus(result.status());
            result.headers().forEach((k, v) -> response.getHeaders().put(k, v));
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            if (result.contentType() != null) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, result.contentType().startsWith("application/json")
                        ? "application/json" : result.contentType());
            }
            if (result.stream() != null) {
                try (OutputStream out = Content.Sink.asOutputStream(response)) {
                    result.stream().writeTo(out);
                    callback.succeeded();
                } catch (Throwable t) {
                    callback.failed(t);
                }
                return;
            }
            byte[] bytes = result.bytes() != null ? result.bytes()
                    : result.json() != null ? Json.write(result.json()).getBytes(java.nio.charset.StandardCharsets.UTF_8)
                    : new byte[0];
            if (method.equals("HEAD")) {
                bytes = new byte[0];
            }
            response.write(true, ByteBuffer.wrap(bytes), callback);
        }
    }
}
