package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.credentials.CallTokens;
import dev.gatehouse.credentials.TokenStatus;
import dev.gatehouse.credentials.VerifiedToken;
import dev.gatehouse.testing.TestGatehouse;
import java.net.URI;
import java.net.URL;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every hop keeps its identity upstream: per-call Gatehouse tokens checked by a real verifier (the TypeScript SDK
 * server with {@code jose}), and MCP authorization against a real OAuth authorization server (mock-oauth2-server:
 * RFC 8693 token exchange, private_key_jwt) — no standing secret anywhere.
 */
class UpstreamIdentityTest {
    @TempDir java.nio.file.Path tmp;

    @BeforeAll
    static void peers() { McpPeers.requireInstalled(); }

    /** alice owns the assistive agents bot and helper-bot, which may use crm/whoami (read). */
    @SafeVarargs
    private static void inventory(TestGatehouse gh, Map<String, Object>... servers) {
        gh.client().post("/v1/identities", Map.of("id", "alice", "kind", "human", "displayName", "Alice", "email", "alice@example.com"));
        for (String agent : List.of("bot", "helper-bot")) {
            gh.client().post("/v1/identities", Map.of("id", agent, "kind", "agent", "displayName", agent, "owner", "alice",
                    "purpose", "tests", "environment", "dev", "autonomy", "assistive",
                    "scope", Map.of("tools", List.of("crm/*", "crm-elsewhere/*"), "effects", List.of("read"))));
        }
        for (Map<String, Object> s : servers) {
            Map<String, Object> server = new LinkedHashMap<>(s);
            server.put("trust", "approved");
            server.put("destination", "internal");
            server.put("tools", List.of(Map.of("name", "whoami", "effect", "read", "risk", "low")));
            gh.client().post("/v1/tool-servers", server);
        }
        gh.gatehouse().seedStarterPolicies();
    }

    private static String issuer(TestGatehouse gh) {
        return gh.client().get("/.well-known/oauth-authorization-server").path("issuer").asText();
    }

