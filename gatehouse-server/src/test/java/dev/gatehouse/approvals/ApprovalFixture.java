package dev.gatehouse.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.Json;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.registry.GroupSpec;
import dev.gatehouse.registry.IdentitySpec;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.registry.Scope;
import dev.gatehouse.registry.Vocabulary.Autonomy;
import dev.gatehouse.registry.Vocabulary.Effect;
import dev.gatehouse.registry.Vocabulary.IdentityKind;
import dev.gatehouse.testing.TestGatehouse;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cast of the approval tests: alice owns the agent {@code deployer}; bob is in {@code oncall},
 * nested in {@code sre} and in {@code breakglass-responders}; carol is in no group; dave (in {@code sre}) is the
 * human the agent acts for.
 */
final class ApprovalFixture {
    static final String DIGEST = Secrets.sha256Hex("{\"service\":\"billing\",\"version\":\"1.4.2\"}");

    final TestGatehouse gh;
    final Map<String, String> tokens = new java.util.HashMap<>();

    ApprovalFixture(TestGatehouse gh) throws Exception {
        this.gh = gh;
        RegistryService registry = gh.gatehouse().registry();
        registry.createGroup(new GroupSpec("sre", "SRE", List.of()), "test");
        registry.createGroup(new GroupSpec("breakglass-responders", "Break-glass responders", List.of()), "test");
        registry.createGroup(new GroupSpec("oncall", "On call", List.of("sre", "breakglass-responders")), "test");
        human(registry, "alice", List.of());
        human(registry, "bob", List.of("oncall"));
        human(registry, "carol", List.of());
        human(registry, "dave", List.of("sre"));
        registry.register(new IdentitySpec("deployer", IdentityKind.AGENT, "Deployer", "alice", "deploys services", "prod", List.of(), List.of(),
                new Scope(List.of("ops/*"), Set.of(Effect.READ, Effect.EXECUTE)), Autonomy.ASSISTIVE, null, null, null), "test");
        for (String h : List.of("alice", "bob", "carol", "dave")) {
            HttpResponse<String> r = gh.http("POST", "/v1/identities/" + h + "/approver-tokens", "{\"name\":\"laptop\"}", TestGatehouse.ADMIN_TOKEN);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            tokens.put(h, Json.MAPPER.readTree(r.body()).get("token").asText());
        }
    }

    private static void human(RegistryService registry, String id, List<String> groups) {
        registry.register(new IdentitySpec(id, IdentityKind.HUMAN, id, null, null, null, List.of(), groups, null, null, null,
                id + "@example.com", null), "test");
    }

    /** Activates the starter pack's break-glass rules (responders may, never for what they own). */
    void activateBreakGlassPolicy() throws Exception {
        String policy = java.nio.file.Files.readString(java.nio.file.Path.of("..", "policies", "starter", "breakglass.cedar"));
        HttpResponse<String> r = gh.http("POST", "/v1/policies", Json.write(Map.of("files", Map.of("breakglass.cedar", policy))),
                TestGatehouse.ADMIN_TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    HeldCall call(String task, String digest, List<String> approvers) {
        return new HeldCall("deployer", List.of("deployer"), "dave", task, "ship billing 1.4.2", "ops/deploy_service", digest,
                "deploy_service(service=billing, version=1.4.2, token=[masked:secret])", "critical", List.of("prod-deploys-need-approval"),
                approvers);
    }

    HttpResponse<String> approve(String id, String human) throws Exception {
        return gh.http("POST", "/v1/approvals/" + id + "/approve", "{\"reason\":\"change ticket CHG-1\"}", tokens.get(human));
    }

    HttpResponse<String> deny(String id, String human, String reason) throws Exception {
        return gh.http("POST", "/v1/approvals/" + id + "/deny", reason == null ? null : Json.write(Map.of("reason", reason)), tokens.get(human));
    }

    /** A live task token of {@code identity} through a client secret and {@code POST /oauth2/token}. */
    String taskToken(String identity) throws Exception {
        String secret = gh.client().post("v1/identities/" + identity + "/credentials", Map.of("type", "client_secret")).path("secret").asText();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(gh.baseUri().resolve("oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((identity + ":" + secret).getBytes(
                        java.nio.charset.StandardCharsets.UTF_8)))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&task_intent=ship+billing")).build();
        HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body()).get("access_token").asText();
    }

    List<JsonNode> auditEvents(String type) throws Exception {
        HttpResponse<String> r = gh.http("GET", "/v1/audit/events?limit=1000&type=" + type, null, TestGatehouse.ADMIN_TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        Json.MAPPER.readTree(r.body()).get("items").forEach(out::add);
        return out;
    }
}
