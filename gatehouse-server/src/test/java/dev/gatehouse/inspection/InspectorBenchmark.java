package dev.gatehouse.inspection;

import dev.gatehouse.config.ConfigLoader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Inspection throughput, one thread. {@link #main} runs JMH and prints MB/s (payload bytes as
 * UTF-8 × operations per second). Three payloads:
 * <ul>
 *   <li>{@code tool_results}: realistic MCP {@code tools/call} responses whose text content is JSON
 *       (issue lists, query rows, log lines, customer records) with a finding every few kilobytes;</li>
 *   <li>{@code encoded}: tool results full of encoded material that must be looked at and let go
 *       (base64 file contents wrapped at 76 columns, image data, hex digests, percent-encoded
 *       redirect URLs with base64url state, JWTs) and, one result in ten, an encoded secret;</li>
 *   <li>{@code base64_noise}: 5 MB of random base64 strings of random lengths in a JSON array, the
 *       most candidates per byte an agent can send (hostile input for the decoding pass).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
public class InspectorBenchmark {
    /** default: the built-in detectors; custom: plus a 1,000-word dictionary and two configured patterns. */
    @Param({"default", "custom"})
    public String config;

    @Param({"tool_results", "encoded", "base64_noise"})
    public String content;

    private Inspector inspector;
    private String payload;

    @Setup
    public void setUp() {
        payload = payload(content);
        inspector = "default".equals(config) ? DefaultInspector.withDefaults() : custom();
        InspectionResult r = inspector.inspect(payload, Set.of());
        if (content.equals("tool_results") && r.findings().isEmpty()) throw new IllegalStateException("the payload must contain findings");
    }

    static String payload(String content) {
        return switch (content) {
            case "tool_results" -> payload(256 * 1024);
            case "encoded" -> encodedPayload(256 * 1024);
            case "base64_noise" -> base64Noise(5 * 1024 * 1024);
            default -> throw new IllegalArgumentException(content);
        };
    }

    @Benchmark
    public InspectionResult inspect() { return inspector.inspect(payload, Set.of()); }

    @Benchmark
    public Inspector.Redaction redact() { return inspector.redact(payload, Set.of()); }

    static Inspector custom() {
        StringBuilder words = new StringBuilder("[");
        Random r = new Random(7);
        for (int i = 0; i < 1000; i++) {
            if (i > 0) words.append(',');
            words.append("\"codename").append(Integer.toString(r.nextInt(1 << 30), 36)).append('"');
        }
        words.append(",\"Nightingale\"]");
        Map<String, String> overrides = Map.of(
                "inspection.dictionaries", "[{\"type\":\"custom.codename\",\"classification\":\"confidential\",\"words\":" + words + "}]",
                "inspection.patterns", "[{\"type\":\"custom.employee_id\",\"classification\":\"internal\",\"regex\":\"\\\\bEMP-[0-9]{6}\\\\b\"},"
                        + "{\"type\":\"custom.ticket\",\"classification\":\"internal\",\"regex\":\"\\\\bSEC-[0-9]{3,5}\\\\b\"}]");
        return Inspectors.fromConfig(ConfigLoader.load(null, Map.of(), overrides).inspection());
    }

