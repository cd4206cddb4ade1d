package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.cli.Main;
import dev.gatehouse.client.GatehouseClient;
import dev.gatehouse.core.Json;
import dev.gatehouse.testing.TestGatehouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `gatehouse trace` on a real server. Task, token and decision events are appended through the
 * AuditLog contract exactly as the credentials and policy features emit them (those features live
 * on other branches); lifecycle changes go through the real registry API.
 */
class AuditTraceTest {
    @TempDir Path dir;
    TestGatehouse gh;
    GatehouseClient admin;
    String savedHome;

    @BeforeEach
    void start() throws Exception {
        gh = TestGatehouse.start(dir.resolve("data"));
        admin = gh.client();
        // The CLI reads its server and token from ~/.config/gatehouse/cli.yaml when no environment is set.
        savedHome = System.getProperty("user.home");
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".config/gatehouse"));
        Files.writeString(home.resolve(".config/gatehouse/cli.yaml"),
                "server: " + gh.baseUri() + "\ntoken: " + TestGatehouse.ADMIN_TOKEN + "\n");
        System.setProperty("user.home", home.toString());
    }

    @AfterEach
    void stop() throws Exception {
        System.setProperty("user.home", savedHome);
        gh.close();
    }

    private record Run(int exit, String out) {}

    private static Run cli(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.run(args);
            return new Run(exit, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }

    private void register(String human, String agent) {
        admin.post("v1/identities", Map.of("id", human, "kind", "human", "displayName", human, "email", human + "@example.com"));
        admin.post("v1/identities", Map.of("id", agent, "kind", "agent", "displayName", agent, "owner", human,
                "purpose", "triage", "environment", "dev", "autonomy", "autonomous",
                "scope", Map.of("tools", List.of("git/*"), "effects", List.of("read", "write"))));
    }

    /** A task as the credentials and policy features record it: started, token issued, two decisions. */
    private void runTask(String task, String jti, String agent, String owner) {
        AuditLog log = gh.gatehouse().audit();
        log.record(AuditEvent.of("task.started", AuditEvent.Category.PRIVILEGED, "success", "identity:" + agent)
                .withSubject(agent, "agent", owner).withDelegation(owner, List.of(owner, agent)).withTask(task, null)
                .withReason("intent: triage issues").withDetail(Map.of("expiresAt", "2030-01-01T00:15:00Z")));
        log.record(AuditEvent.of("token.issued", AuditEvent.Category.PRIVILEGED, "success", "identity:" + agent)
                .withSubject(agent, "agent", owner).withDelegation(owner, List.of(owner, agent)).withTask(task, jti)
                .withDetail(Map.of("expiresAt", "2030-01-01T00:15:00Z", "scope", List.of("git/read_file"))));
        log.record(AuditEvent.of("policy.decision", AuditEvent.Category.ACCESS, "allow", "identity:" + agent)
                .withSubject(agent, "agent", owner).withDelegation(owner, List.of(owner, agent)).withTask(task, jti)
                .withAction("read", "git/read_file").withPolicy(List.of("allow-triage-reads"), "v3"));
        log.record(AuditEvent.of("policy.decision", AuditEvent.Category.PRIVILEGED, "deny", "identity:" + agent)
                .withSubject(agent, "agent", owner).withDelegation(owner, List.of(owner, agent)).withTask(task, jti)
                .withAction("write", "git/push").withPolicy(List.of("forbid-agent-push"), "v3"));
    }

    @Test
    void taskEndedByIdentityRetirementAnswersAllFourQuestions() throws Exception {
        register("alice", "triager");
        admin.post("v1/identities/triager/suspend", Map.of("reason", "before the task: must not count"));
        admin.post("v1/identities/triager/reactivate", Map.of("reason", "cleared"));
        runTask("task-1", "jti-1", "triager", "alice");
        admin.post("v1/identities/triager/retire", Map.of("reason", "agent decommissioned"));

        JsonNode t = admin.get("v1/audit/trace/task-1");
        assertThat(t.get("about").asText()).isEqualTo("task");
        JsonNode who = t.get("who");
        assertThat(who.get("identity").asText()).isEqualTo("triager");
        assertThat(who.get("identityKind").asText()).isEqualTo("agent");
        assertThat(who.get("owner").asText()).isEqualTo("alice");
        assertThat(who.get("onBehalfOf").asText()).isEqualTo("alice");
        assertThat(who.get("chain")).extracting(JsonNode::asText).containsExactly("alice", "triager");
        assertThat(t.get("policy")).hasSize(2);
        assertThat(t.get("policy").get(0).get("policies").get(0).asText()).isEqualTo("allow-triage-reads");
        assertThat(t.get("policy").get(1).get("decision").asText()).isEqualTo("deny");
        assertThat(t.get("policy").get(1).get("policyVersion").asText()).isEqualTo("v3");
        JsonNode end = t.get("ending");
        assertThat(end.get("ended").asBoolean()).isTrue();
        assertThat(end.get("event").asText()).isEqualTo("identity.retire");
        assertThat(end.get("by").asText()).startsWith("admin-token:");
        assertThat(end.get("why").asText()).isEqualTo("agent decommissioned");

        Run human = cli("trace", "task-1");
        assertThat(human.exit()).isZero();
        assertThat(human.out()).contains("Who requested access", "triager", "alice -> triager", "Which identity type", "agent",
                "What policy was applied", "allow-triage-reads", "forbid-agent-push", "v3", "How access ended",
                "identity.retire", "agent decommissioned");
        Run json = cli("trace", "jti-1", "--output", "json");
        assertThat(json.exit()).isZero();
        JsonNode byToken = Json.MAPPER.readTree(json.out());
        assertThat(byToken.get("about").asText()).isEqualTo("token");
        assertThat(byToken.get("ending").get("event").asText()).isEqualTo("identity.retire");

        JsonNode byIdentity = admin.get("v1/audit/trace/triager");
        assertThat(byIdentity.get("about").asText()).isEqualTo("identity");
        assertThat(byIdentity.get("who").get("startedBy").asText()).startsWith("admin-token:");
        assertThat(byIdentity.get("ending").get("why").asText()).isEqualTo("agent decommissioned");
    }

    @Test
    void unendedTaskIsStillActiveWithItsExpiry() {
        register("bob", "helper");
        runTask("task-2", "jti-2", "helper", "bob");
        Run out = cli("trace", "task-2");
        assertThat(out.exit()).isZero();
        assertThat(out.out()).contains("still active, expires at 2030-01-01T00:15:00Z");
    }

    @Test
    void ownerOffboardingEndsTheAgentsTask() {
        register("carol", "runner");
        runTask("task-3", "jti-3", "runner", "carol");
        admin.post("v1/identities/carol/retire", Map.of("reason", "left the company"));
        JsonNode end = admin.get("v1/audit/trace/task-3").get("ending");
        assertThat(end.get("ended").asBoolean()).isTrue();
        assertThat(end.get("why").asText()).isEqualTo("owner carol offboarded (left the company)");
    }

    @Test
    void anActiveIdentityIsStillActiveAfterOneOfItsTokensIsRevoked() {
        register("erin", "watcher");
        runTask("task-4", "jti-4", "watcher", "erin");
        gh.gatehouse().audit().record(AuditEvent.of("token.revoked", AuditEvent.Category.PRIVILEGED, "success", "admin-token:x")
                .withSubject("watcher", "agent", "erin").withTask("task-4", "jti-4").withReason("rotated"));
        assertThat(admin.get("v1/audit/trace/jti-4").get("ending").get("event").asText()).isEqualTo("token.revoked");
        JsonNode identity = admin.get("v1/audit/trace/watcher").get("ending");
        assertThat(identity.get("ended").asBoolean()).as("the identity itself is still active: " + identity).isFalse();
        admin.post("v1/identities/watcher/suspend", Map.of("reason", "paused"));
        assertThat(admin.get("v1/audit/trace/watcher").get("ending").get("event").asText()).isEqualTo("identity.suspend");
    }

    @Test
    void issuanceScopeChecksAreLabelledAndTheGatewaysPerHopDecisionsAreNotListedAsCalls() {
        register("fay", "fetcher");
        AuditLog log = gh.gatehouse().audit();
        log.record(AuditEvent.of("policy.decision", AuditEvent.Category.ACCESS, "allow", "system")
                .withSubject("fetcher", "agent", "fay").withTask("task-5", null).withAction("write", "mail/send_email")
                .withPolicy(List.of("allow-mail"), "v1").withDetail(Map.of("purpose", "scope_check")));
        log.record(AuditEvent.of("policy.decision", AuditEvent.Category.ACCESS, "deny", "system")
                .withSubject("fetcher", "agent", "fay").withTask("task-5", "jti-5").withAction("write", "mail/send_email")
                .withPolicy(List.of("no-egress-after-restricted-read"), "v1"));
        log.record(AuditEvent.of("gateway.call", AuditEvent.Category.PRIVILEGED, "deny", "identity:fetcher")
                .withSubject("fetcher", "agent", "fay").withTask("task-5", "jti-5").withAction("write", "mail/send_email")
                .withPolicy(List.of("no-egress-after-restricted-read"), "v1").withReason("forbidden"));
        JsonNode policy = admin.get("v1/audit/trace/task-5").get("policy");
        assertThat(policy).hasSize(2);
        assertThat(policy.get(0).get("step").asText()).isEqualTo("scope check");
        assertThat(policy.get(1).get("step").asText()).isEqualTo("tool call");
        assertThat(policy.get(1).get("decision").asText()).isEqualTo("deny");
        assertThat(cli("trace", "task-5").out()).contains("STEP").contains("scope check").contains("tool call");
    }

    @Test
    void unknownIdIsNotFoundAndTheCliSaysSo() {
        assertThat(cli("trace", "no-such-thing").exit()).isEqualTo(1);
    }

    @Test
    void tailAndSearchPrintRecordedEvents() throws Exception {
        register("dave", "sorter");
        Run tail = cli("audit", "tail", "-n", "3", "--type", "identity.*");
        assertThat(tail.exit()).isZero();
        assertThat(tail.out()).contains("SEQ", "identity.create", "sorter");
        Run search = cli("audit", "search", "--identity", "sorter", "--limit", "1", "--output", "json");
        assertThat(search.exit()).isZero();
        JsonNode page = Json.MAPPER.readTree(search.out());
        assertThat(page.get("items")).hasSize(1);
        Run bad = cli("audit", "search", "--category", "everything");
        assertThat(bad.exit()).isEqualTo(1);

        Path file = dir.resolve("export.jsonl");
        assertThat(cli("audit", "export", "--out", file.toString(), "--jwks-out", dir.resolve("jwks.json").toString()).exit()).isZero();
        assertThat(Files.readAllLines(file)).anyMatch(l -> l.contains("\"identity.create\""));
        assertThat(cli("audit", "verify", "--file", file.toString(), "--jwks", dir.resolve("jwks.json").toString()).exit()).isZero();
        assertThat(cli("audit", "verify").exit()).as("online verification of the live chain").isZero();
    }
}
