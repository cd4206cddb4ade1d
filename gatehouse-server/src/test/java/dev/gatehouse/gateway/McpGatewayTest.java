package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.testing.TestGatehouse;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway against real peers: the official TypeScript SDK client connects through
 * {@code /mcp/everything} to {@code @modelcontextprotocol/server-everything}, launched as a stdio
 * process by the gateway or reached over Streamable HTTP. Plus the transport's edges with a raw client.
 */
class McpGatewayTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TEST_POLICIES = """
            @id("test.no-env-dumps")
            forbid(principal == Gatehouse::Agent::"bot", action, resource == Gatehouse::Tool::"everything/get-env");

            @id("test.helper-no-sums")
            forbid(principal == Gatehouse::Agent::"helper-bot", action, resource == Gatehouse::Tool::"everything/get-sum");
            """;

    @TempDir Path tmp;

    @BeforeAll
    static void peers() { McpPeers.requireInstalled(); }

    /** alice owns bot and helper-bot; tool server "everything" with echo/get-sum (read) and get-env (execute, forbidden). */
    private static void inventory(TestGatehouse gh, Map<String, Object> upstream) throws Exception {
        gh.client().post("/v1/identities", Map.of("id", "alice", "kind", "human", "displayName", "Alice", "email", "alice@example.com"));
        for (String agent : List.of("bot", "helper-bot", "auto-bot")) {
            gh.client().post("/v1/identities", Map.of("id", agent, "kind", "agent", "displayName", agent, "owner", "alice",
                    "purpose", "tests", "environment", "dev", "autonomy", agent.equals("auto-bot") ? "autonomous" : "assistive",
                    "scope", Map.of("tools", List.of("everything/echo", "everything/get-sum", "everything/get-env",
                                    "everything/trigger-long-running-operation"), "effects", List.of("read", "execute"))));
        }
        Map<String, Object> server = new LinkedHashMap<>(upstream);
        server.put("id", "everything");
        server.put("trust", "approved");
        server.put("destination", "internal");
        server.put("tools", List.of(Map.of("name", "echo", "effect", "read", "risk", "low"),
                Map.of("name", "get-sum", "effect", "read", "risk", "low"),
                Map.of("name", "get-env", "effect", "execute", "risk", "high"),
                Map.of("name", "trigger-long-running-operation", "effect", "read", "risk", "low")));
        gh.client().post("/v1/tool-servers", server);
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> starter = Files.list(Path.of("..", "policies", "starter"))) {
            for (Path p : starter.filter(p -> p.toString().endsWith(".cedar")).toList()) files.put(p.getFileName().toString(), Files.readString(p));
        }
        files.put("test.cedar", TEST_POLICIES);
        gh.client().post("/v1/policies", Map.of("files", files, "message", "gateway tests", "mode", "activate"));
    }

    static String secret(TestGatehouse gh, String identity) {
        return gh.client().post("/v1/identities/" + identity + "/credentials", Map.of("type", "client_secret")).path("secret").asText();
    }

    static JsonNode form(TestGatehouse gh, Map<String, String> params, String user, String secret) throws Exception {
        StringJoiner body = new StringJoiner("&");
        params.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        String basic = Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(gh.baseUri().resolve("oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new AssertionError("token request failed: " + r.statusCode() + " " + r.body());
        return McpPeers.JSON.readTree(r.body());
    }

    static JsonNode token(TestGatehouse gh, String identity) throws Exception {
        return form(gh, Map.of("grant_type", "client_credentials", "task_intent", "gateway test"), identity, secret(gh, identity));
    }

    static List<JsonNode> gatewayCalls(TestGatehouse gh) {
        return events(gh, "gateway.call");
    }

    static List<JsonNode> events(TestGatehouse gh, String type) {
        List<JsonNode> out = new ArrayList<>();
        gh.client().get("/v1/audit/events?type=" + type + "&limit=1000").path("items").forEach(out::add);
        return out;
    }

    /** The configured stdio command "everything", and loopback allowed for the Streamable HTTP peer. */
    private TestGatehouse start() throws Exception {
        return TestGatehouse.start(tmp, null, TestGatehouse.withLoopbackPeers(McpPeers.everythingConfigured()));
    }

    private static String mcpUrl(TestGatehouse gh) { return gh.baseUri().resolve("mcp/everything").toString(); }

    private void sdkClientSeesOnlyPermittedToolsAndIsRefusedAfterCompletion(Map<String, Object> upstream) throws Exception {
        try (TestGatehouse gh = start()) {
            inventory(gh, upstream);
            JsonNode issued = token(gh, "bot");
            String completeUrl = gh.baseUri().resolve("v1/tasks/" + issued.path("task_id").asText() + "/complete").toString();
            JsonNode report = McpPeers.client(Map.of("url", mcpUrl(gh), "token", issued.path("access_token").asText(), "steps", List.of(
                    Map.of("op", "list"),
                    Map.of("op", "call", "name", "echo", "arguments", Map.of("message", "hello through the gateway")),
                    Map.of("op", "call", "name", "get-env"),
                    Map.of("op", "call", "name", "get-sum", "arguments", Map.of("a", 2, "b", 3)),
                    Map.of("op", "post", "url", completeUrl, "token", TestGatehouse.ADMIN_TOKEN),
                    Map.of("op", "call", "name", "echo", "arguments", Map.of("message", "after the task ended")))));

            assertThat(report.path("connectError").isMissingNode()).as(report.toString()).isTrue();
            assertThat(McpGateway.PROTOCOL_VERSIONS).contains(report.path("protocolVersion").asText());
            JsonNode steps = report.path("steps");
            assertThat(steps.get(0).path("tools")).as("only permitted tools are listed")
                    .extracting(JsonNode::asText).containsExactly("echo", "get-sum", "trigger-long-running-operation");
            assertThat(steps.get(1).path("ok").asBoolean()).as(steps.get(1).toString()).isTrue();
            assertThat(steps.get(1).path("result").toString()).contains("hello through the gateway");
            assertThat(steps.get(2).path("ok").asBoolean()).as("a forbidden tool is a JSON-RPC error").isFalse();
            assertThat(steps.get(2).path("code").asInt()).isEqualTo(RpcError.REFUSED);
            // The broker already left get-env out of the task (policy forbids it), so the gateway refuses it as outside
            // the task's scope before asking the PDP; policy refusals at the gateway are covered by the taint and
            // delegation tests.
            assertThat(issued.path("scope").asText()).doesNotContain("get-env");
            assertThat(steps.get(2).path("data").path("reason").asText()).isEqualTo("outside_task_scope");
            assertThat(steps.get(2).toString()).as("no policy internals").doesNotContain("test.no-env-dumps").doesNotContain("Gatehouse::");
            assertThat(steps.get(3).path("ok").asBoolean()).as(steps.get(3).toString()).isTrue();
            assertThat(steps.get(3).path("result").toString()).contains("5");
            assertThat(steps.get(4).path("status").asInt()).isEqualTo(200);
            assertThat(steps.get(5).path("ok").asBoolean()).as("refused after task completion: " + steps.get(5)).isFalse();

            // The tools server-everything announced beyond the declared three are now in the catalogue, unclassified.
            JsonNode tools = gh.client().get("/v1/tool-servers/everything").path("tools");
            List<String> unclassified = new ArrayList<>();
            tools.forEach(t -> { if (!t.path("classified").asBoolean()) unclassified.add(t.path("name").asText()); });
            assertThat(unclassified).isNotEmpty().doesNotContain("echo", "get-sum", "get-env", "trigger-long-running-operation");
            tools.forEach(t -> {
                if (!t.path("classified").asBoolean()) {
                    assertThat(t.path("effect").asText()).isEqualTo("execute");
                    assertThat(t.path("risk").asText()).isEqualTo("high");
                }
            });

            List<JsonNode> calls = gatewayCalls(gh);
            assertThat(calls).extracting(e -> e.path("outcome").asText() + " " + e.path("resource").asText())
                    .contains("allow everything/echo", "deny everything/get-env", "allow everything/get-sum");
            assertThat(calls).filteredOn(e -> e.path("outcome").asText().equals("deny"))
                    .allSatisfy(e -> assertThat(e.path("reason").asText()).isNotBlank());
            assertThat(calls.toString()).doesNotContain("hello through the gateway");
        }
    }

    @Test
    void sdkClientThroughStdioUpstream() throws Exception {
        sdkClientSeesOnlyPermittedToolsAndIsRefusedAfterCompletion(Map.of("stdio", "everything"));
    }

    @Test
    void sdkClientThroughStreamableHttpUpstream() throws Exception {
        try (McpPeers.HttpEverything upstream = new McpPeers.HttpEverything()) {
            sdkClientSeesOnlyPermittedToolsAndIsRefusedAfterCompletion(Map.of("url", upstream.url()));
        }
    }

    // --- a raw client for the transport's edges and delegation

    private record Reply(int status, Map<String, List<String>> headers, JsonNode body) {}

    private static Reply post(TestGatehouse gh, String token, String session, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(mcpUrl(gh)))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (session != null) b.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        String text = r.body();
        if (r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            // the last data line carries the response
            String[] lines = text.split("\n");
            text = "";
            for (String line : lines) if (line.startsWith("data: ")) text = line.substring(6);
        }
        return new Reply(r.statusCode(), r.headers().map(), text.isBlank() ? null : McpPeers.JSON.readTree(text));
    }

    private static String open(TestGatehouse gh, String token) throws Exception {
        Reply init = post(gh, token, null, """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},
                 "clientInfo":{"name":"raw","version":"1"}}}""");
        assertThat(init.status()).as(String.valueOf(init.body())).isEqualTo(200);
        String session = init.headers().get("mcp-session-id").get(0);
        assertThat(post(gh, token, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").status()).isEqualTo(202);
        return session;
    }

    private static JsonNode call(TestGatehouse gh, String token, String session, String tool, String args) throws Exception {
        return post(gh, token, session, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":" + args + "}}").body();
    }

    @Test
    void delegatedCallIsRefusedWhenTheSecondHopLacksPermission() throws Exception {
        try (TestGatehouse gh = start()) {
            inventory(gh, Map.of("stdio", "everything"));
            String botToken = token(gh, "bot").path("access_token").asText();
            String helperToken = form(gh, Map.of("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                    "subject_token", botToken, "subject_token_type", "urn:ietf:params:oauth:token-type:access_token"),
                    "helper-bot", secret(gh, "helper-bot")).path("access_token").asText();

            String botSession = open(gh, botToken);
            assertThat(call(gh, botToken, botSession, "get-sum", "{\"a\":1,\"b\":2}").has("result")).as("the first hop may").isTrue();

            String helperSession = open(gh, helperToken);
            JsonNode refused = call(gh, helperToken, helperSession, "get-sum", "{\"a\":1,\"b\":2}");
            assertThat(refused.path("error").path("code").asInt()).as(refused.toString()).isEqualTo(RpcError.REFUSED);
            JsonNode listed = post(gh, helperToken, helperSession, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}").body();
            // get-sum is denied to helper-bot, get-env to bot: a delegated token gets neither.
            assertThat(listed.path("result").path("tools").findValuesAsText("name"))
                    .containsExactly("echo", "trigger-long-running-operation");
            assertThat(call(gh, helperToken, helperSession, "echo", "{\"message\":\"x\"}").has("result")).isTrue();

            assertThat(post(gh, botToken, helperSession, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\"}").status())
                    .as("a session belongs to the identity that opened it").isEqualTo(404);

            List<JsonNode> denied = gatewayCalls(gh).stream().filter(e -> e.path("outcome").asText().equals("deny")).toList();
            assertThat(denied).singleElement().satisfies(e -> {
                assertThat(e.path("chain").findValuesAsText("")).isEmpty();
                assertThat(e.path("chain").toString()).isEqualTo("[\"bot\",\"helper-bot\"]");
                assertThat(e.path("detail").path("decidedBy").asText()).isEqualTo("helper-bot");
                assertThat(e.path("detail").path("hops").findValuesAsText("identity")).as("each hop decided as its own identity")
                        .containsExactly("bot", "helper-bot");
                assertThat(e.path("detail").path("hops").findValuesAsText("outcome")).containsExactly("allow", "deny");
            });
        }
    }

    @Test
    void transportEdges() throws Exception {
        try (TestGatehouse gh = start()) {
            inventory(gh, Map.of("stdio", "everything"));
            Reply anonymous = post(gh, null, null, "{}");
            assertThat(anonymous.status()).isEqualTo(401);
            String challenge = anonymous.headers().get("www-authenticate").get(0);
            String metadataUrl = gh.baseUri().resolve(".well-known/oauth-protected-resource/mcp/everything").toString();
            assertThat(challenge).startsWith("Bearer ").contains("resource_metadata=\"" + metadataUrl.replace("127.0.0.1", "127.0.0.1") + "\"");
            JsonNode metadata = McpPeers.JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(metadataUrl)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(metadata.path("resource").asText()).endsWith("/mcp/everything");
            assertThat(metadata.path("authorization_servers")).hasSize(1);
            assertThat(post(gh, "not-a-token", null, "{}").headers().get("www-authenticate").get(0)).contains("error=\"invalid_token\"");

            String token = token(gh, "bot").path("access_token").asText();
            Reply garbage = post(gh, token, null, "{not json");
            assertThat(garbage.status()).isEqualTo(400);
            assertThat(garbage.body().path("error").path("code").asInt()).isEqualTo(RpcError.PARSE_ERROR);
            assertThat(post(gh, token, null, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]").body().path("error").path("code").asInt())
                    .isEqualTo(RpcError.INVALID_REQUEST);
            assertThat(post(gh, token, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}").status()).as("no session").isEqualTo(400);
            assertThat(post(gh, token, "mcps_unknown", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}").status()).isEqualTo(404);

            String session = open(gh, token);
            assertThat(post(gh, token, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}").body().has("result")).isTrue();
            assertThat(post(gh, token, session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tasks/list\"}").body().path("error").path("code").asInt())
                    .as("methods outside the pass-through list are not forwarded").isEqualTo(RpcError.METHOD_NOT_FOUND);
            assertThat(call(gh, token, session, "no-such-tool", "{}").path("error").path("data").path("reason").asText()).isEqualTo("unknown_tool");
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(mcpUrl(gh))).header("Authorization", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
            HttpResponse<String> deleted = HTTP.send(HttpRequest.newBuilder(URI.create(mcpUrl(gh))).header("Authorization", "Bearer " + token)
                    .header("Mcp-Session-Id", session).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(deleted.statusCode()).isEqualTo(204);
            assertThat(post(gh, token, session, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\"}").status()).isEqualTo(404);
        }
    }

    @Test
    void suspensionAndRevocationApplyOnTheVeryNextCall() throws Exception {
        try (TestGatehouse gh = start()) {
            inventory(gh, Map.of("stdio", "everything"));
            String token = token(gh, "bot").path("access_token").asText();
            String session = open(gh, token);
            assertThat(call(gh, token, session, "echo", "{\"message\":\"one\"}").has("result")).isTrue();
            gh.client().post("/v1/identities/bot/suspend", Map.of("reason", "key leaked"));
            Reply refused = post(gh, token, session, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"two\"}}}");
            assertThat(refused.status()).as("suspended identity, same session, next call").isEqualTo(401);
            assertThat(refused.headers().get("www-authenticate").get(0)).contains("error=\"invalid_token\"");
            gh.client().post("/v1/identities/bot/reactivate", Map.of("reason", "rotated"));

            String fresh = token(gh, "bot").path("access_token").asText();
            String s2 = open(gh, fresh);
            assertThat(call(gh, fresh, s2, "echo", "{\"message\":\"three\"}").has("result")).isTrue();
            HttpResponse<String> revoked = HTTP.send(HttpRequest.newBuilder(gh.baseUri().resolve("oauth2/revoke"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Bearer " + TestGatehouse.ADMIN_TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString("token=" + fresh)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(revoked.statusCode()).isEqualTo(200);
            assertThat(post(gh, fresh, s2, "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"ping\"}").status()).isEqualTo(401);
            assertThat(gh.client().get("/v1/audit/events?type=gateway.refused&limit=100").path("items")).hasSizeGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void stdioToolServerGetsAMinimalEnvironment() throws Exception {
        try (TestGatehouse gh = start()) {
            inventory(gh, Map.of("stdio", "everything"));
            String token = token(gh, "helper-bot").path("access_token").asText();
            JsonNode env = call(gh, token, open(gh, token), "get-env", "{}");
            JsonNode vars = McpPeers.JSON.readTree(env.path("result").path("content").get(0).path("text").asText());
            List<String> names = new ArrayList<>();
            vars.fieldNames().forEachRemaining(names::add);
            assertThat(System.getenv().size()).as("the test JVM has more than the minimal set").isGreaterThan(names.size());
            assertThat(names).isNotEmpty().isSubsetOf("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT");
        }
    }

    @Test
    void progressNotificationsAreRelayedOnTheSseStream() throws Exception {
        try (TestGatehouse gh = start()) {
            inventory(gh, Map.of("stdio", "everything"));
            String token = token(gh, "bot").path("access_token").asText();
            String session = open(gh, token);
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(mcpUrl(gh)))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream").header("Mcp-Session-Id", session)
                    .header("MCP-Protocol-Version", "2025-06-18")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{"
                            + "\"name\":\"trigger-long-running-operation\",\"arguments\":{\"duration\":0.2,\"steps\":2},"
                            + "\"_meta\":{\"progressToken\":\"p-1\"}}}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            List<JsonNode> events = new ArrayList<>();
            for (String line : r.body().split("\n")) if (line.startsWith("data: ")) events.add(McpPeers.JSON.readTree(line.substring(6)));
            // server-everything may announce a list change at any moment; when it falls inside this call it is relayed too.
            events.removeIf(e -> e.path("method").asText().endsWith("/list_changed"));
            assertThat(events).hasSize(3);
            assertThat(events.subList(0, 2)).allSatisfy(e -> {
                assertThat(e.path("method").asText()).isEqualTo("notifications/progress");
                assertThat(e.path("params").path("progressToken").asText()).isEqualTo("p-1");
            });
            assertThat(events.get(2).path("id").asInt()).isEqualTo(5);
            assertThat(events.get(2).path("result").toString()).contains("Long running operation completed");
        }
    }
}