    /** About {@code size} characters of JSON-RPC tool results; deterministic. */
    static String payload(int size) {
        Random r = new Random(20261123);
        StringBuilder sb = new StringBuilder(size + 4096);
        String[] titles = {"Fix flaky test in OrderServiceTest", "Bump jackson-databind to 2.20.1", "Docs: clarify token TTL",
                "Gateway returns 502 on upstream timeout", "Add retry with jitter to webhook sink", "Nightingale migration plan"};
        int id = 1;
        while (sb.length() < size) {
            int kind = r.nextInt(10);
            StringBuilder text = new StringBuilder();
            if (kind < 4) {
                text.append("[");
                for (int i = 0; i < 8; i++) {
                    if (i > 0) text.append(',');
                    text.append("{\"id\":").append(1_900_000_000L + r.nextInt(1_000_000)).append(",\"number\":").append(100 + r.nextInt(900))
                            .append(",\"title\":\"").append(titles[r.nextInt(titles.length)]).append("\",\"state\":\"open\",\"created_at\":\"2026-11-")
                            .append(10 + r.nextInt(18)).append("T09:").append(10 + r.nextInt(49)).append(":03Z\",\"comments\":").append(r.nextInt(20))
                            .append(",\"html_url\":\"https://github.com/org/repo/issues/").append(100 + r.nextInt(900)).append("\",\"sha\":\"")
                            .append(hex(r, 40)).append("\",\"labels\":[\"bug\",\"p2\"]}");
                }
                text.append("]");
            } else if (kind < 7) {
                text.append("region,requests,p99_ms,error_rate\\n");
                for (int i = 0; i < 12; i++) {
                    text.append(new String[] {"eu-west-1", "us-east-1", "ap-south-1"}[r.nextInt(3)]).append(',').append(r.nextInt(1_000_000))
                            .append(',').append(r.nextInt(100)).append('.').append(r.nextInt(10)).append(",0.00").append(r.nextInt(100)).append("\\n");
                }
            } else if (kind < 9) {
                for (int i = 0; i < 10; i++) {
                    text.append("2026-11-23T10:").append(10 + r.nextInt(49)).append(":02.331Z INFO  [exec-").append(r.nextInt(16))
                            .append("] c.e.OrderService - order ").append(80_000 + r.nextInt(10_000)).append(" shipped in ")
                            .append(r.nextInt(9)).append('.').append(r.nextInt(9)).append(" s (items=").append(1 + r.nextInt(5)).append(")\\n");
                }
            } else {
                // a customer record: the findings
                text.append("{\\\"customer\\\":{\\\"name\\\":\\\"Amara Okafor\\\",\\\"email\\\":\\\"amara").append(r.nextInt(1000))
                        .append("@northwind-mail.net\\\",\\\"phone\\\":\\\"+44 20 7946 0").append(100 + r.nextInt(900))
                        .append("\\\"},\\\"payment\\\":{\\\"card\\\":\\\"4111 1111 1111 1111\\\",\\\"iban\\\":\\\"DE89370400440532013000\\\"},")
                        .append("\\\"api_key\\\":\\\"").append(hex(r, 32)).append("\\\",\\\"note\\\":\\\"escalate SEC-").append(1000 + r.nextInt(9000))
                        .append(" to EMP-").append(100_000 + r.nextInt(900_000)).append("\\\"}");
            }
            sb.append("{\"jsonrpc\":\"2.0\",\"id\":").append(id++).append(",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"")
                    .append(text).append("\"}],\"isError\":false}}\n");
        }
        return sb.toString();
    }

    /** About {@code size} characters of tool results carrying encoded content; deterministic. */
    static String encodedPayload(int size) {
        Random r = new Random(20261201);
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String source = """
                import os
                from app import create_app

                app = create_app(os.environ.get("APP_ENV", "dev"))

                def handler(event, context):
                    return {"status": 200, "body": event.get("path")}
                """;
        String[] secrets = {"AKIAIOSFODNN7EXAMPLE", "4111 1111 1111 1111", "ghp_R7xq2LmZ9vKp4TnW8bYc3HdJ6sFgA1eQ0uNo", "DE89370400440532013000"};
        StringBuilder sb = new StringBuilder(size + 8192);
        int id = 1;
        while (sb.length() < size) {
            int kind = r.nextInt(10);
            StringBuilder text = new StringBuilder();
            if (kind < 3) { // a file read through a contents API: base64 of text, wrapped at 76 columns
                String file = source.repeat(1 + r.nextInt(6));
                text.append("{\\\"path\\\":\\\"src/handler.py\\\",\\\"encoding\\\":\\\"base64\\\",\\\"sha\\\":\\\"").append(hex(r, 40))
                        .append("\\\",\\\"content\\\":\\\"").append(wrapped(Base64.getEncoder().encodeToString(file.getBytes(StandardCharsets.UTF_8)))).append("\\\"}");
            } else if (kind < 5) { // a screenshot: base64 of binary
                byte[] image = new byte[1024 + r.nextInt(4096)];
                r.nextBytes(image);
                text.append("image/png ").append(Base64.getEncoder().encodeToString(image));
            } else if (kind < 7) { // a redirect URL: percent-encoded, with base64url state
                String state = url.encodeToString(("{\"return_to\":\"/projects/" + r.nextInt(1000) + "\",\"nonce\":\"" + hex(r, 16) + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
                text.append("Location: https://login.northwind.internal/authorize?client_id=portal&redirect_uri=https%3A%2F%2Fapp.northwind.internal%2Fcb%3Fq%3D")
                        .append(r.nextInt(100)).append("%26lang%3Den&scope=openid%20profile&state=").append(state);
            } else if (kind < 9) { // checksums and a bearer token
                text.append("sha256:").append(hex(r, 64)).append(" commit ").append(hex(r, 40)).append(" md5 ").append(hex(r, 32))
                        .append("\\nAuthorization: Bearer ").append(DetectorsTest.JWT);
            } else { // an encoded secret
                byte[] secret = secrets[r.nextInt(secrets.length)].getBytes(StandardCharsets.UTF_8);
                switch (r.nextInt(3)) {
                    case 0 -> text.append("data=").append(Base64.getEncoder().encodeToString(secret));
                    case 1 -> text.append("blob ").append(HexFormat.of().formatHex(secret));
                    default -> {
                        StringBuilder pct = new StringBuilder();
                        for (byte b : secret) pct.append('%').append(String.format("%02X", b));
                        text.append("https://paste.example.net/new?body=").append(pct);
                    }
                }
            }
            sb.append("{\"jsonrpc\":\"2.0\",\"id\":").append(id++).append(",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"")
                    .append(text).append("\"}],\"isError\":false}}\n");
        }
        return sb.toString();
    }

    /** Lines of 76 characters, as base64 tools write them, separated by a line feed escaped twice (JSON inside a JSON string). */
    private static String wrapped(String base64) {
        StringBuilder sb = new StringBuilder(base64.length() + base64.length() / 38);
        for (int i = 0; i < base64.length(); i += 76) {
            if (i > 0) sb.append("\\\\n");
            sb.append(base64, i, Math.min(base64.length(), i + 76));
        }
        return sb.toString();
    }

    /** About {@code size} characters: a JSON array of random base64 strings, 16 to 200 characters, some padded. */
    static String base64Noise(int size) {
        Random r = new Random(5);
        StringBuilder sb = new StringBuilder(size + 256).append('[');
        while (sb.length() < size) {
            byte[] bytes = new byte[12 + r.nextInt(140)];
            r.nextBytes(bytes);
            sb.append('"').append(Base64.getEncoder().encodeToString(bytes)).append("\",");
        }
        sb.setCharAt(sb.length() - 1, ']');
        return sb.toString();
    }

    private static String hex(Random r, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) sb.append("0123456789abcdef".charAt(r.nextInt(16)));
        return sb.toString();
    }

    /**
     * Realistic tool results with both configurations; the encoded payloads with the built-in
     * detectors only (configured dictionaries and patterns do not change the decoding work).
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("cpu")) {
            cpuTime();
            return;
        }
        List<RunResult> results = new ArrayList<>();
        results.addAll(run("default,custom", "tool_results"));
        results.addAll(run("default", "encoded,base64_noise"));
        // On a shared machine other builds steal whole iterations: the slowest and fastest iteration are shown too.
        System.out.println();
        System.out.println("| benchmark | payload | config | ops/s (mean ± 99.9 %) | MB/s mean | MB/s slowest–fastest iteration |");
        System.out.println("|---|---|---|---|---|---|");
        for (RunResult rr : results) {
            String content = rr.getParams().getParam("content");
            int bytes = payload(content).getBytes(StandardCharsets.UTF_8).length;
            double ops = rr.getPrimaryResult().getScore();
            double min = Double.MAX_VALUE;
            double max = 0;
            for (var br : rr.getBenchmarkResults()) {
                for (var ir : br.getIterationResults()) {
                    min = Math.min(min, ir.getPrimaryResult().getScore());
                    max = Math.max(max, ir.getPrimaryResult().getScore());
                }
            }
            System.out.printf("| %s | %s (%,d bytes) | %s | %.1f ± %.1f | %.0f | %.0f–%.0f |%n", rr.getParams().getBenchmark().replaceAll(".*\\.", ""),
                    content, bytes, rr.getParams().getParam("config"), ops, rr.getPrimaryResult().getScoreError(), ops * bytes / 1e6,
                    min * bytes / 1e6, max * bytes / 1e6);
        }
    }

    /**
     * The same operations timed by the CPU time of the inspecting thread ({@code … InspectorBenchmark cpu}):
     * on a shared machine other processes take whole time slices from a wall-clock measurement, not from
     * this one, so it compares two builds more steadily. Five rounds after a warm-up; best and range.
     */
    static void cpuTime() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.println("| operation | payload | config | MB per CPU-second, best | rounds |");
        System.out.println("|---|---|---|---|---|");
        for (String[] run : new String[][] {{"tool_results", "default"}, {"tool_results", "custom"}, {"encoded", "default"}, {"base64_noise", "default"}}) {
            String payload = payload(run[0]);
            Inspector inspector = run[1].equals("default") ? DefaultInspector.withDefaults() : custom();
            int ops = Math.max(10, 50_000_000 / payload.length());
            for (String operation : new String[] {"inspect", "redact"}) {
                Runnable op = operation.equals("inspect") ? () -> inspector.inspect(payload, Set.of()) : () -> inspector.redact(payload, Set.of());
                for (int i = 0; i < ops; i++) op.run();
                double best = 0;
                StringBuilder rounds = new StringBuilder();
                for (int round = 0; round < 5; round++) {
                    long start = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < ops; i++) op.run();
                    double mbs = (double) payload.getBytes(StandardCharsets.UTF_8).length * ops / ((threads.getCurrentThreadCpuTime() - start) / 1e3);
                    best = Math.max(best, mbs);
                    rounds.append(round == 0 ? "" : " ").append(Math.round(mbs));
                }
                System.out.printf("| %s | %s | %s | %.0f | %s |%n", operation, run[0], run[1], best, rounds);
            }
        }
    }

    private static Collection<RunResult> run(String configs, String contents) throws Exception {
        return new Runner(new OptionsBuilder().include(InspectorBenchmark.class.getName()).param("config", configs.split(","))
                .param("content", contents.split(",")).build()).run();
    }
}
