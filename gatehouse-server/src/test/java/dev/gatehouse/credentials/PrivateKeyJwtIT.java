package dev.gatehouse.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.client.GatehouseApiException;
import dev.gatehouse.testing.TestGatehouse;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 7523 client authentication: the agent signs an assertion with its own key; Gatehouse holds only the public JWK. */
class PrivateKeyJwtIT {
    @TempDir Path dir;
    private ECKey clientKey;

    @BeforeEach
    void key() throws Exception {
        clientKey = new ECKeyGenerator(Curve.P_256).keyID("bot-key-1").generate();
    }

    private String assertion(Broker b, Instant now, Consumer<JWTClaimsSet.Builder> tweak) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer("triage-bot").subject("triage-bot")
                .audience(b.issuer() + "/oauth2/token").jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(60)));
        tweak.accept(claims);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("bot-key-1").build(), claims.build());
        jwt.sign(new ECDSASigner(clientKey));
        return jwt.serialize();
    }

    private HttpResponse<String> token(Broker b, String assertion) throws Exception {
        return b.form("/oauth2/token", Map.of("grant_type", "client_credentials", "task_intent", "label issues",
                "client_assertion_type", ClientAuthenticator.JWT_BEARER, "client_assertion", assertion), null, null, null);
    }

    private Broker register(TestGatehouse gh) {
        Broker b = new Broker(gh).standard();
        gh.client().post("/v1/identities/triage-bot/credentials", Map.of("type", "private_key_jwt", "jwk", clientKey.toPublicJWK().toJSONObject()));
        return b;
    }

    @Test
    void agentAuthenticatesWithASignedAssertionAndReplayIsRejected() throws Exception {
        MutableClock clock = MutableClock.now();
        try (TestGatehouse gh = TestGatehouse.start(dir, null, Map.of(), clock)) {
            Broker b = register(gh);
            String assertion = assertion(b, clock.instant(), c -> {});
            HttpResponse<String> first = token(b, assertion);
            assertThat(first.statusCode()).isEqualTo(200);
            String token = Broker.body(first).path("access_token").asText();
            assertThat(Jose.verifiesWith(token, b.jwks())).isTrue();
            assertThat(Jose.claims(token).path("sub").asText()).isEqualTo("spiffe://gatehouse.local/agent/triage-bot");

            HttpResponse<String> replay = token(b, assertion);
            assertThat(replay.statusCode()).isEqualTo(401);
            assertThat(Broker.body(replay).path("error").asText()).isEqualTo("invalid_client");

            // The issuer URL itself is also an accepted audience (RFC 7523 §3).
            assertThat(token(b, assertion(b, clock.instant(), c -> c.audience(b.issuer()))).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void everyForgedOrStaleAssertionIsInvalidClient() throws Exception {
        MutableClock clock = MutableClock.now();
        try (TestGatehouse gh = TestGatehouse.start(dir, null, Map.of(), clock)) {
            Broker b = register(gh);
            Instant now = clock.instant();
            Map<String, String> attacks = new java.util.LinkedHashMap<>();
            attacks.put("expired", assertion(b, now, c -> c.expirationTime(Date.from(now.minusSeconds(120)))));
            attacks.put("not yet valid", assertion(b, now, c -> c.notBeforeTime(Date.from(now.plusSeconds(300)))));
            attacks.put("wrong audience", assertion(b, now, c -> c.audience("https://elsewhere.example/token")));
            attacks.put("no exp", assertion(b, now, c -> c.expirationTime(null)));
            attacks.put("no jti", assertion(b, now, c -> c.jwtID(null)));
            attacks.put("too long-lived", assertion(b, now, c -> c.expirationTime(Date.from(now.plus(Duration.ofHours(2))))));
            attacks.put("sub is someone else", assertion(b, now, c -> c.subject("other-bot")));
            attacks.put("claims another client", assertion(b, now, c -> c.issuer("other-bot").subject("other-bot")));

            ECKey attacker = new ECKeyGenerator(Curve.P_256).keyID("bot-key-1").generate();
            SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("bot-key-1").build(),
                    SignedJWT.parse(assertion(b, now, c -> {})).getJWTClaimsSet());
            forged.sign(new ECDSASigner(attacker));
            attacks.put("forged signature", forged.serialize());

            JWTClaimsSet valid = SignedJWT.parse(assertion(b, now, c -> {})).getJWTClaimsSet();
            attacks.put("alg none", new PlainJWT(valid).serialize());
            SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("bot-key-1").build(), valid);
            hs.sign(new MACSigner(clientKey.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));
            attacks.put("HS256 keyed with the public key", hs.serialize());
            attacks.put("garbage", "not.a.jwt");

            for (Map.Entry<String, String> attack : attacks.entrySet()) {
                HttpResponse<String> r = token(b, attack.getValue());
                assertThat(r.statusCode()).as(attack.getKey()).isEqualTo(401);
                assertThat(Broker.body(r).path("error").asText()).as(attack.getKey()).isEqualTo("invalid_client");
                assertThat(Broker.body(r).path("error_description").asText()).as(attack.getKey()).isEqualTo("client authentication failed");
            }
            HttpResponse<String> wrongType = b.form("/oauth2/token", Map.of("grant_type", "client_credentials", "task_intent", "x",
                    "client_assertion_type", "urn:example:saml", "client_assertion", assertion(b, now, c -> {})), null, null, null);
            assertThat(Broker.body(wrongType).path("error").asText()).isEqualTo("invalid_request");
            assertThat(gh.client().get("/v1/tasks").path("items")).as("no attack created a task").isEmpty();
        }
    }

    @Test
    void registrationAcceptsOnlyPublicAsymmetricKeysAndRotationReplacesTheKey() throws Exception {
        MutableClock clock = MutableClock.now();
        try (TestGatehouse gh = TestGatehouse.start(dir, null, Map.of(), clock)) {
            Broker b = new Broker(gh).standard();
            assertThatThrownBy(() -> gh.client().post("/v1/identities/triage-bot/credentials",
                    Map.of("type", "private_key_jwt", "jwk", clientKey.toJSONObject())))
                    .isInstanceOfSatisfying(GatehouseApiException.class, e -> {
                        assertThat(e.field()).isEqualTo("jwk");
                        assertThat(e.getMessage()).contains("private").doesNotContain(clientKey.getD().toString());
                    });
            assertThatThrownBy(() -> gh.client().post("/v1/identities/triage-bot/credentials",
                    Map.of("type", "private_key_jwt", "jwk", Map.of("kty", "oct", "k", "c2VjcmV0"))))
                    .isInstanceOfSatisfying(GatehouseApiException.class, e -> assertThat(e.field()).isEqualTo("jwk"));

            JsonNode cred = gh.client().post("/v1/identities/triage-bot/credentials",
                    Map.of("type", "private_key_jwt", "jwk", clientKey.toPublicJWK().toJSONObject()));
            assertThat(cred.has("secret")).isFalse();
            assertThat(cred.path("jwk").has("d")).isFalse();
            assertThat(token(b, assertion(b, clock.instant(), c -> {})).statusCode()).isEqualTo(200);

            ECKey next = new ECKeyGenerator(Curve.P_256).keyID("bot-key-2").generate();
            gh.client().post("/v1/identities/triage-bot/credentials/" + cred.path("id").asText() + "/rotate",
                    Map.of("jwk", next.toPublicJWK().toJSONObject()));
            assertThat(token(b, assertion(b, clock.instant(), c -> {})).statusCode()).as("old key no longer accepted").isEqualTo(401);
            clientKey = next;
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("bot-key-2").build(),
                    SignedJWT.parse(assertion(b, clock.instant(), c -> {})).getJWTClaimsSet());
            jwt.sign(new ECDSASigner(next));
            assertThat(token(b, jwt.serialize()).statusCode()).isEqualTo(200);
        }
    }
}
