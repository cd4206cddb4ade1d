package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import dev.gatehouse.audit.ChainVerifier;
import dev.gatehouse.client.GatehouseClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse audit tail|search|export|verify}: reading and checking the tamper-evident trail. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Read, export and verify the audit trail.",
        subcommands = {AuditCommand.Tail.class, AuditCommand.Search.class, AuditCommand.Export.class, AuditCommand.Verify.class})
public final class AuditCommand implements Runnable {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    /** Filters shared by tail and search; names match the query parameters of GET /v1/audit/events. */
    static final class Filters {
        @Option(names = "--identity", description = "Events about or by this identity.") String identity;
        @Option(names = "--owner", description = "Events whose subject is owned by this human.") String owner;
        @Option(names = "--task", description = "Task id.") String task;
        @Option(names = "--token", description = "Token id (jti).") String token;
        @Option(names = "--type", description = "Event type; a trailing * matches a prefix (identity.*).") String type;
        @Option(names = "--kind", description = "Subject identity kind: human, workload, agent.") String kind;
        @Option(names = "--decision", description = "allow, deny or hold (policy decisions).") String decision;
        @Option(names = "--category", description = "privileged or access.") String category;
        @Option(names = "--from", description = "ISO-8601 instant, inclusive.") String from;
        @Option(names = "--to", description = "ISO-8601 instant, exclusive.") String to;

        Map<String, String> query() {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("identity", identity);
            q.put("owner", owner);
            q.put("task", task);
            q.put("token", token);
            q.put("type", type);
            q.put("kind", kind);
            q.put("decision", decision);
            q.put("category", category);
            q.put("from", from);
            q.put("to", to);
            return q;
        }
    }

    static void printEvents(PrintWriter out, List<JsonNode> items) {
        Table t = new Table("SEQ", "TIME", "TYPE", "CATEGORY", "OUTCOME", "ACTOR", "SUBJECT", "REASON");
        for (JsonNode e : items) {
            t.row(e.path("seq").asText(), e.path("time").asText(), e.path("type").asText(), e.path("category").asText(),
                    text(e, "outcome"), text(e, "actor"), text(e, "subject"), text(e, "reason"));
        }
        t.print(out);
    }

    static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    @Command(name = "tail", mixinStandardHelpOptions = true, description = "Show the newest events; -f keeps following.")
    static final class Tail implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Mixin Filters filters;
        @Spec CommandLine.Model.CommandSpec spec;
        @Option(names = {"-n", "--lines"}, description = "How many recent events (default 20).") int lines = 20;
        @Option(names = {"-f", "--follow"}, description = "Keep printing new events as they are recorded.") boolean follow;
        @Option(names = "--interval", description = "Polling interval in milliseconds with -f (default 1000).") long interval = 1000;

        @Override
        public Integer call() throws Exception {
            if (lines < 1 || lines > 1000) throw new CommandLine.ParameterException(spec.commandLine(), "--lines must be 1..1000");
            GatehouseClient gh = client.client();
            PrintWriter out = spec.commandLine().getOut();
            Map<String, String> q = filters.query();
            q.put("order", "desc");
            q.put("limit", Integer.toString(lines));
            List<JsonNode> recent = new ArrayList<>();
            gh.get("v1/audit/events", q).get("items").forEach(recent::add);
            Collections.reverse(recent);
            emit(out, recent);
            long after = recent.isEmpty() ? 0 : recent.get(recent.size() - 1).get("seq").asLong();
            if (recent.isEmpty()) {
                // nothing matched yet: follow from the current head, not from the beginning
                Map<String, String> head = new LinkedHashMap<>();
                head.put("order", "desc");
                head.put("limit", "1");
                JsonNode last = gh.get("v1/audit/events", head).get("items");
                after = last.size() == 0 ? 0 : last.get(0).get("seq").asLong();
            }
            while (follow) {
                Thread.sleep(interval);
                Map<String, String> next = filters.query();
                next.put("after", Long.toString(after));
                next.put("limit", "1000");
                List<JsonNode> items = new ArrayList<>();
                gh.get("v1/audit/events", next).get("items").forEach(items::add);
                if (!items.isEmpty()) {
                    emit(out, items);
                    after = items.get(items.size() - 1).get("seq").asLong();
                }
            }
            return 0;
        }

