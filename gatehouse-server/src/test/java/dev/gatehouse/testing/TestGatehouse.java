package dev.gatehouse.testing;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.client.GatehouseClient;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A real Gatehouse server for tests: the production wiring on an ephemeral port, with a known
 * bootstrap admin token. Use {@link #client()} for SDK calls and {@link #http} for raw requests.
 */
public final class TestGatehouse implements AutoCloseable {
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

    /**
     * The one setting tests with peers on this machine (MCP upstreams, webhook receivers, JWKS servers) add:
     * Gatehouse refuses loopback destinations unless {@code outbound.allow} lists them, as an operator would.
     */
    public static final Map<String, String> LOOPBACK_PEERS = Map.of("outbound.allow", "127.0.0.1/32");

    /** {@code settings} plus {@link #LOOPBACK_PEERS}. */
    public static Map<String, String> withLoopbackPeers(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.putAll(LOOPBACK_PEERS);
        return all;
    }

    private final Gatehouse gatehouse;
    private final HttpClient http = HttpClient.newHttpClient();

    private TestGatehouse(GatehouseConfig config, Clock clock) throws Exception {
        gatehouse = new Gatehouse(config, clock);
        gatehouse.bootstrap(ADMIN_TOKEN);
        gatehouse.start();
    }

    /** Embedded H2 under {@code dataDir}. */
    public static TestGatehouse start(Path dataDir) throws Exception {
        return start(dataDir, null, Map.of());
    }

    /** {@code dbUrl} null means embedded; {@code settings} are extra config keys by path ({@code tokens.maxTtl}). */
    public static TestGatehouse start(Path dataDir, String dbUrl, Map<String, String> settings) throws Exception {
        return start(dataDir, dbUrl, settings, Clock.systemUTC());
    }

    public static TestGatehouse start(Path dataDir, String dbUrl, Map<String, String> settings, Clock clock) throws Exception {
        Map<String, String> overrides = new HashMap<>(settings);
        overrides.putIfAbsent("server.port", "0");
        overrides.put("dataDir", dataDir.toString());
        if (dbUrl != null) {
            overrides.put("db.url", dbUrl);
            if (dbUrl.startsWith("jdbc:postgresql:")) {
                overrides.putIfAbsent("db.user", TestStores.pgUser());
                if (!overrides.containsKey("server.publicUrl") && !overrides.containsKey("credentials.issuer")) {
                    // A cluster store needs a public URL: give the node a port of its own and name it.
                    int port = freePort();
                    overrides.put("server.port", Integer.toString(port));
                    overrides.put("server.publicUrl", "http://127.0.0.1:" + port);
                }
            }
        }
        return new TestGatehouse(ConfigLoader.load(null, Map.of(), overrides), clock);
    }

    /** A port free right now (for a node that must know its public URL before it binds). */
    public static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    public Gatehouse gatehouse() { return gatehouse; }

    public URI baseUri() { return URI.create("http://127.0.0.1:" + gatehouse.port() + "/"); }

    public GatehouseClient client() { return new GatehouseClient(baseUri(), ADMIN_TOKEN); }

    public GatehouseClient client(String token) { return new GatehouseClient(baseUri(), token); }

    /** Sends a raw request; {@code token} may be null. */
    public HttpResponse<String> http(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(baseUri().resolve(path.startsWith("/") ? path.substring(1) : path));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (body != null) b.header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception { gatehouse.close(); }
}
