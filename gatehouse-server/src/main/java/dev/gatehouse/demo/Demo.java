package dev.gatehouse.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.cli.Main;
import dev.gatehouse.client.GatehouseClient;
import dev.gatehouse.client.McpClient;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.core.Secrets;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code gatehouse demo}: starts Gatehouse on a fresh embedded store and the bundled upstream MCP
 * server, then plays the product's story through the real APIs — the same calls an operator, an
 * agent and an approver would make — narrating each step. Returns false when any step does not
 * behave as told, so the demo doubles as an end-to-end check.
 */
public final class Demo {
    static final String MARKER = ".gatehouse-demo";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVER = "demo-tools";

    private final Path data;
    private final PrintWriter out;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean ok = true;
    private int step;

    public Demo(Path data, PrintWriter out) {
        this.data = data.toAbsolutePath();
        this.out = out;
    }

    public boolean run() throws Exception {
        return run(false);
    }

    /**
     * Plays the story; with {@code keep}, Gatehouse and the demo tool server stay up afterwards (the
     * agent's client secret saved beside the store) and the commands to try next are printed, until
     * {@link #stop()} (Ctrl-C).
     */
    public boolean run(boolean keep) throws Exception {
        prepareDataDirectory();
        String adminToken = new Secrets(new SecureRandom()).newSecret("gha_demo.");
        try (DemoToolServer upstream = new DemoToolServer().start();
             Gatehouse gatehouse = new Gatehouse(ConfigLoader.load(null, Map.of(),
                     // A checkpoint every 10 records, so the offline verification at the end has signed anchors; the bundled
                     // tool server listens on loopback, which Gatehouse refuses to reach unless outbound.allow lists it.
                     Map.of("server.port", "0", "dataDir", data.toString(), "audit.checkpointEvery", "10",
                             "outbound.allow", "127.0.0.1/32")), Clock.systemUTC())) {
            gatehouse.bootstrap(adminToken);
            gatehouse.seedStarterPolicies();
            gatehouse.start();
            URI base = URI.create("http://127.0.0.1:" + gatehouse.port() + "/");
            GatehouseClient admin = new GatehouseClient(base, adminToken);
            out.println("Gatehouse demo — server at " + base + ", store in " + data);
            out.println("Upstream MCP server (stands for a vendor's tools) at " + upstream.url());
            Story story = new Story(gatehouse, base, admin, adminToken, upstream);
            story.play();
            out.println();
            out.println(ok ? "Demo complete: every step behaved as described." : "Demo finished with unexpected results (see above).");
            if (keep) {
                keepRunning(base, adminToken, story.agentPrivateJwk);
                return ok;
            }
        }
        out.println("Inspect what it left:  ./gatehouse serve --data " + data + "   (then, in another shell)");
        out.println("  export GATEHOUSE_TOKEN=<the admin token printed at the top>   ./gatehouse identity list   ./gatehouse audit tail");
        out.flush();
        return ok;
    }

    /** Ends a {@code run(true)}: both servers stop and {@link #run(boolean)} returns. */
    public void stop() { stopped.countDown(); }

    private void keepRunning(URI base, String adminToken, String agentPrivateJwk) throws IOException, InterruptedException {
        Path keyFile = data.resolve("support-agent.jwk");
        Files.writeString(keyFile, agentPrivateJwk + "\n");
        try {
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: the directory's own permissions protect it
        }
        String server = base.toString().replaceAll("/$", "");
        out.println();
        out.println("Gatehouse (" + server + ") and the demo tool server keep running; Ctrl-C stops both. Try, in another shell:");
        out.println();
        out.println("  export GATEHOUSE_SERVER=" + server + " GATEHOUSE_TOKEN=" + adminToken);
        out.println("  export GATEHOUSE_TASK_TOKEN=$(./gatehouse token issue --client-id support-agent --key-file " + keyFile
                + " --intent \"look around\")");
        out.println("  ./gatehouse mcp tools " + SERVER);
        out.println("  ./gatehouse mcp call " + SERVER + " search_docs --args '{\"query\":\"billing\"}'");
        out.println("  ./gatehouse mcp call " + SERVER + " lookup_customer --args '{\"customer_id\":\"c-1042\"}'");
        out.println("  ./gatehouse mcp call " + SERVER + " send_email --args '{\"to\":\"a@outside.example\",\"subject\":\"hi\",\"body\":\"hello\"}'"
                + "   # refused: the task has read restricted data");
        out.println("  ./gatehouse trace support-agent");
        out.println();
        out.println("An MCP client connects to " + server + "/mcp/" + SERVER + " with the header \"Authorization: Bearer <task token>\""
                + " (configurations: docs/agents.md).");
        out.flush();
        stopped.await();
    }

