package dev.gatehouse.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.client.GatehouseApiException;
import dev.gatehouse.testing.TestGatehouse;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Federated workload identity: a test issuer (a Kubernetes-like one whose JWKS Gatehouse fetches
 * over HTTP, and a CI-like one with a JWKS file and a claim mapping) signs workload JWTs.
 */
class FederationIT {
    private static final String K8S = "https://k8s.test.example";
    private static final String CI = "https://ci.test.example";
    private static final String SA = "system:serviceaccount:prod:deployer";

    @TempDir Path dir;
    private RSAKey k8sKey;
    private RSAKey ciKey;
    private HttpServer jwksServer;
    private final AtomicInteger fetches = new AtomicInteger();

    @BeforeEach
    void issuers() throws Exception {
        k8sKey = new RSAKeyGenerator(2048).keyID("k8s-1").generate();
        ciKey = new RSAKeyGenerator(2048).keyID("ci-1").generate();
        byte[] jwks = new JWKSet(k8sKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwksServer.createContext("/openid/v1/jwks", exchange -> {
            fetches.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        jwksServer.start();
        Files.writeString(dir.resolve("ci-jwks.json"), new JWKSet(ciKey.toPublicJWK()).toString());
    }

    @AfterEach
    void stop() { jwksServer.stop(0); }

    private TestGatehouse start() throws Exception {
        String federation = "[{\"issuer\":\"" + K8S + "\",\"audience\":\"gatehouse\",\"jwksUri\":\"http://127.0.0.1:"
                + jwksServer.getAddress().getPort() + "/openid/v1/jwks\"},"
                + "{\"issuer\":\"" + CI + "\",\"audience\":\"https://gatehouse.example\",\"jwksUri\":\"" + dir.resolve("ci-jwks.json").toUri()
                + "\",\"identityClaim\":\"repository\",\"mapping\":{\"acme/web\":\"web-ci\"}}]";
        return TestGatehouse.start(dir.resolve("data"), null, TestGatehouse.withLoopbackPeers(Map.of("credentials.federation", federation)));
    }

    private static String jwt(RSAKey key, String issuer, String audience, Consumer<JWTClaimsSet.Builder> tweak) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().issuer(issuer).subject(SA).audience(audience)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)));
        tweak.accept(c);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), c.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static HttpResponse<String> token(Broker b, String assertion, String... extra) throws Exception {
        Map<String, String> p = new LinkedHashMap<>(Map.of("grant_type", "client_credentials", "task_intent", "deploy",
                "client_assertion_type", ClientAuthenticator.JWT_BEARER, "client_assertion", assertion));
        for (int i = 0; i < extra.length; i += 2) p.put(extra[i], extra[i + 1]);
        return b.form("/oauth2/token", p, null, null, null);
    }

    @Test
    void aKubernetesServiceAccountTokenBoundToAWorkloadYieldsAnAttestedTaskToken() throws Exception {
        try (TestGatehouse gh = start()) {
            Broker b = new Broker(gh);
            b.human("alice");
            b.workload("deployer", "alice", List.of("k8s/*"), List.of("read", "execute"));
            JsonNode cred = gh.client().post("/v1/identities/deployer/credentials", Map.of("type", "federated", "issuer", K8S, "subject", SA));
            assertThat(cred.path("issuer").asText()).isEqualTo(K8S);

            String external = jwt(k8sKey, K8S, "gatehouse", c -> {});
            HttpResponse<String> r = token(b, external);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            String token = Broker.body(r).path("access_token").asText();
            assertThat(Jose.verifiesWith(token, b.jwks())).isTrue();
            JsonNode claims = Jose.claims(token);
            assertThat(claims.path("sub").asText()).isEqualTo("spiffe://gatehouse.local/workload/deployer");
            assertThat(claims.path("attested").asBoolean()).isTrue();
            assertThat(gh.client().get("/v1/tasks/" + claims.path("task_id").asText()).path("attested").asBoolean()).isTrue();
            assertThat(fetches.get()).as("the JWKS was fetched from the issuer").isPositive();
            // Service-account tokens are reused for their lifetime; they are bearer credentials of the platform, not one-shot assertions.
            assertThat(token(b, external).statusCode()).isEqualTo(200);
            assertThat(fetches.get()).as("keys are cached").isEqualTo(1);

            String secretBot = b.addSecret("deployer").path("secret").asText();
            String plain = b.accessToken("deployer", secretBot);
            assertThat(Jose.claims(plain).path("attested").asBoolean()).as("a client secret proves nothing about the platform").isFalse();
        }
    }

    @Test
    void claimMappingFromConfigurationAndAFileJwks() throws Exception {
        try (TestGatehouse gh = start()) {
            Broker b = new Broker(gh);
            b.human("alice");
            b.workload("web-ci", "alice", List.of("registry/*"), List.of("write"));
            String ciToken = jwt(ciKey, CI, "https://gatehouse.example", c -> c.subject("repo:acme/web:ref:refs/heads/main").claim("repository", "acme/web"));
            HttpResponse<String> r = token(b, ciToken);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(Jose.claims(Broker.body(r).path("access_token").asText()).path("sub").asText())
                    .isEqualTo("spiffe://gatehouse.local/workload/web-ci");
            String otherRepo = jwt(ciKey, CI, "https://gatehouse.example", c -> c.claim("repository", "acme/evil"));
            assertThat(Broker.body(token(b, otherRepo)).path("error").asText()).isEqualTo("invalid_client");
        }
    }

    @Test
    void untrustedForgedOrMisdirectedExternalTokensAreInvalidClient() throws Exception {
        try (TestGatehouse gh = start()) {
            Broker b = new Broker(gh);
            b.human("alice");
            b.workload("deployer", "alice", List.of("k8s/*"), List.of("read"));
            gh.client().post("/v1/identities/deployer/credentials", Map.of("type", "federated", "issuer", K8S, "subject", SA));
            RSAKey attacker = new RSAKeyGenerator(2048).keyID("k8s-1").generate();
            Map<String, String> attacks = new LinkedHashMap<>();
            attacks.put("wrong audience", jwt(k8sKey, K8S, "someone-else", c -> {}));
            attacks.put("expired", jwt(k8sKey, K8S, "gatehouse", c -> c.expirationTime(Date.from(Instant.now().minusSeconds(300)))));
            attacks.put("not yet valid", jwt(k8sKey, K8S, "gatehouse", c -> c.notBeforeTime(Date.from(Instant.now().plusSeconds(600)))));
            attacks.put("forged signature", jwt(attacker, K8S, "gatehouse", c -> {}));
            attacks.put("unbound subject", jwt(k8sKey, K8S, "gatehouse", c -> c.subject("system:serviceaccount:prod:other")));
            attacks.put("untrusted issuer", jwt(attacker, "https://evil.example", "gatehouse", c -> {}));
            JWTClaimsSet valid = SignedJWT.parse(jwt(k8sKey, K8S, "gatehouse", c -> {})).getJWTClaimsSet();
            attacks.put("alg none", new PlainJWT(valid).serialize());
            SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k8s-1").build(), valid);
            hs.sign(new MACSigner(k8sKey.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));
            attacks.put("HS256 keyed with the public key", hs.serialize());
            for (Map.Entry<String, String> a : attacks.entrySet()) {
                HttpResponse<String> r = token(b, a.getValue());
                assertThat(r.statusCode()).as(a.getKey()).isEqualTo(401);
                assertThat(Broker.body(r).path("error").asText()).as(a.getKey()).isEqualTo("invalid_client");
            }
            assertThatThrownBy(() -> gh.client().post("/v1/identities/deployer/credentials",
                    Map.of("type", "federated", "issuer", "https://evil.example", "subject", SA)))
                    .isInstanceOfSatisfying(GatehouseApiException.class, e -> assertThat(e.field()).isEqualTo("issuer"));
            assertThatThrownBy(() -> gh.client().post("/v1/identities/deployer/credentials",
                    Map.of("type", "federated", "issuer", K8S, "subject", SA)))
                    .as("one external subject, one identity")
                    .isInstanceOfSatisfying(GatehouseApiException.class, e -> assertThat(e.status()).isEqualTo(409));
            assertThat(gh.client().get("/v1/tasks").path("items")).isEmpty();
        }
    }
}
