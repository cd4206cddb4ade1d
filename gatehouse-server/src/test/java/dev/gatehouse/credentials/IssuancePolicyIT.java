package dev.gatehouse.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.TestGatehouse;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task's scope must be permitted by the active policy, not only declared (issue 4: else invalid_scope). */
class IssuancePolicyIT {
    @TempDir Path dir;

    @Test
    void scopeThePolicyForbidsIsInvalidScopeAndAPermittedOneIsIssued() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir)) {
            assertThat(gh.gatehouse().seedStarterPolicies()).isPresent();
            Broker b = new Broker(gh);
            b.human("dana");
            // A prod workload without the prod-writer tag: the starter pack forbids its writes.
            gh.client().post("/v1/identities", Map.of("id", "publisher", "kind", "workload", "displayName", "Publisher",
                    "owner", "dana", "purpose", "publishes images", "environment", "prod",
                    "scope", Map.of("tools", List.of("registry/*"), "effects", List.of("read", "write"))));
            gh.client().post("/v1/tool-servers", Map.of("id", "registry", "url", "https://registry.example/mcp", "trust", "approved",
                    "destination", "internal", "tools", List.of(
                            Map.of("name", "list_images", "effect", "read", "risk", "low"),
                            Map.of("name", "push_image", "effect", "write", "risk", "medium"))));
            String secret = b.addSecret("publisher").path("secret").asText();

            HttpResponse<String> writes = b.token("publisher", secret, "scope", "registry/push_image write");
            assertThat(writes.statusCode()).isEqualTo(400);
            assertThat(Broker.body(writes).path("error").asText()).isEqualTo("invalid_scope");
            assertThat(Broker.body(writes).path("error_description").asText()).contains("registry/push_image");
            assertThat(gh.client().get("/v1/tasks", Map.of("identity", "publisher")).path("items")).isEmpty();

            String reads = b.accessToken("publisher", secret, "scope", "registry/* read");
            assertThat(Jose.claims(reads).path("scope").asText()).isEqualTo("registry/* read");

            // Tagged prod-writer, the same request is permitted — to the workload proving itself with its registered key
            // (in prod, the starter pack lets no client secret change anything).
            gh.client().patch("/v1/identities/publisher", Map.of("tags", List.of("prod-writer")));
            assertThat(b.token("publisher", secret, "scope", "registry/push_image write").statusCode()).isEqualTo(400);
            com.nimbusds.jose.jwk.ECKey key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyID("k").generate();
            gh.client().post("/v1/identities/publisher/credentials", Map.of("type", "private_key_jwt", "jwk", key.toPublicJWK().toJSONObject()));
            var withKey = gh.client().requestTaskTokenWithKey("publisher", key.toJSONString(), "publish", "registry/push_image write", null);
            assertThat(withKey.path("scope").asText()).isEqualTo("registry/push_image write");
        }
    }
}