    /** A previous demo's directory is replaced; any other non-empty directory is left alone. */
    private void prepareDataDirectory() throws IOException {
        if (Files.exists(data)) {
            try (Stream<Path> entries = Files.list(data)) {
                if (entries.findAny().isPresent() && !Files.exists(data.resolve(MARKER))) {
                    throw new IllegalArgumentException(data + " exists and was not made by the demo; choose another --data");
                }
            }
            try (Stream<Path> walk = Files.walk(data)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        Files.createDirectories(data);
        Files.writeString(data.resolve(MARKER), "created by gatehouse demo\n");
    }

    private final class Story {
        final Gatehouse gatehouse;
        final URI base;
        final GatehouseClient admin;
        final String adminToken;
        final DemoToolServer upstream;
        /** The agent's private key (JWK), for the commands {@code --keep} suggests. */
        String agentPrivateJwk;

        Story(Gatehouse gatehouse, URI base, GatehouseClient admin, String adminToken, DemoToolServer upstream) {
            this.gatehouse = gatehouse;
            this.base = base;
            this.admin = admin;
            this.adminToken = adminToken;
            this.upstream = upstream;
        }

        void play() throws Exception {
            section("The inventory: a human owner, an agent she owns, a service account");
            out.println("  admin token for this demo store (inspect with it afterwards): " + adminToken);
            admin.post("v1/identities", Map.of("id", "maria", "kind", "human", "displayName", "Maria Lopez",
                    "email", "maria.lopez@example.com", "department", "customer support"));
            admin.post("v1/identities", Map.of("id", "support-agent", "kind", "agent", "displayName", "Support agent",
                    "owner", "maria", "purpose", "resolves customer support tickets", "environment", "prod",
                    "autonomy", "autonomous", "model", "any-llm",
                    "scope", Map.of("tools", List.of(SERVER + "/*"), "effects", List.of("read", "write", "execute"))));
            admin.post("v1/identities", Map.of("id", "nightly-export", "kind", "workload", "displayName", "Nightly export job",
                    "owner", "maria", "purpose", "exports the day's tickets to the data warehouse", "environment", "prod",
                    "scope", Map.of("tools", List.of("warehouse/load_rows"), "effects", List.of("write"))));
            admin.post("v1/tool-servers", Map.of("id", SERVER, "displayName", "Support tools", "url", upstream.url(),
                    "trust", "approved", "destination", "internal", "tools", List.of(
                            tool("lookup_customer", "read", "medium", "internal"),
                            tool("search_docs", "read", "low", "internal"),
                            tool("send_email", "write", "medium", "external"),
                            tool("post_to_pastebin", "write", "high", "external"),
                            tool("deploy_service", "execute", "critical", "internal"))));
            cli("identity", "list");
            say("Every non-human identity has a human owner, a purpose, an environment and a declared scope.");

            section("The agent authenticates and opens a task");
            // A production agent proves itself with its own key (private_key_jwt): Gatehouse keeps only the public half,
            // and the starter pack lets no client secret change anything in prod.
            ECKey agentKey = new ECKeyGenerator(Curve.P_256).keyID("support-agent-1").generate();
            admin.post("v1/identities/support-agent/credentials", Map.of("type", "private_key_jwt", "jwk", agentKey.toPublicJWK().toJSONObject()));
            say("the agent's key is registered (public half only): it signs a one-minute assertion instead of sending a secret.");
            agentPrivateJwk = agentKey.toJSONString();
            JsonNode issued = token(agentPrivateJwk, "resolve ticket #4711: customer cannot update billing details");
            String token = issued.path("access_token").asText();
            String taskId = issued.path("task_id").asText();
            say("task " + taskId + " — intent \"resolve ticket #4711\", scope '" + issued.path("scope").asText()
                    + "', token expires in " + issued.path("expires_in").asLong() / 60 + " minutes.");
            say("No standing secret reaches the tools: the agent holds only this short-lived task token.");

            McpClient agent = new McpClient(base.resolve("mcp/" + SERVER), token, "gatehouse-demo-agent");
            expect(!agent.initialize().isError(), "the agent connects to the gateway (MCP over Streamable HTTP)");
            McpClient.Answer listed = agent.listTools();
            say("tools the agent is shown: " + toolNames(listed.result()));

            section("An allowed read, then a read of restricted data");
            McpClient.Answer docs = agent.callTool("search_docs", args("query", "update billing details"));
            expect(!docs.isError() && !docs.result().path("isError").asBoolean(), "search_docs is allowed: " + text(docs));
            McpClient.Answer record = agent.callTool("lookup_customer", args("customer_id", "c-1042"));
            expect(!record.isError() && !record.result().path("isError").asBoolean(),
                    "lookup_customer is allowed; the gateway inspects the result: it holds a card number and an email");
            say("the task's session is now tainted: it has read restricted data.");

            section("The agent tries to send that data out");
            String leaked = text(record);
            McpClient.Answer email = agent.callTool("send_email",
                    args("to", "someone@outside.example", "subject", "customer record", "body", leaked));
            expect(email.isError(), "send_email (external) is refused: " + email.errorText());
            say("the audit trail records the rules that refused it: " + refusingPolicies(taskId, "send_email"));
            McpClient.Answer paste = agent.callTool("post_to_pastebin", args("content", "customer summary, no data"));
            expect(paste.isError(), "post_to_pastebin (another external tool, even without the data) is refused: " + paste.errorText());
            say("refused by: " + refusingPolicies(taskId, "post_to_pastebin") + " — the agent cannot route around the block.");
            expect(upstream.calls("send_email") == 0 && upstream.calls("post_to_pastebin") == 0, "neither call reached the upstream server");

            section("A production deploy needs its owner's approval");
            ObjectNode deploy = args("service", "billing-api", "version", "2.4.1", "environment", "prod");
            McpClient.Answer held = agent.callTool("deploy_service", deploy);
            JsonNode pending = admin.get("v1/approvals", Map.of("status", "pending")).path("items");
            expect(pending.size() == 1 && upstream.calls("deploy_service") == 0,
                    "deploy_service is held, not run: " + (held.isError() ? held.errorText() : text(held)));
            String approvalId = pending.get(0).path("id").asText();
            approve(approvalId, "maria", "release approved in change ticket CHG-2291");
            say("maria (the agent's owner) approves request " + approvalId + " — she is a human and not the requester.");
            McpClient.Answer ran = agent.callTool("deploy_service", deploy);
            expect(!ran.isError() && upstream.calls("deploy_service") == 1, "the retried call runs once: " + text(ran));
            McpClient.Answer replay = agent.callTool("deploy_service", deploy);
            expect(upstream.calls("deploy_service") == 1, "a replay of the same call does not run again (the grant was used): "
                    + (replay.isError() ? replay.errorText() : text(replay)));

            section("The task completes; its token stops working at once");
            admin.post("v1/tasks/" + taskId + "/complete", Map.of());
            McpClient.Answer after = agent.callTool("search_docs", args("query", "anything"));
            expect(after.status() == 401 || after.isError(), "a call after completion is refused (HTTP " + after.status() + ")");

            section("The audit trail answers the four questions, and it is intact");
            cli("trace", taskId);
            Path export = data.resolve("audit-export.jsonl");
            Path jwks = data.resolve("audit-jwks.json");
            cli("audit", "export", "--out", export.toString(), "--jwks-out", jwks.toString());
            int verified = cli("audit", "verify", "--file", export.toString(), "--jwks", jwks.toString());
            expect(verified == 0, "gatehouse audit verify (offline, on the export): the hash chain and its signed checkpoints are intact");
        }

        private Map<String, Object> tool(String name, String effect, String risk, String destination) {
            return Map.of("name", name, "effect", effect, "risk", risk, "destination", destination);
        }

        private JsonNode token(String privateJwk, String intent) {
            return new GatehouseClient(base, null).requestTaskTokenWithKey("support-agent", privateJwk, intent, SERVER + "/* read write execute", 600);
        }

        /** Policy ids of the latest refused gateway call of {@code tool} in the task, from the audit trail. */
        private String refusingPolicies(String taskId, String tool) {
            JsonNode events = admin.get("v1/audit/events", Map.of("task", taskId, "type", "gateway.call", "decision", "deny"));
            String found = "(none recorded)";
            for (JsonNode e : events.path("items")) {
                if (e.path("resource").asText().endsWith("/" + tool) && e.path("policies").size() > 0) {
                    List<String> ids = new java.util.ArrayList<>();
                    e.path("policies").forEach(p -> ids.add(p.asText()));
                    found = String.join(", ", ids);
                }
            }
            return found;
        }

        /** The owner approves with her own approver credential (an admin cannot approve for her). */
        private void approve(String approvalId, String human, String reason) {
            String approverToken = admin.post("v1/identities/" + human + "/approver-tokens", Map.of("name", "demo")).path("token").asText();
            new GatehouseClient(base, approverToken).post("v1/approvals/" + approvalId + "/approve", Map.of("reason", reason));
        }

        /** Runs a CLI command against the demo server, indented into the narration. */
        private int cli(String... args) {
            StringWriter buffer = new StringWriter();
            int exit = Main.run(Map.of("GATEHOUSE_SERVER", base.toString(), "GATEHOUSE_TOKEN", adminToken),
                    new PrintWriter(buffer, true), new PrintWriter(buffer, true), args);
            out.println("  $ gatehouse " + String.join(" ", args));
            buffer.toString().lines().forEach(l -> out.println("    " + l));
            return exit;
        }
    }

    private void section(String title) {
        out.println();
        out.println(++step + ". " + title);
        out.flush();
    }

    private void say(String line) {
        out.println("   " + line);
        out.flush();
    }

    private void expect(boolean condition, String line) {
        out.println((condition ? "   ✔ " : "   ✘ UNEXPECTED: ") + line);
        out.flush();
        ok &= condition;
    }

    private static ObjectNode args(String... kv) {
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i < kv.length; i += 2) node.put(kv[i], kv[i + 1]);
        return node;
    }

    private static String text(McpClient.Answer answer) {
        JsonNode content = answer.result() == null ? null : answer.result().path("content");
        if (content == null || !content.isArray() || content.isEmpty()) return "";
        return content.get(0).path("text").asText();
    }

    private static String toolNames(JsonNode result) {
        if (result == null) return "(none)";
        StringBuilder sb = new StringBuilder();
        for (JsonNode t : result.path("tools")) sb.append(sb.length() == 0 ? "" : ", ").append(t.path("name").asText());
        return sb.toString();
    }
}
