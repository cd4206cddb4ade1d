package dev.gatehouse.fuzz;

import dev.gatehouse.core.Problem;
import dev.gatehouse.http.ApiRequest;
import dev.gatehouse.http.ApiResponse;
import dev.gatehouse.http.Caller;
import dev.gatehouse.http.Router;
import dev.gatehouse.testing.TestGatehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One real Gatehouse per fuzz process (the production wiring on an embedded store), with a small inventory, a
 * task token and a PDP caller, and a way to hand a request straight to a route's handler: no sockets, so the
 * fuzzer spends its time in parsing and classification. The property every fuzz test checks: a route answers
 * (a client error is a {@link Problem} or a 4xx), it never throws anything else.
 */
public final class FuzzServer {
    public static final Caller ADMIN = new Caller("admin-token", "fuzz", "fuzz", Caller.Role.ADMIN);
    public static final Caller PDP = new Caller("admin-token", "fuzz-pdp", "fuzz-pdp", Caller.Role.PDP);

    private static FuzzServer instance;

    final TestGatehouse gh;
    private String taskToken;
    private long tokenIssued;
    final String clientSecret;

    private FuzzServer() throws Exception {
        Path dir = Files.createTempDirectory("gatehouse-fuzz");
        // The upstream is a closed loopback port: initialize fails fast instead of reaching anything.
        gh = TestGatehouse.start(dir, null, TestGatehouse.withLoopbackPeers(Map.of("gateway.callsPerMinutePerIdentity", "0",
                "gateway.callsPerMinutePerTask", "0", "credentials.failedAuthPerMinutePerClient", "0",
                "credentials.failedAuthPerMinutePerAddress", "0", "gateway.maxSessions", "1000000")));
        gh.gatehouse().seedStarterPolicies();
        gh.client().post("/v1/identities", Map.of("id", "alice", "kind", "human", "displayName", "Alice", "email", "alice@example.com"));
        gh.client().post("/v1/identities", Map.of("id", "bot", "kind", "agent", "displayName", "bot", "owner", "alice", "purpose", "fuzz",
                "environment", "dev", "autonomy", "assistive", "scope", Map.of("tools", List.of("crm/*"), "effects", List.of("read", "write"))));
        gh.client().post("/v1/tool-servers", Map.of("id", "crm", "url", "http://127.0.0.1:9/mcp", "trust", "approved", "destination", "internal",
                "tools", List.of(Map.of("name", "lookup", "effect", "read", "risk", "low"), Map.of("name", "update", "effect", "write", "risk", "medium"))));
        clientSecret = gh.client().post("/v1/identities/bot/credentials", Map.of("type", "client_secret")).path("secret").asText();
    }

    /** A live task token of {@code bot}; renewed before it expires, so long fuzzing runs keep reaching the gateway. */
    synchronized String taskToken() {
        if (taskToken == null || System.nanoTime() - tokenIssued > java.util.concurrent.TimeUnit.MINUTES.toNanos(8)) {
            taskToken = gh.client().requestTaskToken("bot", clientSecret, "fuzzing", null, 900).path("access_token").asText();
            tokenIssued = System.nanoTime();
        }
        return taskToken;
    }

    /**
     * The server talks to itself over loopback (token issuance, the closed upstream port): tell Jazzer's SSRF
     * detector that those connections are expected; any other destination is still a finding.
     */
    public static void allowLoopback() {
        com.code_intelligence.jazzer.api.BugDetectors.allowNetworkConnections((host, port) -> host.equals("127.0.0.1") || host.equals("localhost"));
    }

    public static synchronized FuzzServer get() throws Exception {
        if (instance == null) instance = new FuzzServer();
        return instance;
    }

    /**
     * Runs the route matching {@code method path} with the given request parts. Returns the response; a
     * {@link Problem} (the client's error) comes back as its status. Any other exception propagates: a finding.
     */
    public int call(String method, String path, String query, Map<String, String> headers, byte[] body, Caller caller) throws Exception {
        Router.Match match;
        try {
            match = gh.gatehouse().router().match(method, path);
        } catch (Problem p) {
            return 400;
        }
        if (!(match instanceof Router.Found found)) return 404;
        Map<String, String> lower = new HashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
        try {
            ApiResponse response = found.route().handler().handle(new ApiRequest(method, path, found.params(), query, lower, body, caller,
                    "127.0.0.1"));
            if (response.status() >= 500) throw new AssertionError(method + " " + path + " answered " + response.status());
            return response.status();
        } catch (Problem p) {
            return 400;
        }
    }
}
