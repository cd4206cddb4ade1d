package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.audit.AuditQuery;
import dev.gatehouse.testing.Cli;
import dev.gatehouse.testing.Cli.Run;
import dev.gatehouse.testing.TestGatehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The foundation's acceptance walk, through the CLI (in-process) against a real running server. */
class CliAcceptanceTest {
    @TempDir
    Path tmp;
    TestGatehouse server;
    Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        server = TestGatehouse.start(tmp.resolve("data"));
        env = Cli.adminEnv(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    Run gatehouse(String... args) {
        return gatehouseWith(env, args);
    }

    static Run gatehouseWith(Map<String, String> env, String... args) {
        return Cli.run(env, args);
    }

    @Test
    void registerListSuspendRetireAndOrphan() throws Exception {
        assertThat(gatehouse("identity", "add", "alice", "--kind", "human", "--name", "Alice Example", "--email", "alice@example.com").exit()).isZero();
        Run agent = gatehouse("identity", "add", "triage-bot", "--kind", "agent", "--name", "Triage bot", "--owner", "alice",
                "--purpose", "triages support tickets", "--env", "prod", "--tool", "zendesk/*", "--effect", "read",
                "--autonomy", "assistive", "--model", "some-model", "--tag", "team:support");
        assertThat(agent.exit()).as(agent.err()).isZero();
        assertThat(agent.out()).contains("triage-bot").contains("alice").contains("zendesk/*");
        assertThat(gatehouse("identity", "add", "deployer", "--kind", "workload", "--name", "Deployer", "--owner", "alice",
                "--purpose", "deploys", "--env", "prod", "--tool", "k8s/rollout", "--effect", "execute").exit()).isZero();

        Run agents = gatehouse("identity", "list", "--kind", "agent", "--output", "json");
        assertThat(agents.json().path("items")).extracting(n -> n.path("id").asText()).containsExactly("triage-bot");
        Run table = gatehouse("identity", "list", "--kind", "workload");
        assertThat(table.out()).contains("ID").contains("deployer").doesNotContain("triage-bot").doesNotContain("alice@");

        Run suspended = gatehouse("identity", "suspend", "deployer", "--reason", "credential leak suspected", "-o", "json");
        assertThat(suspended.json().path("status").asText()).isEqualTo("suspended");
        Run retired = gatehouse("identity", "retire", "deployer", "--reason", "replaced by pipeline v2", "-o", "json");
        assertThat(retired.json().path("status").asText()).isEqualTo("retired");
        Run history = gatehouse("identity", "history", "deployer");
        assertThat(history.out()).contains("credential leak suspected").contains("replaced by pipeline v2");

        assertThat(gatehouse("identity", "retire", "alice", "--reason", "left the company").exit()).isZero();
        Run orphan = gatehouse("identity", "show", "triage-bot", "-o", "json");
        assertThat(orphan.json().path("orphaned").asBoolean()).isTrue();
        assertThat(gatehouse("identity", "list").out()).contains("active (orphaned)");

        gatehouse("identity", "add", "carol", "--kind", "human", "--name", "Carol", "--email", "carol@example.com");
        Run reassigned = gatehouse("identity", "reassign", "triage-bot", "--owner", "carol", "--reason", "new team lead", "-o", "json");
        assertThat(reassigned.json().path("owner").asText()).isEqualTo("carol");
        assertThat(reassigned.json().path("orphaned").asBoolean()).isFalse();
    }

    @Test
    void applyingAnInventoryTwiceChangesNothingTheSecondTime() throws Exception {
        Path file = tmp.resolve("inventory.yaml");
        Files.writeString(file, """
                groups:
                  - {id: platform, displayName: Platform}
                  - {id: sre, displayName: SRE, parents: [platform]}
                identities:
                  - id: build-bot
                    kind: workload
                    displayName: Build bot
                    owner: dana
                    purpose: builds and publishes artifacts
                    environment: prod
                    groups: [sre]
                    scope: {tools: ["registry/*"], effects: [read, write]}
                  - {id: dana, kind: human, displayName: Dana, email: dana@example.com, groups: [platform]}
                toolServers:
                  - id: registry
                    url: https://registry-mcp.internal.example/mcp
                    trust: approved
                    destination: internal
                    tools:
                      - {name: list_images, effect: read, risk: low}
                      - {name: push_image, effect: write, risk: medium}
                """);
        Run dry = gatehouse("apply", "-f", file.toString(), "--dry-run");
        assertThat(dry.out()).contains("would create identity build-bot").contains("dry run: 5 created");
        assertThat(server.http("GET", "/v1/identities/dana", null, TestGatehouse.ADMIN_TOKEN).statusCode()).isEqualTo(404);

        Run first = gatehouse("apply", "-f", file.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("5 created, 0 updated, 0 unchanged");
        Run second = gatehouse("apply", "-f", file.toString());
        assertThat(second.out()).contains("0 created, 0 updated, 5 unchanged — no change");

        Path exported = tmp.resolve("exported.yaml");
        assertThat(gatehouse("export", "-f", exported.toString()).exit()).isZero();
        assertThat(Files.readString(exported)).contains("build-bot").contains("push_image").doesNotContain("createdAt");
        assertThat(gatehouse("apply", "-f", exported.toString()).out()).contains("no change");

        Files.writeString(file, Files.readString(file).replace("displayName: Build bot", "displayName: Build bot v2"));
        assertThat(gatehouse("apply", "-f", file.toString()).out()).contains("update identity build-bot (displayName)")
                .contains("0 created, 1 updated, 4 unchanged");
    }

    @Test
    void aDryRunRefusesWhatTheRealApplyRefusesAndKeepsNothing() throws Exception {
        Path file = tmp.resolve("inventory.yaml");
        Files.writeString(file, """
                identities:
                  - {id: dana, kind: human, displayName: Dana, email: dana@example.com}
                  - id: build-bot
                    kind: workload
                    displayName: Build bot
                    owner: ghost
                    purpose: builds and publishes artifacts
                    environment: prod
                    scope: {tools: ["registry/*"], effects: [read]}
                """);
        Run dry = gatehouse("apply", "-f", file.toString(), "--dry-run");
        Run real = gatehouse("apply", "-f", file.toString());
        assertThat(dry.exit()).isEqualTo(1);
        assertThat(real.exit()).isEqualTo(1);
        assertThat(dry.err()).isEqualTo(real.err()).contains("identities[1]").contains("ghost");

        Files.writeString(file, Files.readString(file).replace("owner: ghost", "owner: dana"));
        Run plan = gatehouse("apply", "-f", file.toString(), "--dry-run");
        assertThat(plan.exit()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("would create identity dana").contains("would create identity build-bot").contains("dry run: 2 created");
        assertThat(server.http("GET", "/v1/identities/dana", null, TestGatehouse.ADMIN_TOKEN).statusCode()).isEqualTo(404);
        assertThat(server.gatehouse().auditTrail().events(AuditQuery.all(1000)).items())
                .as("a dry run leaves no audit record of changes it did not make").noneMatch(e -> e.path("type").asText().startsWith("identity."));
    }

    @Test
    void groupsToolServersAndAdminTokens() throws Exception {
        assertThat(gatehouse("group", "add", "eng", "--name", "Engineering").exit()).isZero();
        assertThat(gatehouse("group", "add", "sre", "--name", "SRE", "--parent", "eng").exit()).isZero();
        assertThat(gatehouse("group", "list").out()).contains("sre").contains("eng");
        Run server1 = gatehouse("toolserver", "add", "github", "--url", "https://mcp.example/github", "--trust", "approved",
                "--tool", "search_issues:read:low", "--tool", "merge_pr");
        assertThat(server1.exit()).as(server1.err()).isZero();
        assertThat(server1.out()).contains("merge_pr").contains("execute").contains("high");
        Run classified = gatehouse("toolserver", "classify", "github", "merge_pr", "--effect", "write", "--risk", "high", "-o", "json");
        assertThat(classified.json().path("tools")).anySatisfy(t -> {
            assertThat(t.path("name").asText()).isEqualTo("merge_pr");
            assertThat(t.path("classified").asBoolean()).isTrue();
        });
        Run token = gatehouse("admin-token", "create", "--name", "auditor", "--role", "reader", "-o", "json");
        String secret = token.json().path("secret").asText();
        Run listed = gatehouse("admin-token", "list");
        assertThat(listed.out()).contains("auditor").doesNotContain(secret);
        Run asReader = gatehouseWith(Map.of("GATEHOUSE_TOKEN", secret, "GATEHOUSE_SERVER", server.baseUri().toString()),
                "group", "add", "x", "--name", "X");
        assertThat(asReader.exit()).isEqualTo(1);
        assertThat(asReader.err()).startsWith("error: 403 forbidden");
        assertThat(gatehouse("admin-token", "revoke", token.json().path("token").path("id").asText()).exit()).isZero();
    }

    @Test
    void failuresAreOneLineWithNonZeroExit() {
        Run badOwner = gatehouse("identity", "add", "bot", "--kind", "agent", "--name", "B", "--owner", "ghost", "--purpose", "p",
                "--env", "dev", "--tool", "*", "--effect", "read", "--autonomy", "assistive");
        assertThat(badOwner.exit()).isEqualTo(1);
        assertThat(badOwner.err().strip()).isEqualTo("error: 400 invalid_request (--owner): owner 'ghost' does not exist");

        Run usage = gatehouse("identity", "add", "bot");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err().strip().lines()).hasSize(1);

        Run noToken = gatehouseWith(Map.of("GATEHOUSE_SERVER", server.baseUri().toString(),
                "GATEHOUSE_CLI_CONFIG", tmp.resolve("none.yaml").toString()), "identity", "list");
        assertThat(noToken.exit()).isEqualTo(1);
        assertThat(noToken.err()).startsWith("error: 401 unauthenticated");

        Run unreachable = gatehouseWith(Map.of("GATEHOUSE_TOKEN", "x".repeat(30)), "--help");
        assertThat(unreachable.exit()).isZero();
        Run down = gatehouse("identity", "list", "--server", "http://127.0.0.1:1");
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.err().strip().lines()).hasSize(1);
        assertThat(down.err()).contains("cannot reach");

        Run missingFile = gatehouse("apply", "-f", "/nonexistent/inventory.yaml");
        assertThat(missingFile.exit()).isEqualTo(1);
        assertThat(missingFile.err().strip()).isEqualTo("error: /nonexistent/inventory.yaml: no such file");
    }
}