        private void emit(PrintWriter out, List<JsonNode> items) {
            if (client.json()) {
                // one JSON object per line, so -f output can be piped into line-oriented tools
                for (JsonNode e : items) out.println(e.toString());
                out.flush();
            } else if (!items.isEmpty()) {
                printEvents(out, items);
            }
        }
    }

    @Command(name = "search", mixinStandardHelpOptions = true, description = "Find events by filters, one page at a time.")
    static final class Search implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Mixin Filters filters;
        @Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--limit", description = "Page size (default 100, at most 1000).") int limit = 100;
        @Option(names = "--after", description = "Cursor: the 'next' value printed by the previous page.") String after;
        @Option(names = "--newest-first", description = "Newest events first.") boolean newestFirst;

        @Override
        public Integer call() {
            Map<String, String> q = filters.query();
            q.put("limit", Integer.toString(limit));
            q.put("after", after);
            if (newestFirst) q.put("order", "desc");
            JsonNode page = client.client().get("v1/audit/events", q);
            PrintWriter out = spec.commandLine().getOut();
            if (client.json()) {
                ClientOptions.printJson(out, page);
                return 0;
            }
            List<JsonNode> items = new ArrayList<>();
            page.get("items").forEach(items::add);
            printEvents(out, items);
            if (page.hasNonNull("next")) out.println("more: --after " + page.get("next").asText());
            out.flush();
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the chain as JSON Lines (records, then signed checkpoints) for archiving or `audit verify`.")
    static final class Export implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--since", description = "A seq (records after it) or an ISO-8601 instant; verify such an export with --partial.")
        String since;
        @Option(names = "--format", description = "jsonl (default: the verifiable chain with checkpoints) or ocsf (OCSF 1.3 events for a SIEM).")
        String format = "jsonl";
        @Option(names = "--out", description = "File to write (default: standard output).") Path outFile;
        @Option(names = "--jwks-out", description = "Also save the checkpoint verification keys (JWK Set) to this file.") Path jwksOut;

        @Override
        public Integer call() throws Exception {
            GatehouseClient gh = client.client();
            Map<String, String> q = new LinkedHashMap<>();
            q.put("since", since);
            q.put("format", format);
            long records = 0;
            try (InputStream in = gh.stream("v1/audit/export", q)) {
                if (outFile != null) {
                    try (OutputStream out = Files.newOutputStream(outFile)) {
                        in.transferTo(out);
                    }
                    try (var lines = Files.lines(outFile)) {
                        records = lines.filter(l -> !l.startsWith("{\"checkpoint\"")).count();
                    }
                } else {
                    in.transferTo(System.out);
                    System.out.flush();
                }
            }
            if (jwksOut != null) {
                Files.writeString(jwksOut, gh.get("v1/audit/jwks").toPrettyString());
            }
            if (outFile != null) {
                spec.commandLine().getErr().println("exported " + records + " records to " + outFile);
                spec.commandLine().getErr().flush();
            }
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check the hash chain and signed checkpoints; exit 0 only when intact. Offline with --file.")
    static final class Verify implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--file", description = "An export (JSON Lines). Without it the server's current export is verified.") Path file;
        @Option(names = "--jwks", description = "JWK Set file of the checkpoint keys (from `audit export --jwks-out`). "
                + "Offline without it, checkpoint signatures are not checked.") Path jwks;
        @Option(names = "--checkpoints", description = "Checkpoints kept elsewhere: GET /v1/audit/checkpoints output, "
                + "an export, or one compact JWS per line. Detects truncation of exports that lost their checkpoint lines.") List<Path> checkpoints = new ArrayList<>();
        @Option(names = "--partial", description = "The export starts after seq 1 (made with --since).") boolean partial;

        @Override
        public Integer call() throws Exception {
            Iterable<String> lines;
            JWKSet keys = jwks == null ? null : readJwks(jwks);
            String source;
            if (file != null) {
                if (!Files.isRegularFile(file)) throw new IllegalArgumentException("--file " + file + " is not a readable file");
                lines = fileLines(file);
                source = file.toString();
            } else {
                GatehouseClient gh = client.client();
                try (BufferedReader r = new BufferedReader(new InputStreamReader(gh.stream("v1/audit/export", Map.of()), StandardCharsets.UTF_8))) {
                    lines = r.lines().toList();
                }
                if (keys == null) keys = JWKSet.parse(gh.get("v1/audit/jwks").toString());
                source = gh.base().toString();
            }
            List<String> extra = new ArrayList<>();
            for (Path p : checkpoints) extra.addAll(readCheckpoints(p));
            ChainVerifier.Result result = ChainVerifier.verify(lines, extra, keys, partial);
            PrintWriter out = spec.commandLine().getOut();
            if (client.json()) {
                ObjectNode node = new ObjectMapper().valueToTree(result);
                node.put("intact", result instanceof ChainVerifier.Intact);
                node.put("source", source);
                ClientOptions.printJson(out, node);
            } else if (result instanceof ChainVerifier.Intact ok) {
                out.println("intact: " + ok.records() + " records (seq " + ok.firstSeq() + ".." + ok.lastSeq() + "), last hash " + ok.lastHash());
                out.println("checkpoints matched: " + ok.checkpointsMatched() + (ok.signaturesVerified() ? " (signatures verified)" : ""));
                for (String w : ok.warnings()) out.println("warning: " + w);
            } else {
                ChainVerifier.Broken bad = (ChainVerifier.Broken) result;
                out.println("TAMPERED at seq " + bad.seq() + ": " + bad.problem());
            }
            out.flush();
            return result instanceof ChainVerifier.Intact ? 0 : 1;
        }

        /** Streams the file on each pass (the verifier reads it twice) instead of holding it in memory. */
        private static Iterable<String> fileLines(Path path) {
            return () -> {
                try {
                    BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
                    return new java.util.Iterator<String>() {
                        String next = advance();

                        private String advance() {
                            try {
                                String line = reader.readLine();
                                if (line == null) reader.close();
                                return line;
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException("cannot read " + path, e);
                            }
                        }

                        @Override public boolean hasNext() { return next != null; }

                        @Override public String next() {
                            if (next == null) throw new java.util.NoSuchElementException();
                            String current = next;
                            next = advance();
                            return current;
                        }
                    };
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("cannot read " + path, e);
                }
            };
        }

        private static JWKSet readJwks(Path path) throws IOException {
            JsonNode node = new ObjectMapper().readTree(path.toFile());
            if (node != null && node.has("jwks")) node = node.get("jwks"); // a saved GET /v1/audit/checkpoints answer
            try {
                return JWKSet.parse(node == null ? "" : node.toString());
            } catch (java.text.ParseException e) {
                throw new IllegalArgumentException("--jwks " + path + " is not a JWK Set");
            }
        }

        private static List<String> readCheckpoints(Path path) throws IOException {
            String text = Files.readString(path, StandardCharsets.UTF_8).strip();
            List<String> out = new ArrayList<>();
            ObjectMapper json = new ObjectMapper();
            if (text.startsWith("{")) {
                JsonNode whole = json.readTree(text); // first document only when the file is JSON Lines
                if (whole != null && whole.has("items")) {
                    whole.get("items").forEach(i -> out.add(i.path("jws").asText()));
                    return out;
                }
            }
            for (String line : text.split("\n")) {
                line = line.strip();
                if (line.isEmpty()) continue;
                if (line.startsWith("{")) {
                    JsonNode node = json.readTree(line);
                    if (node.has("checkpoint")) out.add(node.get("checkpoint").path("jws").asText());
                } else {
                    out.add(line);
                }
            }
            return out;
        }
    }
}
