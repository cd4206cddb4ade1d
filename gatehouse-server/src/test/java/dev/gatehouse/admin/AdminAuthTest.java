package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.TestGatehouse;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admin authentication: every /v1/ route needs a bearer token, roles limit what it may do, tokens are stored hashed. */
class AdminAuthTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    TestGatehouse server;

    @BeforeEach
    void start() throws Exception {
        server = TestGatehouse.start(tmp);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void everyV1RouteRejectsMissingAndUnknownTokens() throws Exception {
        for (var route : server.gatehouse().router().routes()) {
            if (!route.pattern().startsWith("/v1/")) continue;
            String path = route.pattern().replaceAll("\\{[a-z]+}", "x");
            for (String token : new String[] {null, "gha_unknown.not-a-real-token"}) {
                HttpResponse<String> r = server.http(route.method(), path, "{}", token);
                assertThat(r.statusCode()).as(route.method() + " " + path + " with " + token).isEqualTo(401);
                assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
                assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("unauthenticated");
            }
        }
    }

    @Test
    void publicRoutesNeedNoToken() throws Exception {
        assertThat(server.http("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
        assertThat(server.http("GET", "/readyz", null, null).statusCode()).isEqualTo(200);
        assertThat(server.http("GET", "/openapi.json", null, null).statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = server.http("GET", "/metrics", null, null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE").contains("jvm_memory_used_bytes");
    }

    @Test
    void readerTokensReadButCannotWrite() throws Exception {
        String reader = create("auditor", "reader");
        assertThat(server.http("GET", "/v1/identities", null, reader).statusCode()).isEqualTo(200);
        HttpResponse<String> write = server.http("POST", "/v1/identities",
                "{\"id\":\"mallory\",\"kind\":\"human\",\"displayName\":\"M\",\"email\":\"m@example.com\"}", reader);
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(write.body()).path("error").asText()).isEqualTo("forbidden");
        assertThat(server.http("GET", "/v1/identities/mallory", null, TestGatehouse.ADMIN_TOKEN).statusCode()).isEqualTo(404);
        assertThat(server.http("POST", "/v1/admin-tokens", "{\"name\":\"escalate\",\"role\":\"admin\"}", reader).statusCode()).isEqualTo(403);
        String pdp = create("pdp-client", "pdp");
        assertThat(server.http("GET", "/v1/identities", null, pdp).statusCode()).isEqualTo(403);
    }

    @Test
    void tokensAreShownOnceListedWithoutValueAndRevocable() throws Exception {
        HttpResponse<String> created = server.http("POST", "/v1/admin-tokens", "{\"name\":\"ci\"}", TestGatehouse.ADMIN_TOKEN);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        String secret = body.path("secret").asText();
        String id = body.path("token").path("id").asText();
        assertThat(secret).startsWith("gha_" + id + ".");
        assertThat(server.http("GET", "/v1/identities", null, secret).statusCode()).isEqualTo(200);

        String listing = server.http("GET", "/v1/admin-tokens", null, TestGatehouse.ADMIN_TOKEN).body();
        assertThat(listing).contains(id).doesNotContain(secret).doesNotContain(secret.substring(secret.indexOf('.') + 1));

        assertThat(server.http("POST", "/v1/admin-tokens/" + id + "/revoke", null, TestGatehouse.ADMIN_TOKEN).statusCode()).isEqualTo(200);
        assertThat(server.http("GET", "/v1/identities", null, secret).statusCode()).isEqualTo(401);
        assertThat(server.http("POST", "/v1/admin-tokens/" + id + "/revoke", null, TestGatehouse.ADMIN_TOKEN).statusCode()).isEqualTo(409);
    }

    @Test
    void theLastAdminTokenCannotBeRevoked() throws Exception {
        JsonNode tokens = JSON.readTree(server.http("GET", "/v1/admin-tokens", null, TestGatehouse.ADMIN_TOKEN).body());
        String bootstrapId = tokens.path("items").get(0).path("id").asText();
        HttpResponse<String> r = server.http("POST", "/v1/admin-tokens/" + bootstrapId + "/revoke", null, TestGatehouse.ADMIN_TOKEN);
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(server.http("GET", "/v1/identities", null, TestGatehouse.ADMIN_TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void bootstrapHappensOnceAndOnlyAHashIsStored() throws Exception {
        assertThat(server.gatehouse().bootstrap(null)).isEmpty();
        String secret = create("hash-check", "admin");
        server.close();
        try (Stream<Path> files = Files.walk(tmp)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(content).as(f.toString()).doesNotContain(TestGatehouse.ADMIN_TOKEN).doesNotContain(secret);
            }
        }
        server = TestGatehouse.start(tmp);
    }

    private String create(String name, String role) throws Exception {
        HttpResponse<String> r = server.http("POST", "/v1/admin-tokens", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}",
                TestGatehouse.ADMIN_TOKEN);
        assertThat(r.statusCode()).isEqualTo(201);
        return JSON.readTree(r.body()).path("secret").asText();
    }
}
