package dev.gatehouse.inspection;

import dev.gatehouse.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
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
 * Inspection throughput on realistic MCP tool results: {@code tools/call} responses whose text
 * content is JSON (issue lists, query rows, log lines, customer records) with a finding every few
 * kilobytes (e-mail addresses, card numbers, tokens, a private key, an IBAN). One thread.
 * {@link #main} runs JMH and prints MB/s (payload bytes as UTF-8 × operations per second).
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

    private Inspector inspector;
    private String payload;

    @Setup
    public void setUp() {
        payload = payload(256 * 1024);
        inspector = "default".equals(config) ? DefaultInspector.withDefaults() : custom();
        InspectionResult r = inspector.inspect(payload, Set.of());
        if (r.findings().isEmpty()) throw new IllegalStateException("the payload must contain findings");
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

    private static String hex(Random r, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) sb.append("0123456789abcdef".charAt(r.nextInt(16)));
        return sb.toString();
    }

    public static void main(String[] args) throws Exception {
        int bytes = payload(256 * 1024).getBytes(StandardCharsets.UTF_8).length;
        Collection<RunResult> results = new Runner(new OptionsBuilder().include(InspectorBenchmark.class.getName()).build()).run();
        System.out.printf("%nPayload: %,d bytes of JSON-RPC tool results%n", bytes);
        // On a shared machine other builds steal whole iterations: the slowest and fastest iteration are shown too.
        System.out.println("| benchmark | config | ops/s (mean ± 99.9 %) | MB/s mean | MB/s slowest–fastest iteration |");
        System.out.println("|---|---|---|---|---|");
        for (RunResult rr : results) {
            double ops = rr.getPrimaryResult().getScore();
            double min = Double.MAX_VALUE;
            double max = 0;
            for (var br : rr.getBenchmarkResults()) {
                for (var ir : br.getIterationResults()) {
                    min = Math.min(min, ir.getPrimaryResult().getScore());
                    max = Math.max(max, ir.getPrimaryResult().getScore());
                }
            }
            System.out.printf("| %s | %s | %.1f ± %.1f | %.0f | %.0f–%.0f |%n", rr.getParams().getBenchmark().replaceAll(".*\\.", ""),
                    rr.getParams().getParam("config"), ops, rr.getPrimaryResult().getScoreError(), ops * bytes / 1e6,
                    min * bytes / 1e6, max * bytes / 1e6);
        }
    }
}
