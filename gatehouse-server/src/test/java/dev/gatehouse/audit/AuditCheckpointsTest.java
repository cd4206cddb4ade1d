package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import dev.gatehouse.core.Json;
import dev.gatehouse.testing.TestGatehouse;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed checkpoints through a real server: trigger by count, ES256 over {seq,hash,time}, key kept across restarts. */
class AuditCheckpointsTest {
    @TempDir Path dir;

    private static void record(TestGatehouse gh, int n) {
        for (int i = 0; i < n; i++) {
            gh.gatehouse().audit().record(AuditEvent.of("test.event", AuditEvent.Category.ACCESS, "success", "system")
                    .withDetail(Map.of("i", i)));
        }
    }

    private static JsonNode awaitCheckpoints(TestGatehouse gh, int atLeast) throws Exception {
        for (int attempt = 0; attempt < 200; attempt++) {
            JsonNode body = gh.client().get("/v1/audit/checkpoints");
            if (body.get("items").size() >= atLeast) return body;
            Thread.sleep(50);
        }
        throw new AssertionError("no checkpoint appeared");
    }

    @Test
    void everyNthRecordIsCheckpointedWithAnEs256SignatureOverTheChainHead() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir, null, Map.of("audit.checkpointEvery", "10", "audit.checkpointSeconds", "3600"))) {
            record(gh, 10);
            JsonNode body = awaitCheckpoints(gh, 1);
            JsonNode cp = body.get("items").get(0);
            assertThat(cp.get("seq").asLong()).isGreaterThanOrEqualTo(10);

            JWKSet jwks = JWKSet.parse(Json.write(gh.client().get("/v1/audit/jwks")));
            assertThat(jwks.getKeys()).hasSize(1);
            assertThat(jwks.getKeys().get(0).isPrivate()).isFalse();
            assertThat(body.get("jwks").get("keys").get(0).has("d")).isFalse();
            JWSObject jws = JWSObject.parse(cp.get("jws").asText());
            assertThat(jws.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
            ECKey key = (ECKey) jwks.getKeyByKeyId(jws.getHeader().getKeyID());
            assertThat(jws.verify(new ECDSAVerifier(key.toECPublicKey()))).isTrue();
            Map<String, Object> payload = jws.getPayload().toJSONObject();
            assertThat(payload).containsOnlyKeys("seq", "hash", "time");

            // The signed hash is the hash of the record at that seq in the export.
            HttpResponse<String> export = gh.http("GET", "/v1/audit/export", null, TestGatehouse.ADMIN_TOKEN);
            assertThat(export.statusCode()).isEqualTo(200);
            assertThat(export.headers().firstValue("content-type")).hasValue("application/x-ndjson");
            long seq = ((Number) payload.get("seq")).longValue();
            String atSeq = export.body().lines().map(l -> Json.read(l, Map.class))
                    .filter(m -> m.containsKey("seq") && ((Number) m.get("seq")).longValue() == seq)
                    .map(m -> (String) m.get("hash")).findFirst().orElseThrow();
            assertThat(payload.get("hash")).isEqualTo(atSeq);
            assertThat(export.body()).contains("{\"checkpoint\":");
        }
    }

    @Test
    void aQuietChainIsStillCheckpointedAfterTheInterval() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir, null, Map.of("audit.checkpointEvery", "1000000", "audit.checkpointSeconds", "1"))) {
            record(gh, 2);
            JsonNode cp = awaitCheckpoints(gh, 1).get("items").get(0);
            assertThat(cp.get("seq").asLong()).isGreaterThanOrEqualTo(3); // bootstrap + 2
        }
    }

    @Test
    void checkpointKeyIsPersistedOwnerOnlyAndReusedAfterRestart() throws Exception {
        String kid;
        try (TestGatehouse gh = TestGatehouse.start(dir)) {
            kid = gh.client().get("/v1/audit/jwks").get("keys").get(0).get("kid").asText();
            record(gh, 3);
            assertThat(gh.gatehouse().checkpoints().checkpointNow()).isPresent();
            assertThat(gh.gatehouse().checkpoints().checkpointNow()).as("head unchanged: nothing new to sign").isEmpty();
        }
        Path keyFile = dir.resolve("keys/audit-checkpoint.jwk");
        assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        try (TestGatehouse gh = TestGatehouse.start(dir)) {
            JsonNode keys = gh.client().get("/v1/audit/jwks").get("keys");
            assertThat(keys).hasSize(1);
            assertThat(keys.get(0).get("kid").asText()).isEqualTo(kid);
            List<String> lines = gh.http("GET", "/v1/audit/export", null, TestGatehouse.ADMIN_TOKEN).body().lines().toList();
            ChainVerifier.Result r = ChainVerifier.verify(lines, List.of(), JWKSet.parse(Json.write(gh.client().get("/v1/audit/jwks"))), false);
            assertThat(r).isInstanceOf(ChainVerifier.Intact.class);
            assertThat(((ChainVerifier.Intact) r).checkpointsMatched()).isEqualTo(1);
        }
    }

    @Test
    void badQueryParametersAreRejectedWithTheField() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir)) {
            HttpResponse<String> r = gh.http("GET", "/v1/audit/checkpoints?limit=x", null, TestGatehouse.ADMIN_TOKEN);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(Json.read(r.body(), Map.class).get("field")).isEqualTo("limit");
            assertThat(gh.http("GET", "/v1/audit/jwks", null, null).statusCode()).isEqualTo(401);
        }
    }
}
