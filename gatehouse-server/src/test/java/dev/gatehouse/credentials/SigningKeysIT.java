package dev.gatehouse.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.testing.TestStores;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SigningKeysIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @TempDir Path dir;

    @ParameterizedTest
    @EnumSource(TestStores.Kind.class)
    void jwksAndMetadataArePublicAndSignaturesVerifyWithAnIndependentVerifier(TestStores.Kind store) throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir, TestStores.freshUrl(store, dir), Map.of())) {
            String jws = gh.gatehouse().signingKeys().sign("checkpoint+jws", "{\"seq\":42}".getBytes(StandardCharsets.UTF_8));

            HttpResponse<String> jwks = gh.http("GET", "/.well-known/jwks.json", null, null);
            assertThat(jwks.statusCode()).isEqualTo(200);
            assertThat(jwks.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/jwk-set+json"));
            JsonNode keys = JSON.readTree(jwks.body());
            assertThat(keys.path("keys")).hasSize(1);
            assertThat(keys.path("keys").get(0).has("d")).as("private part never published").isFalse();
            assertThat(Jose.verifiesWith(jws, keys)).isTrue();
            assertThat(Jose.header(jws).path("typ").asText()).isEqualTo("checkpoint+jws");

            JsonNode meta = JSON.readTree(gh.http("GET", "/.well-known/oauth-authorization-server", null, null).body());
            String issuer = gh.baseUri().toString().replaceAll("/$", "");
            assertThat(meta.path("issuer").asText()).isEqualTo(issuer);
            assertThat(meta.path("token_endpoint").asText()).isEqualTo(issuer + "/oauth2/token");
            assertThat(meta.path("jwks_uri").asText()).isEqualTo(issuer + "/.well-known/jwks.json");
            assertThat(meta.path("grant_types_supported").toString()).contains("client_credentials", "token-exchange");
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.Kind.class)
    void rotatedKeyKeepsVerifyingUntilItsLastTokenCouldHaveExpiredThenLeavesTheJwks(TestStores.Kind store) throws Exception {
        MutableClock clock = MutableClock.now();
        try (TestGatehouse gh = TestGatehouse.start(dir, TestStores.freshUrl(store, dir), Map.of("credentials.maxTtlSeconds", "600"), clock)) {
            Signer signer = gh.gatehouse().signingKeys();
            String before = signer.sign("checkpoint+jws", "old".getBytes(StandardCharsets.UTF_8));
            String oldKid = Jose.header(before).path("kid").asText();

            HttpResponse<String> rotated = gh.http("POST", "/v1/keys/rotate", null, TestGatehouse.ADMIN_TOKEN);
            assertThat(rotated.statusCode()).isEqualTo(201);
            String newKid = JSON.readTree(rotated.body()).path("kid").asText();
            assertThat(newKid).isNotEqualTo(oldKid);

            if (store == TestStores.Kind.POSTGRES) {
                // A cluster store: published first (in the JWKS), signing only after the activation delay (10 s).
                assertThat(JSON.readTree(rotated.body()).path("status").asText()).isEqualTo("pending");
                String meanwhile = signer.sign("checkpoint+jws", "meanwhile".getBytes(StandardCharsets.UTF_8));
                assertThat(Jose.header(meanwhile).path("kid").asText()).as("the old key signs until then").isEqualTo(oldKid);
                assertThat(gh.http("GET", "/.well-known/jwks.json", null, null).body()).contains(newKid);
                clock.advance(Duration.ofSeconds(10));
            }
            String after = signer.sign("checkpoint+jws", "new".getBytes(StandardCharsets.UTF_8));
            assertThat(Jose.header(after).path("kid").asText()).as("the new key signs (at once on the embedded store)").isEqualTo(newKid);
            JsonNode jwks = JSON.readTree(gh.http("GET", "/.well-known/jwks.json", null, null).body());
            assertThat(jwks.path("keys")).hasSize(2);
            assertThat(Jose.verifiesWith(before, jwks)).isTrue();
            assertThat(new String(signer.verify(before, "checkpoint+jws"), StandardCharsets.UTF_8)).isEqualTo("old");

            clock.advance(Duration.ofSeconds(600 + 30));
            assertThat(signer.verify(before, "checkpoint+jws")).as("still within the longest token lifetime plus skew").isNotNull();

            clock.advance(Duration.ofSeconds(31));
            assertThatThrownBy(() -> signer.verify(before, "checkpoint+jws")).isInstanceOf(Signer.InvalidSignature.class);
            jwks = JSON.readTree(gh.http("GET", "/.well-known/jwks.json", null, null).body());
            assertThat(jwks.path("keys")).hasSize(1);
            assertThat(jwks.path("keys").get(0).path("kid").asText()).isEqualTo(newKid);

            JsonNode listed = JSON.readTree(gh.http("GET", "/v1/keys", null, TestGatehouse.ADMIN_TOKEN).body());
            assertThat(listed.path("items").findValuesAsText("status")).containsExactly("active", "retired");
            assertThat(listed.toString()).doesNotContain("\"d\"").doesNotContain("private");
        }
    }

    @Test
    void keyOperationsNeedAnAdminToken() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir)) {
            assertThat(gh.http("GET", "/v1/keys", null, null).statusCode()).isEqualTo(401);
            assertThat(gh.http("POST", "/v1/keys/rotate", null, "not-a-token").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void privateKeysAreSealedAtRestUnderAnOwnerOnlyKeyFile() throws Exception {
        String url = TestStores.freshUrl(TestStores.Kind.H2, dir);
        Path data = dir.resolve("data");
        try (TestGatehouse gh = TestGatehouse.start(data, url, Map.of())) {
            Path kek = data.resolve("kek");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kek))).isEqualTo("rw-------");
            try (Connection c = gh.gatehouse().database().dataSource().getConnection();
                 ResultSet rs = c.createStatement().executeQuery("SELECT public_jwk, private_sealed FROM signing_keys")) {
                assertThat(rs.next()).isTrue();
                String sealed = rs.getString("private_sealed");
                assertThat(sealed).doesNotContain("\"d\"").doesNotContain("P-256").doesNotContain("{");
                assertThat(rs.getString("public_jwk")).doesNotContain("\"d\"");
            }
        }
        // The same store with another key-encryption key cannot use the keys: fail at start, never sign with garbage.
        String otherKek = Base64.getEncoder().encodeToString(new byte[32]);
        assertThatThrownBy(() -> TestGatehouse.start(dir.resolve("other"), url, Map.of("kek", otherKek)).close())
                .hasMessageContaining("cannot be decrypted").hasMessageNotContaining(otherKek);
    }

    @Test
    void configuredKekIsUsedAndNoKeyFileIsWritten() throws Exception {
        String kek = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        Path data = dir.resolve("data");
        try (TestGatehouse gh = TestGatehouse.start(data, null, Map.of("kek", kek))) {
            assertThat(gh.http("GET", "/.well-known/jwks.json", null, null).statusCode()).isEqualTo(200);
        }
        assertThat(data.resolve("kek")).doesNotExist();
        assertThatThrownBy(() -> TestGatehouse.start(dir.resolve("short"), null, Map.of("kek", "c2hvcnQ=")).close())
                .hasMessageContaining("32 bytes");
    }

    @Test
    void verificationRefusesAlgNoneHmacWithThePublicKeyAndTampering() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir)) {
            Signer signer = gh.gatehouse().signingKeys();
            String good = signer.sign("checkpoint+jws", "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
            String[] parts = good.split("\\.");
            JsonNode jwk = JSON.readTree(gh.http("GET", "/.well-known/jwks.json", null, null).body()).path("keys").get(0);
            String kid = jwk.path("kid").asText();
            String payload = B64.encodeToString("{\"n\":2}".getBytes(StandardCharsets.UTF_8));

            String none = B64.encodeToString(("{\"alg\":\"none\",\"kid\":\"" + kid + "\",\"typ\":\"checkpoint+jws\"}").getBytes(StandardCharsets.UTF_8))
                    + "." + payload + ".";
            String hsHeader = B64.encodeToString(("{\"alg\":\"HS256\",\"kid\":\"" + kid + "\",\"typ\":\"checkpoint+jws\"}").getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(jwk.toString().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String hs = hsHeader + "." + payload + "." + B64.encodeToString(mac.doFinal((hsHeader + "." + payload).getBytes(StandardCharsets.US_ASCII)));
            String tampered = parts[0] + "." + payload + "." + parts[2];

            assertThat(signer.verify(good, "checkpoint+jws")).isNotEmpty();
            for (String forged : new String[] {none, hs, tampered, "garbage", good + "x"}) {
                assertThatThrownBy(() -> signer.verify(forged, "checkpoint+jws")).isInstanceOf(Signer.InvalidSignature.class);
            }
            assertThatThrownBy(() -> signer.verify(good, "at+jwt")).as("type confusion").isInstanceOf(Signer.InvalidSignature.class);
        }
    }
}
