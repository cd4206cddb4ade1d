package dev.gatehouse.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.core.Json;
import dev.gatehouse.testing.TestGatehouse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refusals and issuances are audit-worthy events with a precise reason, and never carry a secret or a token. */
class RefusalAuditIT {
    @TempDir Path dir;

    @Test
    void everyRefusalIsRecordedWithItsReasonAndNoSecretMaterial() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir)) {
            Broker b = new Broker(gh).standard();
            String secret = b.addSecret("triage-bot").path("secret").asText();
            List<AuditEvent> audit = new CopyOnWriteArrayList<>();
            ClientAuthenticator clients = new ClientAuthenticator(gh.gatehouse().database().transactions(), gh.gatehouse().registry(),
                    new FederatedIssuers(List.of(), Clock.systemUTC(), null), Clock.systemUTC(), b::issuer);
            TaskBroker tokens = new TaskBroker(gh.gatehouse().database().transactions(), gh.gatehouse().registry(),
                    gh.gatehouse().signingKeys(), new dev.gatehouse.policy.DecisionService() {
                        @Override public dev.gatehouse.policy.Decision decide(dev.gatehouse.policy.DecisionRequest r) { throw new AssertionError("no delegation here"); }
                        @Override public dev.gatehouse.policy.Decision evaluate(dev.gatehouse.policy.DecisionRequest r) { return decide(r); }
                    }, audit::add,
                    Clock.systemUTC(), new dev.gatehouse.core.Secrets(new java.security.SecureRandom()),
                    new BrokerSettings(b::issuer, "gatehouse", "gatehouse.local", java.time.Duration.ofMinutes(10), java.time.Duration.ofMinutes(15), 3), gh.gatehouse().changes());
            TokenEndpoint endpoint = new TokenEndpoint(clients, tokens, gh.gatehouse().adminTokens(), audit::add,
                    new dev.gatehouse.store.LocalBudgets(), Clock.systemUTC(), 0, 0);

            String wrong = secret.substring(0, secret.length() - 2) + "xx";
            assertThatThrownBy(() -> endpoint.token(request(Map.of("grant_type", "client_credentials", "task_intent", "x"), "triage-bot", wrong)))
                    .isInstanceOf(OAuthException.class);
            assertThatThrownBy(() -> endpoint.token(request(Map.of("grant_type", "client_credentials", "task_intent", "x", "scope", "slack/*"),
                    "triage-bot", secret))).isInstanceOf(OAuthException.class);
            IssuedToken issued = endpoint.token(request(Map.of("grant_type", "client_credentials", "task_intent", "x"), "triage-bot", secret));

            assertThat(audit).extracting(AuditEvent::type).containsExactly("token.refused", "token.refused", "token.issued");
            AuditEvent badSecret = audit.get(0);
            assertThat(badSecret.outcome()).isEqualTo("failure");
            assertThat(badSecret.actor()).isEqualTo("anonymous");
            assertThat(badSecret.reason()).startsWith("invalid_client: client_secret_basic: unknown client or wrong secret");
            assertThat(badSecret.detail()).containsEntry("claimedClient", "triage-bot");
            AuditEvent badScope = audit.get(1);
            assertThat(badScope.subject()).isEqualTo("triage-bot");
            assertThat(badScope.owner()).isEqualTo("alice");
            assertThat(badScope.reason()).startsWith("invalid_scope");
            AuditEvent ok = audit.get(2);
            assertThat(ok.task()).isEqualTo(issued.taskId());
            assertThat(ok.tokenId()).isEqualTo(Jose.claims(issued.accessToken()).path("jti").asText());

            String recorded = Json.write(audit);
            assertThat(recorded).doesNotContain(secret).doesNotContain(wrong).doesNotContain(issued.accessToken())
                    .doesNotContain(issued.accessToken().split("\\.")[2]);
        }
    }

    private static TokenRequest request(Map<String, String> params, String client, String secret) {
        Map<String, List<String>> form = new java.util.LinkedHashMap<>();
        params.forEach((k, v) -> form.put(k, List.of(v)));
        String basic = "Basic " + Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return new TokenRequest(form, basic);
    }
}
