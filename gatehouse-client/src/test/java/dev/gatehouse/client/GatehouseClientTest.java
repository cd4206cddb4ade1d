package dev.gatehouse.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SDK's requests are the ones the Gatehouse API documents, and its failures carry the server's error. */
class GatehouseClientTest {
    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void aTaskTokenIsRequestedWithClientCredentialsAndBasicAuthentication() throws Exception {
        try (FakeServer server = new FakeServer(r -> FakeServer.Reply.json(200,
                "{\"access_token\":\"eyJ.x.y\",\"token_type\":\"Bearer\",\"expires_in\":600,\"scope\":\"crm/* read\",\"task_id\":\"task_1\"}"))) {
            JsonNode issued = new GatehouseClient(server.base(), null)
                    .requestTaskToken("support-bot", "ghcs_s3cr=t&x", "answer ticket 4711", "crm/* read", 300);
            assertThat(issued.path("task_id").asText()).isEqualTo("task_1");
            FakeServer.Seen seen = server.seen.get(0);
            assertThat(seen.method()).isEqualTo("POST");
            assertThat(seen.path()).isEqualTo("/oauth2/token");
            assertThat(seen.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
            assertThat(form(seen.body())).containsEntry("grant_type", "client_credentials").containsEntry("task_intent", "answer ticket 4711")
                    .containsEntry("scope", "crm/* read").containsEntry("ttl", "300");
            // RFC 6749 §2.3.1: client id and secret are form-encoded before the Basic encoding.
            String basic = new String(Base64.getDecoder().decode(seen.header("Authorization").substring("Basic ".length())), StandardCharsets.UTF_8);
            assertThat(basic).isEqualTo("support-bot:ghcs_s3cr%3Dt%26x");
            assertThat(seen.body()).doesNotContain("ghcs_");
        }
    }

    @Test
    void aTokenExchangeSendsTheSubjectTokenAsAnAccessToken() throws Exception {
        try (FakeServer server = new FakeServer(r -> FakeServer.Reply.json(200, "{\"access_token\":\"eyJ.d.e\",\"issued_token_type\":"
                + "\"urn:ietf:params:oauth:token-type:access_token\",\"task_id\":\"task_1\"}"))) {
            JsonNode delegated = new GatehouseClient(server.base(), null).exchangeToken("helper-bot", "secret", "eyJ.x.y", "crm/lookup read", null);
            assertThat(delegated.path("access_token").asText()).isEqualTo("eyJ.d.e");
            Map<String, String> sent = form(server.seen.get(0).body());
            assertThat(sent).containsEntry("grant_type", GatehouseClient.TOKEN_EXCHANGE).containsEntry("subject_token", "eyJ.x.y")
                    .containsEntry("subject_token_type", GatehouseClient.ACCESS_TOKEN_TYPE).containsEntry("scope", "crm/lookup read")
                    .doesNotContainKey("ttl");
        }
    }

    @Test
    void anEvaluationIsAnAuthZenRequestWithTheBearerToken() throws Exception {
        try (FakeServer server = new FakeServer(r -> FakeServer.Reply.json(200, "{\"decision\":false,\"context\":{\"reason\":\"not_permitted\"}}"))) {
            JsonNode answer = new GatehouseClient(server.base(), "pdp-token").evaluate(Map.of("type", "agent", "id", "bot"), "read",
                    Map.of("type", "tool", "id", "crm/lookup"), null);
            assertThat(answer.path("decision").asBoolean()).isFalse();
            FakeServer.Seen seen = server.seen.get(0);
            assertThat(seen.path()).isEqualTo("/access/v1/evaluation");
            assertThat(seen.header("Authorization")).isEqualTo("Bearer pdp-token");
            assertThat(seen.body()).contains("\"subject\":{").contains("\"action\":{\"name\":\"read\"}").doesNotContain("\"context\"");
        }
    }

    @Test
    void errorsCarryTheServersCodeFieldAndMessageInOneLine() throws Exception {
        try (FakeServer server = new FakeServer(r -> r.path().startsWith("/oauth2")
                ? FakeServer.Reply.json(400, "{\"error\":\"invalid_scope\",\"error_description\":\"the requested scope is empty\"}")
                : FakeServer.Reply.json(400, "{\"error\":\"invalid_request\",\"message\":\"owner 'ghost' does not exist\",\"field\":\"owner\"}"))) {
            GatehouseClient client = new GatehouseClient(server.base(), "t");
            assertThatThrownBy(() -> client.post("v1/identities", Map.of("id", "x")))
                    .isInstanceOfSatisfying(GatehouseApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.field()).isEqualTo("owner");
                        assertThat(e.oneLine()).isEqualTo("400 invalid_request (owner): owner 'ghost' does not exist");
                    });
            assertThatThrownBy(() -> client.requestTaskToken("a", "b", "c", null, null))
                    .isInstanceOfSatisfying(GatehouseApiException.class, e -> assertThat(e.oneLine())
                            .isEqualTo("400 invalid_scope: the requested scope is empty"));
        }
    }

    @Test
    void anUnreachableServerIsAnUncheckedIoErrorNamingTheServer() {
        GatehouseClient client = new GatehouseClient(URI.create("http://127.0.0.1:1/"), null);
        assertThatThrownBy(() -> client.get("v1/identities")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot reach http://127.0.0.1:1/");
    }

    @Test
    void pathSegmentsAreEncodedSoAnIdCannotChangeThePath() {
        assertThat(GatehouseClient.segment("a/../b c")).isEqualTo("a%2F..%2Fb%20c");
    }
}
