package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.testing.TestGatehouse;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak load driver (bench/soak.sh; not part of the test suite): a real Gatehouse and a small MCP upstream in
 * this JVM, then a fixed rate of mixed traffic for a fixed time: task-token issuance, gateway tool calls (reads
 * that taint the task, writes), explained decisions, and suspend/reactivate cycles of an identity whose tokens
 * must die and come back. Reports errors (must be 0), p99 per operation for the first and last minute (drift),
 * and the heap after a full GC at the start and at the end (must be flat).
 *
 * <p>Arguments: {@code --seconds N} (default 600), {@code --rate OPS_PER_SECOND} (default 40).
 */
public final class SoakDriver {
    private static final HttpClient HTTP = HttpClient.newBuilder().build();
    private static final int AGENTS = 4;

    private final TestGatehouse gh;
    private final TinyMcpServer upstream;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    /** Latencies in microseconds by operation and minute. */
    private final Map<String, Map<Long, List<Long>>> latencies = new ConcurrentHashMap<>();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private long startNanos;

    private SoakDriver(TestGatehouse gh, TinyMcpServer upstream) {
        this.gh = gh;
        this.upstream = upstream;
    }

    public static void main(String[] args) throws Exception {
        int seconds = 600;
        int rate = 40;
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--seconds")) seconds = Integer.parseInt(args[i + 1]);
            else if (args[i].equals("--rate")) rate = Integer.parseInt(args[i + 1]);
            else throw new IllegalArgumentException("unknown argument " + args[i]);
        }
        Path dir = Files.createTempDirectory("gatehouse-soak");
        try (TinyMcpServer upstream = new TinyMcpServer();
             TestGatehouse gh = TestGatehouse.start(dir, null, TestGatehouse.withLoopbackPeers(Map.of(
                     "gateway.callsPerMinutePerIdentity", "0", "gateway.callsPerMinutePerTask", "0",
                     "log.level", "warn", "server.maxRequestsPerAddress", System.getProperty("soak.perAddress", "16"))))) {
            SoakDriver soak = new SoakDriver(gh, upstream);
            soak.setUp();
            soak.run(seconds, rate);
        }
        System.exit(0);
    }

    private void setUp() throws Exception {
        gh.client().post("/v1/identities", Map.of("id", "alice", "kind", "human", "displayName", "Alice", "email", "alice@example.com"));
        gh.client().post("/v1/tool-servers", Map.of("id", "crm", "url", upstream.url(), "trust", "approved", "destination", "internal",
                "tools", List.of(Map.of("name", "read_record", "effect", "read", "risk", "low"),
                        Map.of("name", "send_email", "effect", "write", "risk", "low"))));
        gh.gatehouse().seedStarterPolicies();
        for (int i = 0; i <= AGENTS; i++) {
            String id = i == AGENTS ? "churn-bot" : "bot-" + i;
            gh.client().post("/v1/identities", Map.of("id", id, "kind", "agent", "displayName", id, "owner", "alice", "purpose", "soak",
                    "environment", "dev", "autonomy", "assistive", "scope", Map.of("tools", List.of("crm/*"), "effects", List.of("read", "write"))));
            secrets.put(id, gh.client().post("/v1/identities/" + id + "/credentials", Map.of("type", "client_secret")).path("secret").asText());
        }
    }

    private void run(int seconds, int rate) throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(16);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        AtomicLong tick = new AtomicLong();
        long warmup = Math.min(30, Math.max(5, seconds / 20));
        System.out.printf(Locale.ROOT, "soak: %d s at %d ops/s (warm-up %d s not counted)%n", seconds, rate, warmup);
        startNanos = System.nanoTime();
        long heapStart = -1;
        ticker.scheduleAtFixedRate(() -> {
            long n = tick.getAndIncrement();
            workers.execute(() -> operation(n, System.nanoTime()));
        }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
        for (long s = 1; s <= seconds; s++) {
            Thread.sleep(1000);
            if (s == warmup) {
                heapStart = heapAfterGc();
                latencies.clear();
                startNanos = System.nanoTime();
                errors.clear();
                done.set(0);
            }
            if (s % 60 == 0) {
                System.out.printf(Locale.ROOT, "  %4d s: %d ops, %d errors, %d MB heap in use%n", s, done.get(), errors.size(),
                        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20);
                upstream.calls.clear();
            }
        }
        ticker.shutdown();
        workers.shutdown();
        workers.awaitTermination(30, TimeUnit.SECONDS);
        long heapEnd = heapAfterGc();
        report(heapStart, heapEnd);
    }

    private void operation(long n, long scheduled) {
        String op;
        int kind = (int) (n % 20);
        try {
            if (kind < 6) {
                op = "token";
                timed(op, scheduled, () -> issue("bot-" + (n % AGENTS)));
            } else if (kind < 14) {
                op = "gateway";
                String bot = "bot-" + (n % AGENTS);
                timed(op, scheduled, () -> gatewayCall(bot, kind % 2 == 0 ? "read_record" : "send_email"));
            } else if (kind < 19) {
                op = "decide";
                timed(op, scheduled, () -> decide("bot-" + (n % AGENTS)));
            } else {
                op = "suspension";
                timed(op, scheduled, this::suspensionCycle);
            }
        } catch (Exception e) {
            errors.add(e.getMessage());
        }
    }

    private interface Op {
        void run() throws Exception;
    }

    private void timed(String op, long scheduled, Op work) throws Exception {
        long start = System.nanoTime();
        if (start - scheduled > TimeUnit.MILLISECONDS.toNanos(100)) late.incrementAndGet();
        work.run();
        long micros = (System.nanoTime() - start) / 1000;
        long minute = (System.nanoTime() - startNanos) / TimeUnit.MINUTES.toNanos(1);
        latencies.computeIfAbsent(op, o -> new ConcurrentHashMap<>()).computeIfAbsent(minute, m -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(micros);
        done.incrementAndGet();
    }

    private String issue(String id) throws Exception {
        String basic = Base64.getEncoder().encodeToString((id + ":" + secrets.get(id)).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(gh.baseUri().resolve("oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&ttl=300&task_intent="
                        + URLEncoder.encode("soak " + id, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException("token for " + id + ": " + r.statusCode() + " " + r.body());
        String token = McpPeers.JSON.readTree(r.body()).path("access_token").asText();
        tokens.put(id, token);
        return token;
    }

    /** One tool call on the agent's session; a session whose token is near its end is replaced first. */
    private void gatewayCall(String bot, String tool) throws Exception {
        Session s = sessions.get(bot);
        if (s == null || System.nanoTime() - s.opened > TimeUnit.SECONDS.toNanos(240)) {
            s = new Session(issue(bot));
            sessions.put(bot, s);
        }
        JsonNode reply = s.call(tool, "{\"id\":\"42\",\"to\":\"ops@example.com\"}");
        if (!reply.has("result") || reply.path("result").path("isError").asBoolean()) {
            throw new IllegalStateException("gateway " + tool + " for " + bot + ": " + reply);
        }
    }

    private void decide(String bot) throws Exception {
        String body = "{\"subject\":{\"type\":\"agent\",\"id\":\"" + bot + "\"},\"action\":{\"name\":\"read\"},"
                + "\"resource\":{\"type\":\"tool\",\"id\":\"crm/read_record\"}}";
        HttpResponse<String> r = gh.http("POST", "/v1/decide", body, TestGatehouse.ADMIN_TOKEN);
        if (r.statusCode() != 200 || !r.body().contains("\"decision\":\"allow\"")) throw new IllegalStateException("decide: " + r.body());
    }

    /** Suspend churn-bot: its live token must die at once; reactivate: a new token works again. */
    private synchronized void suspensionCycle() throws Exception {
        String token = issue("churn-bot");
        expect(gh.http("POST", "/v1/identities/churn-bot/suspend", "{\"reason\":\"soak cycle\"}", TestGatehouse.ADMIN_TOKEN), 200, "suspend");
        HttpResponse<String> introspect = HTTP.send(HttpRequest.newBuilder(gh.baseUri().resolve("oauth2/introspect"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Bearer " + TestGatehouse.ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("token=" + token)).build(), HttpResponse.BodyHandlers.ofString());
        if (!introspect.body().contains("\"active\":false")) throw new IllegalStateException("token survived suspension: " + introspect.body());
        expect(gh.http("POST", "/v1/identities/churn-bot/reactivate", "{\"reason\":\"soak cycle\"}", TestGatehouse.ADMIN_TOKEN), 200, "reactivate");
        issue("churn-bot");
    }

    private static void expect(HttpResponse<String> r, int status, String what) {
        if (r.statusCode() != status) throw new IllegalStateException(what + ": " + r.statusCode() + " " + r.body());
    }

    private final class Session {
        final String token;
        final String id;
        final long opened = System.nanoTime();
        final AtomicLong next = new AtomicLong(1);

        Session(String token) throws Exception {
            this.token = token;
            HttpResponse<String> init = send(null, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"soak\",\"version\":\"1\"}}}");
            if (init.statusCode() != 200) throw new IllegalStateException("initialize: " + init.statusCode() + " " + init.body());
            id = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
            send(id, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        }

        JsonNode call(String tool, String arguments) throws Exception {
            HttpResponse<String> r = send(id, "{\"jsonrpc\":\"2.0\",\"id\":" + next.getAndIncrement() + ",\"method\":\"tools/call\","
                    + "\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}}");
            return McpPeers.JSON.readTree(r.body());
        }

        private HttpResponse<String> send(String session, String body) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gh.baseUri() + "mcp/crm"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body));
            if (session != null) b.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private void report(long heapStart, long heapEnd) {
        System.out.printf(Locale.ROOT, "soak result: %d ops, errors %d, started late (>100 ms) %d%n", done.get(), errors.size(), late.get());
        errors.stream().distinct().limit(5).forEach(e -> System.out.println("  error: " + e));
        for (String op : List.of("token", "gateway", "decide", "suspension")) {
            Map<Long, List<Long>> byMinute = latencies.getOrDefault(op, Map.of());
            if (byMinute.isEmpty()) continue;
            long first = byMinute.keySet().stream().min(Long::compare).orElseThrow();
            long last = byMinute.keySet().stream().max(Long::compare).orElseThrow();
            // The last minute may be cut short by the end of the run; take the last full one when there is one.
            if (last > first && byMinute.get(last).size() < byMinute.get(first).size() / 2) last--;
            double p99First = p99(byMinute.get(first)) / 1000.0;
            double p99Last = p99(byMinute.get(last)) / 1000.0;
            List<String> perMinute = new ArrayList<>();
            for (long m = first; m <= last; m++) perMinute.add(String.format(Locale.ROOT, "%.1f", p99(byMinute.getOrDefault(m, List.of())) / 1000.0));
            System.out.printf(Locale.ROOT, "  %-10s p99 first minute %6.1f ms, last minute %6.1f ms (drift %+.0f%%); per minute: %s%n",
                    op, p99First, p99Last, p99First == 0 ? 0 : (p99Last - p99First) / p99First * 100, String.join(" ", perMinute));
        }
        System.out.printf(Locale.ROOT, "  heap after GC: start %.1f MB, end %.1f MB (%+.1f MB)%n", heapStart / 1048576.0, heapEnd / 1048576.0,
                (heapEnd - heapStart) / 1048576.0);
    }

    private static long p99(List<Long> values) {
        if (values.isEmpty()) return 0;
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(Long::compare);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1));
    }
}