    /** bot's task token, and helper-bot's token delegated from it (chain bot → helper-bot). */
    private static String[] botAndHelper(TestGatehouse gh) throws Exception {
        String bot = McpGatewayTest.token(gh, "bot").path("access_token").asText();
        String helper = McpGatewayTest.form(gh, Map.of("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                "subject_token", bot, "subject_token_type", "urn:ietf:params:oauth:token-type:access_token"),
                "helper-bot", McpGatewayTest.secret(gh, "helper-bot")).path("access_token").asText();
        return new String[] {bot, helper};
    }

    private static JsonNode whoami(TestGatehouse gh, String server, String token) throws Exception {
        return McpPeers.client(Map.of("url", gh.baseUri().resolve("mcp/" + server).toString(), "token", token,
                "steps", List.of(Map.of("op", "call", "name", "whoami", "arguments", Map.of("note", "quarterly numbers")))));
    }

    private static JsonNode said(JsonNode report) throws Exception {
        return McpPeers.JSON.readTree(report.path("steps").get(0).path("result").path("content").get(0).path("text").asText());
    }

    @Test
    void everyCallCarriesATokenNamingItsChainAndTheUpstreamVerifiesIt() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(tmp, null, TestGatehouse.LOOPBACK_PEERS)) {
            String issuer = issuer(gh);
            try (VerifyingUpstream upstream = new VerifyingUpstream(Map.of("mode", "gatehouse-jwt", "issuer", issuer,
                    "jwksUrl", issuer + "/.well-known/jwks.json"))) {
                inventory(gh, Map.of("id", "crm", "url", upstream.url(), "upstreamAuth", "gatehouse-jwt"),
                        // Same upstream, registered under another resource indicator: its tokens name another audience.
                        Map.of("id", "crm-elsewhere", "url", upstream.url(), "upstreamAuth", "gatehouse-jwt",
                                "upstreamResource", "https://crm.example.com/mcp"));
                assertThat(gh.client().get("/v1/tool-servers/crm").path("upstreamAuth").asText()).isEqualTo("gatehouse-jwt");
                String[] tokens = botAndHelper(gh);

                // The delegated call: the upstream sees the task's agent, the delegate, the human and the task.
                JsonNode report = whoami(gh, "crm", tokens[1]);
                assertThat(report.path("steps").get(0).path("ok").asBoolean()).as(report.toString()).isTrue();
                JsonNode seen = said(report);
                String taskId = ((TokenStatus.Active) gh.gatehouse().tokens().check(tokens[1])).token().taskId();
                assertThat(seen.path("sub").asText()).isEqualTo("spiffe://gatehouse.local/agent/bot");
                assertThat(seen.path("act").path("sub").asText()).isEqualTo("spiffe://gatehouse.local/agent/helper-bot");
                assertThat(seen.path("task_id").asText()).isEqualTo(taskId);
                assertThat(seen.path("on_behalf_of").asText()).isEqualTo("alice");

                JsonNode log = upstream.log();
                assertThat(log.path("refused")).as(log.toString()).isEmpty();
                List<String> methods = log.path("accepted").findValuesAsText("method");
                assertThat(methods).contains("initialize", "notifications/initialized", "tools/call");
                for (JsonNode accepted : log.path("accepted")) {
                    assertThat(accepted.path("aud").asText()).isEqualTo(upstream.url());
                    assertThat(accepted.path("iss").asText()).isEqualTo(issuer);
                    assertThat(accepted.path("lifetime").asInt()).isBetween(1, 60);
                    // Each token names the request it was minted for, not merely the session.
                    if (!accepted.path("method").asText().equals("DELETE")) {
                        assertThat(accepted.path("mcp").path("method").asText()).isEqualTo(accepted.path("method").asText());
                    }
                }
                JsonNode call = log.path("accepted").findParents("method").stream()
                        .filter(a -> a.path("method").asText().equals("tools/call")).findFirst().orElseThrow();
                assertThat(call.path("mcp").path("tool").asText()).isEqualTo("whoami");
                assertThat(call.path("digestMatches").asBoolean()).as("the upstream recomputes the arguments digest").isTrue();
                // The digest joins the upstream's log to Gatehouse's audit record of the same call.
                String audited = McpGatewayTest.gatewayCalls(gh).get(0).path("detail").path("argumentsDigest").asText();
                assertThat(call.path("mcp").path("arguments_digest").asText()).isEqualTo(audited);

                // A token seen once is worth nothing: replayed to the same upstream, or presented as another server's.
                String captured = upstream.lastToken();
                assertThat(upstream.presentDirectly(captured)).isEqualTo(401);
                assertThat(upstream.log().path("refused").findValuesAsText("reason")).containsExactly("replayed");
                JsonNode elsewhere = whoami(gh, "crm-elsewhere", tokens[0]);
                assertThat(elsewhere.path("connectData").path("reason").asText()).as(elsewhere.toString()).isEqualTo("upstream_unauthorized");
                assertThat(upstream.log().path("refused").findValuesAsText("reason")).contains("claim_aud");

                // Expired: a token minted two minutes ago by the same production code, same keys.
                VerifiedToken bot = ((TokenStatus.Active) gh.gatehouse().tokens().check(tokens[0])).token();
                String old = new CallTokens(gh.gatehouse().signingKeys(), () -> issuer, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-2)),
                        new Secrets(new SecureRandom())).mint(bot, "alice", upstream.url(), CallTokens.Purpose.of("tools/list"));
                assertThat(upstream.presentDirectly(old)).isEqualTo(401);
                assertThat(upstream.log().path("refused").findValuesAsText("reason")).endsWith("expired");

