package dev.gatehouse.httpapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.client.GatehouseApiException;
import dev.gatehouse.client.GatehouseClient;
import dev.gatehouse.testing.Cli;
import dev.gatehouse.testing.TestGatehouse;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Envoy ext_authz HTTP-service contract, with check requests written byte for byte as Envoy sends them
 * (http_service.path_prefix "/ext-authz/billing-api" + the original path and query, the original method,
 * Host = the original authority, Authorization, Content-Length, and with with_request_body the body):
 * 200 lets the request through with headers for the upstream; anything else is returned to the client.
 */
class ExtAuthzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CARD = "4111 1111 1111 1111";

    @TempDir
    Path tmp;
    TestGatehouse gh;
    GatehouseClient admin;
    String token;

    @BeforeEach
    void start() throws Exception {
        gh = TestGatehouse.start(tmp.resolve("data"));
        gh.gatehouse().seedStarterPolicies().orElseThrow();
        admin = gh.client();
        admin.post("v1/identities", Map.of("id", "alice", "kind", "human", "displayName", "Alice", "email", "alice@example.com"));
        admin.post("v1/identities", Map.of("id", "billing-agent", "kind", "agent", "displayName", "Billing agent", "owner", "alice",
                "purpose", "answers billing questions", "environment", "dev", "autonomy", "assistive",
                "scope", Map.of("tools", List.of("billing-api/*"), "effects", List.of("read", "write"))));
        admin.post("v1/tool-servers", Map.of("id", "billing-api", "displayName", "Billing API", "url", "https://billing.internal/",
                "trust", "approved", "destination", "internal", "tools", List.of(
                        Map.of("name", "list_invoices", "effect", "read", "risk", "low"),
                        Map.of("name", "get_invoice", "effect", "read", "risk", "low"),
                        Map.of("name", "send_invoice", "effect", "write", "risk", "medium", "destination", "external"),
                        Map.of("name", "delete_invoice", "effect", "execute", "risk", "high"))));
        admin.put("v1/tool-servers/billing-api/http-routes", Map.of("routes", List.of(
                Map.of("method", "GET", "path", "/invoices", "tool", "list_invoices"),
                Map.of("method", "GET", "path", "/invoices/{id}", "tool", "get_invoice"),
                Map.of("method", "POST", "path", "/invoices/{id}/send", "tool", "send_invoice"),
                Map.of("method", "DELETE", "path", "/invoices/**", "tool", "delete_invoice"))));
        admin.put("v1/tool-servers/billing-api/upstream-credential", Map.of("type", "header", "headerName", "X-Api-Key",
                "secret", "billing-api-key-0123456789"));
        String secret = admin.post("v1/identities/billing-agent/credentials", Map.of("type", "client_secret")).path("secret").asText();
        token = new GatehouseClient(gh.baseUri(), null).requestTaskToken("billing-agent", secret, "answer ticket 88", null, null)
                .path("access_token").asText();
    }

    @AfterEach
    void stop() throws Exception {
        gh.close();
    }

    private record Answer(int status, Map<String, String> headers, String body) {
        JsonNode json() throws Exception { return JSON.readTree(body); }
    }

    /** One check request as Envoy's HTTP ext_authz client writes it. */
    private Answer envoy(String method, String originalPathAndQuery, String authorization, String body, Map<String, String> extra) throws Exception {
        return envoy("/ext-authz/billing-api", method, originalPathAndQuery, authorization, body, extra);
    }

    private Answer envoy(String pathPrefix, String method, String originalPathAndQuery, String authorization, String body,
                         Map<String, String> extra) throws Exception {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder();
        request.append(method).append(' ').append(pathPrefix).append(originalPathAndQuery).append(" HTTP/1.1\r\n");
        request.append("host: billing.internal\r\n");
        if (authorization != null) request.append("authorization: ").append(authorization).append("\r\n");
        request.append("content-length: ").append(bytes.length).append("\r\n");
        request.append("x-envoy-expected-rq-timeout-ms: 500\r\n");
        extra.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        request.append("connection: close\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", gh.gatehouse().port())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        }
    }

    private Answer envoy(String method, String path, String body) throws Exception {
        return envoy(method, path, "Bearer " + token, body, Map.of());
    }

    private static Answer parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        String[] head = text.substring(0, split).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            headers.put(head[i].substring(0, colon).toLowerCase(Locale.ROOT), head[i].substring(colon + 1).strip());
        }
        return new Answer(Integer.parseInt(head[0].split(" ")[1]), headers, text.substring(split + 4));
    }

    @Test
    void anAllowedRequestIsA200WithHeadersForTheUpstream() throws Exception {
        Answer ok = envoy("GET", "/invoices/inv-42?expand=lines", null);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.headers()).containsKey("x-gatehouse-task").containsEntry("x-gatehouse-identity", "billing-agent")
                .containsEntry("x-api-key", "billing-api-key-0123456789");
        assertThat(envoy("GET", "/invoices", null).status()).isEqualTo(200);
        assertThat(envoy("HEAD", "/invoices/inv-42", null).status()).as("HEAD follows the GET route").isEqualTo(200);
    }

    @Test
    void withoutALiveTaskTokenTheClientGets401WithAChallenge() throws Exception {
        Answer none = envoy("GET", "/invoices", null, null, Map.of());
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.headers().get("www-authenticate")).contains("Bearer").contains("invalid_token");
        assertThat(none.json().path("reason").asText()).isEqualTo("invalid_token");
        assertThat(envoy("GET", "/invoices", "Bearer forged.token.value", null, Map.of()).status()).isEqualTo(401);

        String task = admin.get("v1/tasks", Map.of("identity", "billing-agent")).path("items").get(0).path("id").asText();
        admin.post("v1/tasks/" + task + "/complete", Map.of());
        assertThat(envoy("GET", "/invoices", null).status()).as("the task ended: the next request is refused").isEqualTo(401);
    }

    @Test
    void requestsThatMapToNoToolOrLieOutsideTheTaskAreRefused() throws Exception {
        Answer unmapped = envoy("GET", "/admin/users", null);
        assertThat(unmapped.status()).isEqualTo(403);
        assertThat(unmapped.json().path("reason").asText()).isEqualTo("no_route");
        Answer wrongMethod = envoy("PUT", "/invoices/inv-42", "{}");
        assertThat(wrongMethod.json().path("reason").asText()).isEqualTo("no_route");
        Answer execute = envoy("DELETE", "/invoices/inv-42/lines/3", null);
        assertThat(execute.status()).isEqualTo(403);
        assertThat(execute.json().path("reason").asText()).as("execute is not in the task's scope").isEqualTo("outside_task_scope");
        Answer unknownApi = envoy("/ext-authz/no-such-api", "GET", "/invoices", "Bearer " + token, null, Map.of());
        assertThat(unknownApi.status()).isEqualTo(404);
        assertThat(unknownApi.json().path("reason").asText()).isEqualTo("unknown_api");
    }

    @Test
    void theRequestBodyIsInspectedAndPolicyDecidesOnWhatItHolds() throws Exception {
        Answer clean = envoy("POST", "/invoices/inv-42/send", "{\"to\":\"customer\",\"note\":\"your invoice\"}");
        assertThat(clean.status()).as(clean.body()).isEqualTo(200);
        Answer card = envoy("POST", "/invoices/inv-42/send", "{\"to\":\"customer\",\"note\":\"card " + CARD + "\"}");
        assertThat(card.status()).isEqualTo(403);
        assertThat(card.json().path("reason").asText()).isEqualTo("forbidden");
        assertThat(card.body()).doesNotContain("starter.").as("no policy internals to the client");
        Answer partial = envoy("POST", "/invoices/inv-42/send", "Bearer " + token, "{\"to\":\"customer\"", Map.of("x-envoy-auth-partial-body", "true"));
        assertThat(partial.status()).as("a body the proxy cut off is not vouched for").isEqualTo(403);
    }

    @Test
    void everyDecisionIsAuditedWithTheRouteTemplateNeverThePathValuesOrTheBody() throws Exception {
        envoy("GET", "/invoices/inv-4242?customer=jordan", null);
        envoy("POST", "/invoices/inv-4242/send", "{\"note\":\"card " + CARD + "\"}");
        JsonNode events = admin.get("v1/audit/events", Map.of("type", "http.call")).path("items");
        assertThat(events).hasSize(2);
        assertThat(events.get(0).path("outcome").asText()).isEqualTo("allow");
        assertThat(events.get(0).path("resource").asText()).isEqualTo("billing-api/get_invoice");
        assertThat(events.get(0).path("detail").path("route").asText()).isEqualTo("/invoices/{id}");
        assertThat(events.get(1).path("outcome").asText()).isEqualTo("deny");
        assertThat(events.get(1).path("detail").path("findings").toString()).contains("pii.payment_card");
        assertThat(events.get(1).path("policies").toString()).contains("starter.no-sensitive-data-to-external-tools");
        String all = gh.http("GET", "/v1/audit/export", null, TestGatehouse.ADMIN_TOKEN).body();
        assertThat(all).doesNotContain("inv-4242").doesNotContain("jordan").doesNotContain("4111").doesNotContain(token)
                .doesNotContain("billing-api-key-0123456789");

        String task = events.get(0).path("task").asText();
        Cli.Run trace = Cli.run(Cli.adminEnv(gh), "trace", task);
        assertThat(trace.out()).contains("http call").contains("billing-api/get_invoice");
    }

    @Test
    void routesAreValidatedAgainstTheServersToolsAndReadBack() throws Exception {
        try {
            admin.put("v1/tool-servers/billing-api/http-routes", Map.of("routes", List.of(
                    Map.of("method", "GET", "path", "/x", "tool", "list_invoices"), Map.of("method", "GET", "path", "/y", "tool", "nope"))));
            throw new AssertionError("accepted a route to an unknown tool");
        } catch (GatehouseApiException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.field()).isEqualTo("routes[1].tool");
        }
        JsonNode routes = admin.get("v1/tool-servers/billing-api/http-routes").path("routes");
        assertThat(routes).hasSize(4).as("a refused replacement changes nothing");
        assertThat(routes.get(1).path("path").asText()).isEqualTo("/invoices/{id}");

        Path file = tmp.resolve("routes.yaml");
        Files.writeString(file, "routes:\n  - {method: get, path: /invoices, tool: list_invoices}\n");
        Cli.Run set = Cli.run(Cli.adminEnv(gh), "toolserver", "http-routes", "set", "billing-api", "-f", file.toString());
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(Cli.run(Cli.adminEnv(gh), "toolserver", "http-routes", "show", "billing-api").out())
                .contains("GET").contains("/invoices").contains("list_invoices").doesNotContain("get_invoice");
        assertThat(envoy("GET", "/invoices/inv-1", null).status()).as("the replaced table no longer maps it").isEqualTo(403);
    }
}
