package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.testing.TestGatehouse;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policies that weigh what a call carries and where it comes from, through the real gateway: each
 * new context key or attribute appears in a rule that changes the outcome of a real call
 * (argument values, authentication and attestation, use-case contracts, rates), plus the AuthZEN API
 * with the same keys and the validation of rules that use them.
 */
class PolicyInputsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir Path tmp;
    private PermissiveUpstream upstream;
    private TestGatehouse gh;
    private GatewayHarness gw;

    @BeforeEach
    void start() throws Exception {
        upstream = new PermissiveUpstream();
        ObjectNode refund = PermissiveUpstream.definition("refund", "Refunds an order");
        ObjectNode properties = ((ObjectNode) refund.get("inputSchema")).putObject("properties");
        properties.putObject("amount").put("type", "integer");
        properties.putObject("fee").put("type", "number");
        properties.putObject("to").put("type", "string");
        properties.putObject("tags").put("type", "array").putObject("items").put("type", "string");
        refund.putObject("annotations").put("readOnlyHint", false).put("destructiveHint", true).put("openWorldHint", false);
        upstream.tools.put("refund", refund);
        ObjectNode mail = PermissiveUpstream.definition("send_email", "Sends mail");
        ((ObjectNode) mail.get("inputSchema")).putObject("properties").putObject("to").put("type", "string");
        upstream.tools.put("send_email", mail);
        gh = TestGatehouse.start(tmp, null, TestGatehouse.LOOPBACK_PEERS);
        gw = new GatewayHarness(gh.gatehouse(), gh.gatehouse().inspector(), gh.gatehouse().approvals(),
                GatewayHarness.settings(GatewayHarness.unlimited(), Set.of()), id -> Map.of());
        gh.client().post("/v1/identities", Map.of("id", "alice", "kind", "human", "displayName", "alice", "email", "alice@example.com"));
        agent("clerk", "dev", Map.of("tools", List.of("pay/*", "crm/*", "mail/*"), "effects", List.of("read", "write", "execute")));
        agent("prod-clerk", "prod", Map.of("tools", List.of("pay/*"), "effects", List.of("write", "execute")));
        agent("prod-reader", "prod", Map.of("tools", List.of("pay/*"), "effects", List.of("read", "execute")));
        agent("contractor", "dev", Map.of("tools", List.of("crm/*", "mail/*"), "effects", List.of("read", "write"),
                "useCases", List.of(
                        Map.of("name", "support", "tools", List.of("crm/*", "mail/*"), "effects", List.of("read", "write"),
                                "dataCeiling", "internal", "destinations", List.of("internal")),
                        Map.of("name", "outreach", "tools", List.of("mail/*"), "effects", List.of("write"),
                                "dataCeiling", "public", "destinations", List.of("external")))));
        server("pay", "internal", List.of(tool("refund", "execute", "low"), tool("lookup", "read", "low"), tool("delete", "execute", "low")));
        server("crm", "internal", List.of(tool("lookup", "read", "low")));
        server("mail", "external", List.of(tool("send_email", "write", "low")));
        policies("");
        // The upstream's listing records the tools' input schemas (and annotations): context.input is typed from them.
        gw.open("pay", token("clerk")).request("tools/list", "{}");
        gw.open("mail", token("clerk")).request("tools/list", "{}");
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
        gh.close();
        upstream.close();
    }

    private void agent(String id, String env, Map<String, Object> scope) {
        gh.client().post("/v1/identities", Map.of("id", id, "kind", "agent", "displayName", id, "owner", "alice", "purpose", "tests",
                "environment", env, "autonomy", "assistive", "scope", scope));
    }

    private static Map<String, Object> tool(String name, String effect, String risk) {
        return Map.of("name", name, "effect", effect, "risk", risk);
    }

    private void server(String id, String destination, List<Map<String, Object>> tools) {
        gh.client().post("/v1/tool-servers", Map.of("id", id, "url", upstream.url(), "trust", "approved", "destination", destination,
                "tools", tools));
    }

    /** The starter pack plus {@code extra} rules, activated. */
    private void policies(String extra) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> starter = Files.list(Path.of("..", "policies", "starter"))) {
            for (Path p : starter.filter(p -> p.toString().endsWith(".cedar")).toList()) files.put(p.getFileName().toString(), Files.readString(p));
        }
        files.put("test.cedar", extra);
        gh.client().post("/v1/policies", Map.of("files", files, "message", "policy inputs", "mode", "activate"));
    }

    private String token(String identity) throws Exception {
        return TaintScenarioTest.token(gh, identity);
    }

    private JsonNode tokenRequest(String identity, Map<String, String> params) throws Exception {
        String secret = gh.client().post("/v1/identities/" + identity + "/credentials", Map.of("type", "client_secret")).path("secret").asText();
        StringJoiner body = new StringJoiner("&");
        Map<String, String> all = new LinkedHashMap<>(Map.of("grant_type", "client_credentials", "task_intent", "test"));
        all.putAll(params);
        all.forEach((k, v) -> body.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        String basic = Base64.getEncoder().encodeToString((identity + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(gh.baseUri().resolve("oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        return McpPeers.JSON.readTree(r.body());
    }

    private static String reason(JsonNode r) {
        return r.path("error").path("data").path("reason").asText();
    }

    private List<JsonNode> audit(String type) {
        return McpGatewayTest.events(gh, type);
    }

    @Test
    void argumentValuesDecide() throws Exception {
        policies("""
                @id("test.refunds-under-500")
                forbid(principal, action, resource == Gatehouse::Tool::"pay/refund")
                unless { context has input && context.input has amount && context.input.amount < 500 };

                @id("test.fees-below-ten-and-a-half")
                forbid(principal, action, resource == Gatehouse::Tool::"pay/refund")
                when { context has input && context.input has fee && !context.input.fee.lessThan(decimal("10.5")) };

                @id("test.mail-only-inside")
                forbid(principal, action, resource == Gatehouse::Tool::"mail/send_email")
                unless { context has input && context.input has to && context.input.to like "*@acme.example" };

                @id("test.no-tagged-vip")
                forbid(principal, action, resource == Gatehouse::Tool::"pay/refund")
                when { context has input && context.input has tags && context.input.tags.contains("vip") };

                @id("test.complete-input-only")
                forbid(principal, action, resource == Gatehouse::Tool::"pay/refund") when { context.inputTruncated };
                """);
        GatewayHarness.Session pay = gw.open("pay", token("clerk"));
        assertThat(pay.call("refund", "{\"amount\":120,\"fee\":2.5}").has("result")).isTrue();
        assertThat(reason(pay.call("refund", "{\"amount\":900}"))).isEqualTo("forbidden");
        assertThat(reason(pay.call("refund", "{\"amount\":12,\"fee\":10.5}"))).isEqualTo("forbidden");
        assertThat(reason(pay.call("refund", "{\"amount\":12,\"tags\":[\"vip\"]}"))).isEqualTo("forbidden");
        assertThat(reason(pay.call("refund", "{\"amount\":12,\"note\":\"not in the schema\"}"))).as("input truncated").isEqualTo("forbidden");
        assertThat(reason(pay.call("refund", "{\"amount\":\"12\"}"))).as("a string is no amount").isEqualTo("forbidden");
        GatewayHarness.Session mail = gw.open("mail", token("clerk"));
        assertThat(mail.call("send_email", "{\"to\":\"ops@acme.example\"}").has("result")).isTrue();
        assertThat(reason(mail.call("send_email", "{\"to\":\"someone@elsewhere.example\"}"))).isEqualTo("forbidden");
        assertThat(upstream.executed("tools/call")).hasSize(2);

        // The MCP annotations were recorded as a suggestion for the admin, never applied.
        JsonNode tools = gh.client().get("/v1/tool-servers/pay").path("tools");
        JsonNode refund = null;
        for (JsonNode t : tools) if (t.path("name").asText().equals("refund")) refund = t;
        assertThat(refund).as(tools.toString()).isNotNull();
        assertThat(refund.path("pin").path("suggested").toString()).contains("\"effect\":\"write\"").contains("\"risk\":\"high\"")
                .contains("\"destination\":\"internal\"");
        assertThat(refund.path("effect").asText()).isEqualTo("execute");
    }

    @Test
    void authenticationAndAttestationDecide() throws Exception {
        policies("""
                @id("test.executes-need-attestation")
                forbid(principal is Gatehouse::Agent, action == Gatehouse::Action::"execute", resource)
                unless { principal.attested };
                """);
        // A client secret: not attested.
        assertThat(reason(gw.open("pay", token("clerk")).call("refund", "{\"amount\":1}"))).isEqualTo("forbidden");
        // In prod the starter pack lets no client secret change anything: an agent whose scope is only changes
        // gets no task with one, and one that may also read is refused each change at the gateway.
        assertThat(tokenRequest("prod-clerk", Map.of()).path("error").asText()).isEqualTo("invalid_scope");
        assertThat(reason(gw.open("pay", token("prod-reader")).call("refund", "{\"amount\":1}"))).isEqualTo("workload_identity_required");
        assertThat(upstream.toolCalls()).isEmpty();

        // A registered key (private_key_jwt): attested, and prod changes are allowed.
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        gh.client().post("/v1/identities/prod-clerk/credentials", Map.of("type", "private_key_jwt", "jwk", key.toPublicJWK().toJSONObject()));
        String issuer = gh.baseUri().toString().replaceAll("/$", "");
        SignedJWT assertion = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(), new JWTClaimsSet.Builder()
                .issuer("prod-clerk").subject("prod-clerk").audience(issuer + "/oauth2/token").jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(Instant.now())).expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
        assertion.sign(new ECDSASigner(key));
        HttpResponse<String> issued = HTTP.send(HttpRequest.newBuilder(gh.baseUri().resolve("oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&task_intent=refund&client_assertion_type="
                        + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
                        + "&client_assertion=" + assertion.serialize())).build(), HttpResponse.BodyHandlers.ofString());
        String keyToken = McpPeers.JSON.readTree(issued.body()).path("access_token").asText();
        assertThat(gw.open("pay", keyToken).call("refund", "{\"amount\":1}").has("result")).as(issued.body()).isTrue();
        assertThat(upstream.toolCalls()).containsExactly("refund");
    }

    @Test
    void useCaseContractsBindTheTask() throws Exception {
        policies("");
        assertThat(tokenRequest("contractor", Map.of()).path("error").asText()).as("two use cases: one must be named").isEqualTo("invalid_request");
        assertThat(tokenRequest("contractor", Map.of("use_case", "sales")).path("error").asText()).isEqualTo("invalid_scope");
        assertThat(tokenRequest("contractor", Map.of("use_case", "outreach", "scope", "crm/lookup")).path("error").asText())
                .as("a scope beyond the use case").isEqualTo("invalid_scope");
        assertThat(gh.client().get("/v1/audit/events?type=contract.drift").path("items")).hasSize(2);

        JsonNode support = tokenRequest("contractor", Map.of("use_case", "support"));
        assertThat(support.path("scope").asText()).isEqualTo("crm/* mail/* read write");
        String token = support.path("access_token").asText();
        // A result above the use case's ceiling (internal) is withheld: an e-mail address is confidential.
        JsonNode confidential = gw.open("crm", token).call("lookup", "{\"q\":\"jane.roe@acme-corp.com\"}");
        assertThat(reason(confidential)).as(confidential.toString()).isEqualTo("exceeded_ceiling");
        assertThat(confidential.toString()).doesNotContain("jane.roe");
        assertThat(gw.open("crm", token).call("lookup", "{\"q\":\"order 42\"}").has("result")).isTrue();
        // The support use case keeps its data inside: the external mail server is not among its destinations.
        assertThat(reason(gw.open("mail", token).call("send_email", "{\"to\":\"x@acme.example\"}"))).isEqualTo("destination_outside_use_case");
        assertThat(audit("gateway.result")).anySatisfy(e -> {
            assertThat(e.path("outcome").asText()).isEqualTo("withheld");
            assertThat(e.path("reason").asText()).isEqualTo("exceeded_ceiling");
        });
        assertThat(gh.client().get("/v1/audit/events?type=contract.drift").path("items")).hasSize(4)
                .anySatisfy(e -> assertThat(e.path("reason").asText()).isEqualTo("destination_outside_use_case"));

        // The outreach use case may mail out.
        String outreach = tokenRequest("contractor", Map.of("use_case", "outreach")).path("access_token").asText();
        assertThat(gw.open("mail", outreach).call("send_email", "{\"to\":\"x@acme.example\"}").has("result")).isTrue();
    }

    @Test
    void ratesOverTimeDecide() throws Exception {
        policies("""
                @id("test.three-executes-per-task")
                forbid(principal, action == Gatehouse::Action::"execute", resource) when { context.session.effectCounts.execute >= 3 };

                @id("test.sixth-delete-needs-approval")
                @approval("group:nobody")
                forbid(principal, action, resource == Gatehouse::Tool::"pay/lookup")
                when { context.session.toolCalls >= 5 } unless { context.approval.granted };

                @id("test.identity-burst")
                forbid(principal, action, resource == Gatehouse::Tool::"crm/lookup") when { context.session.identityCallsLastMinute >= 4 };
                """);
        GatewayHarness.Session pay = gw.open("pay", token("clerk"));
        for (int i = 0; i < 3; i++) assertThat(pay.call("delete", "{}").has("result")).isTrue();
        assertThat(reason(pay.call("refund", "{\"amount\":1}"))).as("a fourth execute").isEqualTo("forbidden");
        for (int i = 0; i < 5; i++) assertThat(pay.call("lookup", "{}").has("result")).isTrue();
        JsonNode sixth = pay.call("lookup", "{}");
        assertThat(sixth.path("result").path("_meta").path("dev.gatehouse/approval").path("requestId").asText()).as(sixth.toString()).isNotBlank();

        // Across tasks of one identity: the burst rule counts the last minute, whatever the task (8 calls above, then one here).
        assertThat(reason(gw.open("crm", token("clerk")).call("lookup", "{}"))).isEqualTo("forbidden");
    }

    @Test
    void theAuthZenApiTakesTheSameKeysAndPushValidatesRulesThatUseThem() throws Exception {
        policies("""
                @id("test.refunds-under-500")
                forbid(principal, action, resource == Gatehouse::Tool::"pay/refund")
                unless { context has input && context.input has amount && context.input.amount < 500 };
                """);
        String ask = """
                {"subject":{"type":"agent","id":"clerk"},"action":{"name":"execute"},"resource":{"type":"tool","id":"pay/refund"},
                 "context":{"input":{"amount":AMOUNT},"authentication":{"method":"private_key_jwt"},
                            "session":{"effectCounts":{"execute":1},"toolCalls":1,"identityCallsLastMinute":2},
                            "task":{"useCase":"","dataCeiling":3,"destinations":["internal"]},
                            "result":{"classification":"public","level":0,"findings":[]}}}""";
        assertThat(gh.http("POST", "/access/v1/evaluation", ask.replace("AMOUNT", "100"), TestGatehouse.ADMIN_TOKEN).body())
                .isEqualTo("{\"decision\":true}");
        assertThat(gh.http("POST", "/access/v1/evaluation", ask.replace("AMOUNT", "900"), TestGatehouse.ADMIN_TOKEN).body())
                .startsWith("{\"decision\":false");
        var computed = gh.http("POST", "/access/v1/evaluation", ask.replace("\"input\"", "\"inputTruncated\":true,\"input\"")
                .replace("AMOUNT", "1"), TestGatehouse.ADMIN_TOKEN);
        assertThat(computed.statusCode()).as("inputTruncated is computed").isEqualTo(400);

        // A misspelt key in a rule is refused at push, with its position.
        var misspelt = gh.http("POST", "/v1/policies", McpPeers.JSON.writeValueAsString(Map.of("mode", "activate", "files", Map.of("bad.cedar",
                "\n\n@id(\"bad\")\nforbid(principal, action, resource) when { context.session.efectCounts.execute > 1 };\n"))),
                TestGatehouse.ADMIN_TOKEN);
        assertThat(misspelt.statusCode()).isEqualTo(400);
        assertThat(misspelt.body()).contains("bad.cedar:").contains("efectCounts");
    }
}