                // The agent's own task token is never what the upstream gets, and is no good there.
                assertThat(upstream.presentDirectly(tokens[0])).isEqualTo(401);
            }
        }
    }

    @Test
    void anOAuthUpstreamIsReachedByTokenExchangeWithoutAnyStandingSecret() throws Exception {
        MockOAuth2Server as = new MockOAuth2Server();
        as.start();
        List<String> exchanged = new CopyOnWriteArrayList<>();
        try (TestGatehouse gh = TestGatehouse.start(tmp, null, Map.of("outbound.allow", "127.0.0.1/32,localhost"))) {
            String issuer = issuer(gh);
            String asIssuer = as.issuerUrl("upstream").toString();
            try (VerifyingUpstream upstream = new VerifyingUpstream(Map.of("mode", "oauth", "issuer", asIssuer,
                    "jwksUrl", as.jwksUrl("upstream").toString()))) {
                // The authorization server checks what a real one would: Gatehouse's client assertion and subject token
                // against Gatehouse's published keys, and issues a token for the resource asked for.
                JWKSet gatehouseKeys = JWKSet.load(new URL(issuer + "/.well-known/jwks.json"));
                as.enqueueCallback(new DefaultOAuth2TokenCallback("upstream") {
                    @Override
                    public List<String> audience(TokenRequest request) {
                        PrivateKeyJWT client = (PrivateKeyJWT) request.getClientAuthentication();
                        SignedJWT subject = parse(((TokenExchangeGrant) request.getAuthorizationGrant()).getSubjectToken().getValue());
                        verify(client.getClientAssertion(), gatehouseKeys);
                        verify(subject, gatehouseKeys);
                        assertThat(client.getClientID().getValue()).isEqualTo(issuer);
                        exchanged.add(claim(subject, "sub"));
                        return request.getResources().stream().map(URI::toString).toList();
                    }
                });
                inventory(gh, Map.of("id", "crm", "url", upstream.url(), "upstreamAuth", "oauth"));
                String[] tokens = botAndHelper(gh);

                JsonNode first = whoami(gh, "crm", tokens[0]);
                assertThat(first.path("steps").get(0).path("ok").asBoolean()).as(first.toString()).isTrue();
                assertThat(said(first).path("sub").asText()).isEqualTo("spiffe://gatehouse.local/agent/bot");
                assertThat(said(first).path("task_id").asText()).isNotEmpty();
                JsonNode log = upstream.log();
                assertThat(log.path("refused").findValuesAsText("reason")).as("one 401 showed the way").containsExactly("missing");
                assertThat(log.path("accepted").findValuesAsText("iss")).containsOnly(asIssuer);
                assertThat(log.path("accepted").findValuesAsText("aud")).containsOnly(upstream.url());

                // Another chain gets its own token, never bot's: the upstream sees the delegate.
                as.enqueueCallback(new DefaultOAuth2TokenCallback("upstream") {
                    @Override
                    public List<String> audience(TokenRequest request) {
                        SignedJWT subject = parse(((TokenExchangeGrant) request.getAuthorizationGrant()).getSubjectToken().getValue());
                        verify(subject, gatehouseKeys);
                        exchanged.add(claim(subject, "sub"));
                        return request.getResources().stream().map(URI::toString).toList();
                    }
                });
                JsonNode second = whoami(gh, "crm", tokens[1]);
                assertThat(second.path("steps").get(0).path("ok").asBoolean()).as(second.toString()).isTrue();
                assertThat(said(second).path("act").path("sub").asText()).isEqualTo("spiffe://gatehouse.local/agent/helper-bot");
                // Per chain, one exchange: the later requests of each session reused its cached token.
                assertThat(exchanged).hasSize(2);
                assertThat(upstream.log().path("accepted").size()).isGreaterThanOrEqualTo(6);
            }
        } finally {
            as.shutdown();
        }
    }

    private static SignedJWT parse(String jwt) {
        try {
            return SignedJWT.parse(jwt);
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String claim(SignedJWT jwt, String name) {
        try {
            return jwt.getJWTClaimsSet().getStringClaim(name);
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void verify(SignedJWT jwt, JWKSet keys) {
        try {
            ECKey key = (ECKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
            if (key == null || !jwt.verify(new ECDSAVerifier(key))) throw new IllegalStateException("not signed by Gatehouse");
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
