package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.client.GatehouseClient;
import dev.gatehouse.demo.DemoToolServer;
import dev.gatehouse.testing.Cli;
import dev.gatehouse.testing.Cli.Run;
import dev.gatehouse.testing.TestGatehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An operator connecting an agent by hand: task token, `mcp tools`, `mcp call`, `token exchange`, through the real gateway. */
class AgentCliTest {
    @TempDir
    Path tmp;
    TestGatehouse server;
    DemoToolServer upstream;
    Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        upstream = new DemoToolServer().start();
        server = TestGatehouse.start(tmp.resolve("data"), null, TestGatehouse.LOOPBACK_PEERS);
        server.gatehouse().seedStarterPolicies().orElseThrow();
        GatehouseClient admin = server.client();
        admin.post("v1/identities", Map.of("id", "alice", "kind", "human", "displayName", "Alice", "email", "alice@example.com"));
        for (String agent : List.of("support-agent", "helper")) {
            admin.post("v1/identities", Map.of("id", agent, "kind", "agent", "displayName", agent, "owner", "alice", "purpose", "support",
                    "environment", "dev", "autonomy", "assistive",
                    "scope", Map.of("tools", List.of("demo-tools/*"), "effects", List.of("read", "write"))));
            Files.writeString(tmp.resolve(agent + ".secret"),
                    admin.post("v1/identities/" + agent + "/credentials", Map.of("type", "client_secret")).path("secret").asText());
        }
        admin.post("v1/tool-servers", Map.of("id", "demo-tools", "url", upstream.url(), "trust", "approved", "destination", "internal",
                "tools", List.of(Map.of("name", "search_docs", "effect", "read", "risk", "low"),
                        Map.of("name", "lookup_customer", "effect", "read", "risk", "medium"),
                        Map.of("name", "send_email", "effect", "write", "risk", "medium", "destination", "external"))));
        env = new HashMap<>(Cli.adminEnv(server));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        upstream.close();
    }

    private String issue(String agent) {
        Run issued = Cli.run(env, "token", "issue", "--client-id", agent, "--secret-file", tmp.resolve(agent + ".secret").toString(),
                "--intent", "answer ticket 4711");
        assertThat(issued.exit()).as(issued.err()).isZero();
        return issued.out().strip();
    }

    private Run asAgent(String token, String... args) {
        Map<String, String> agentEnv = new HashMap<>(env);
        agentEnv.remove("GATEHOUSE_TOKEN");
        agentEnv.put("GATEHOUSE_TASK_TOKEN", token);
        return Cli.run(agentEnv, args);
    }

    @Test
    void listAndCallToolsThroughTheGatewayWithATaskToken() throws Exception {
        String token = issue("support-agent");
        Run tools = asAgent(token, "mcp", "tools", "demo-tools");
        assertThat(tools.exit()).as(tools.err()).isZero();
        assertThat(tools.out()).contains("NAME").contains("search_docs").contains("lookup_customer")
                .doesNotContain("deploy_service").as("tools the registry does not grant are not shown");

        Run docs = asAgent(token, "mcp", "call", "demo-tools", "search_docs", "--args", "{\"query\":\"billing\"}");
        assertThat(docs.exit()).as(docs.err()).isZero();
        assertThat(docs.out()).contains("articles match 'billing'");
        assertThat(upstream.calls("search_docs")).isEqualTo(1);

        assertThat(asAgent(token, "mcp", "call", "demo-tools", "lookup_customer", "--args", "{\"customer_id\":\"c-1\"}").exit()).isZero();
        Run refused = asAgent(token, "mcp", "call", "demo-tools", "send_email", "--args",
                "{\"to\":\"a@outside.example\",\"subject\":\"s\",\"body\":\"b\"}");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err().strip().lines()).hasSize(1);
        assertThat(refused.err()).startsWith("error: the gateway refused: Gatehouse refused the call");
        assertThat(upstream.calls("send_email")).isZero();

        Run badArgs = asAgent(token, "mcp", "call", "demo-tools", "search_docs", "--args", "[1]");
        assertThat(badArgs.exit()).isEqualTo(1);
        assertThat(badArgs.err().strip()).startsWith("error: --args must be a JSON object");

        Path tokenFile = tmp.resolve("task.token");
        Files.writeString(tokenFile, token);
        Map<String, String> noToken = new HashMap<>(env);
        noToken.remove("GATEHOUSE_TOKEN");
        assertThat(Cli.run(noToken, "mcp", "tools", "demo-tools", "--token-file", tokenFile.toString()).exit()).isZero();
        Run none = Cli.run(noToken, "mcp", "tools", "demo-tools");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("GATEHOUSE_TASK_TOKEN");

        String taskId = Cli.run(env, "task", "list", "--identity", "support-agent", "-o", "json").json().path("items").get(0).path("id").asText();
        assertThat(Cli.run(env, "task", "complete", taskId).exit()).isZero();
        Run dead = asAgent(token, "mcp", "tools", "demo-tools");
        assertThat(dead.exit()).isEqualTo(1);
        assertThat(dead.err().strip()).isEqualTo("error: the gateway refused the task token (HTTP 401): it is expired, revoked, or not a task token");
    }

    @Test
    void aTaskIsDelegatedWithTokenExchangeAndTheDelegateCallsThroughTheGateway() throws Exception {
        String token = issue("support-agent");
        Path subject = tmp.resolve("subject.token");
        Files.writeString(subject, token);
        Run exchanged = Cli.run(env, "token", "exchange", "--client-id", "helper", "--secret-file", tmp.resolve("helper.secret").toString(),
                "--subject-token-file", subject.toString(), "--scope", "demo-tools/search_docs read");
        assertThat(exchanged.exit()).as(exchanged.err()).isZero();
        String delegated = exchanged.out().strip();
        assertThat(delegated.lines()).hasSize(1);
        assertThat(exchanged.err()).startsWith("task task_").contains("scope 'demo-tools/search_docs read'");

        Run introspected = Cli.run(env, "token", "introspect", delegated, "-o", "json");
        assertThat(introspected.json().path("act").path("sub").asText()).contains("helper");
        Run call = asAgent(delegated, "mcp", "call", "demo-tools", "search_docs", "--args", "{\"query\":\"refunds\"}");
        assertThat(call.exit()).as(call.err()).isZero();
        assertThat(asAgent(delegated, "mcp", "tools", "demo-tools").out()).contains("search_docs").doesNotContain("lookup_customer");

        Run outsider = Cli.run(env, "token", "exchange", "--client-id", "support-agent", "--secret-file",
                tmp.resolve("support-agent.secret").toString(), "--subject-token-file", subject.toString());
        assertThat(outsider.exit()).as("the actor is already in the chain").isEqualTo(1);
        assertThat(outsider.err().strip().lines()).hasSize(1);
    }
}
