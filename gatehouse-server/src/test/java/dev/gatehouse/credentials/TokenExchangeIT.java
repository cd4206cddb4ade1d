package dev.gatehouse.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.DecisionRequest;
import dev.gatehouse.policy.DecisionService;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.testing.TestStores;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RFC 8693 delegation. The policy engine is not on this branch, so the exchange logic runs on the
 * real store, registry and signing keys of a running server with a {@link DecisionService} that
 * permits {@code delegate} for a fixed set of (principal, resource) pairs; the server's own wiring
 * (no policy engine yet) is tested to fail closed.
 */
class TokenExchangeIT {
    private static final Set<String> PERMITTED = Set.of("triage-bot>helper-bot", "helper-bot>lister-bot",
            "lister-bot>reader-bot", "reader-bot>extra-bot", "helper-bot>triage-bot");

    @TempDir Path dir;
    private final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    private final List<DecisionRequest> asked = new CopyOnWriteArrayList<>();

    private TaskBroker broker(TestGatehouse gh, Broker b) {
        DecisionService rules = new DecisionService() {
            @Override
            public Decision decide(DecisionRequest request) {
                asked.add(request);
                return request.action().equals("delegate") && PERMITTED.contains(request.principal().id() + ">" + request.resource().id())
                        ? new Decision.Allow(List.of("permit-delegation"), "v1")
                        : new Decision.Deny("not_permitted", List.of(), "v1", List.of());
            }

            @Override
            public Decision evaluate(DecisionRequest request) { return decide(request); }
        };
        BrokerSettings settings = new BrokerSettings(b::issuer, "gatehouse", "gatehouse.local", Duration.ofMinutes(10),
                Duration.ofMinutes(15), 3);
        return new TaskBroker(gh.gatehouse().database().transactions(), gh.gatehouse().registry(), gh.gatehouse().signingKeys(),
                rules, audit::add, Clock.systemUTC(), new Secrets(new SecureRandom()), settings, gh.gatehouse().changes());
    }

    private AuthenticatedClient as(TestGatehouse gh, String id) {
        return new AuthenticatedClient(gh.gatehouse().registry().get(id), null, "client_secret_basic", false, null);
    }

    private Broker cast(TestGatehouse gh) {
        Broker b = new Broker(gh);
        b.human("alice");
        b.agent("triage-bot", "alice", List.of("github/*", "jira/*"), List.of("read", "write"));
        b.agent("helper-bot", "alice", List.of("github/*"), List.of("read", "write"));
        b.agent("lister-bot", "alice", List.of("github/list_issues", "github/get_issue"), List.of("read", "write"));
        b.agent("reader-bot", "alice", List.of("*"), List.of("read"));
        b.agent("extra-bot", "alice", List.of("*"), List.of("read"));
        return b;
    }

    @Test
    void delegationBuildsANestedActChainWithIntersectedScopeUpToTheMaximumDepth() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir)) {
            Broker b = cast(gh);
            TaskBroker broker = broker(gh, b);
            String t0 = b.accessToken("triage-bot", b.addSecret("triage-bot").path("secret").asText(), "scope", "github/* jira/* read write");
            String task = Jose.claims(t0).path("task_id").asText();

            IssuedToken h1 = broker.exchange(as(gh, "helper-bot"), t0, null, null, null);
            JsonNode c1 = Jose.claims(h1.accessToken());
            assertThat(Jose.verifiesWith(h1.accessToken(), b.jwks())).isTrue();
            assertThat(h1.issuedTokenType()).isEqualTo("urn:ietf:params:oauth:token-type:access_token");
            assertThat(c1.path("sub").asText()).as("the subject stays the delegator").isEqualTo("spiffe://gatehouse.local/agent/triage-bot");
            assertThat(c1.path("act").path("sub").asText()).isEqualTo("spiffe://gatehouse.local/agent/helper-bot");
            assertThat(c1.path("client_id").asText()).isEqualTo("helper-bot");
            assertThat(c1.path("task_id").asText()).isEqualTo(task);
            assertThat(c1.path("scope").asText()).as("subject scope ∩ actor's declared scope").isEqualTo("github/* read write");
            assertThat(c1.path("exp").asLong()).isLessThanOrEqualTo(Jose.claims(t0).path("exp").asLong());

            IssuedToken h2 = broker.exchange(as(gh, "lister-bot"), h1.accessToken(), null, "github/list_issues read", null);
            JsonNode c2 = Jose.claims(h2.accessToken());
            assertThat(c2.path("scope").asText()).isEqualTo("github/list_issues read");
            assertThat(c2.path("act").path("sub").asText()).isEqualTo("spiffe://gatehouse.local/agent/lister-bot");
            assertThat(c2.path("act").path("act").path("sub").asText()).isEqualTo("spiffe://gatehouse.local/agent/helper-bot");

            IssuedToken h3 = broker.exchange(as(gh, "reader-bot"), h2.accessToken(), null, null, null);
            assertThat(Jose.claims(h3.accessToken()).path("act").path("act").path("act").path("sub").asText())
                    .isEqualTo("spiffe://gatehouse.local/agent/helper-bot");
            assertThat(b.introspect(h3.accessToken()).path("active").asBoolean()).as("the server sees delegated tokens as live").isTrue();

            assertThatThrownBy(() -> broker.exchange(as(gh, "extra-bot"), h3.accessToken(), null, null, null))
                    .as("a fourth hop with max depth 3")
                    .isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.error()).isEqualTo("invalid_grant"));

            DecisionRequest last = asked.get(asked.size() - 1);
            assertThat(last.principal().id()).isEqualTo("lister-bot");
            assertThat(last.resource().id()).isEqualTo("reader-bot");
            @SuppressWarnings("unchecked") Map<String, Object> delegation = (Map<String, Object>) last.context().get("delegation");
            assertThat(delegation.get("depth")).isEqualTo(3L);
            assertThat(delegation.get("chain")).isEqualTo(List.of("triage-bot", "helper-bot", "lister-bot", "reader-bot"));
            assertThat(audit).filteredOn(e -> e.type().equals("token.exchanged")).hasSize(3)
                    .allSatisfy(e -> assertThat(e.task()).isEqualTo(task))
                    .last().satisfies(e -> assertThat(e.policies()).containsExactly("permit-delegation"));

            // Completing the task kills every token of it, delegated ones included.
            gh.client().post("/v1/tasks/" + task + "/complete", Map.of());
            for (String t : List.of(t0, h1.accessToken(), h2.accessToken(), h3.accessToken())) {
                assertThat(b.introspect(t).path("active").asBoolean()).isFalse();
            }
            assertThatThrownBy(() -> broker.exchange(as(gh, "helper-bot"), t0, null, null, null))
                    .as("use of a token after task completion")
                    .isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.error()).isEqualTo("invalid_grant"));
        }
    }

    @Test
    void escalationPolicyDenialAndLoopsAreRefused() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir)) {
            Broker b = cast(gh);
            TaskBroker broker = broker(gh, b);
            String t0 = b.accessToken("triage-bot", b.addSecret("triage-bot").path("secret").asText(), "scope", "github/* read");
            IssuedToken h1 = broker.exchange(as(gh, "helper-bot"), t0, null, null, null);
            assertThat(Jose.claims(h1.accessToken()).path("scope").asText()).isEqualTo("github/* read");

            for (String escalation : List.of("github/* write", "jira/read_issue", "*", "github/* read execute")) {
                assertThatThrownBy(() -> broker.exchange(as(gh, "lister-bot"), h1.accessToken(), null, escalation, null))
                        .as(escalation).isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.error()).isEqualTo("invalid_scope"));
            }
            assertThatThrownBy(() -> broker.exchange(as(gh, "extra-bot"), t0, null, null, null)).as("policy does not permit triage→extra")
                    .isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.error()).isEqualTo("unauthorized_client"));
            assertThatThrownBy(() -> broker.exchange(as(gh, "triage-bot"), h1.accessToken(), null, null, null)).as("back to the delegator")
                    .isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.error()).isEqualTo("invalid_grant"));
            assertThatThrownBy(() -> broker.exchange(as(gh, "helper-bot"), "not-a-token", null, null, null))
                    .isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.error()).isEqualTo("invalid_grant"));
            assertThatThrownBy(() -> broker.exchange(as(gh, "lister-bot"), h1.accessToken(), t0, null, null))
                    .as("an actor token must be the actor's own")
                    .isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.error()).isEqualTo("invalid_grant"));

            // Suspending an intermediary kills what was delegated through it, not the delegator's own token.
            IssuedToken h2 = broker.exchange(as(gh, "lister-bot"), h1.accessToken(), null, "github/list_issues read", null);
            gh.client().post("/v1/identities/helper-bot/suspend", Map.of("reason", "compromised"));
            assertThat(b.introspect(h1.accessToken()).path("active").asBoolean()).isFalse();
            assertThat(b.introspect(h2.accessToken()).path("active").asBoolean()).isFalse();
            assertThat(b.introspect(t0).path("active").asBoolean()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.Kind.class)
    void revokingATokenRevokesWhatWasDelegatedFromIt(TestStores.Kind store) throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir, TestStores.freshUrl(store, dir), Map.of())) {
            Broker b = cast(gh);
            TaskBroker broker = broker(gh, b);
            String secret = b.addSecret("triage-bot").path("secret").asText();
            String t0 = b.accessToken("triage-bot", secret);
            IssuedToken h1 = broker.exchange(as(gh, "helper-bot"), t0, null, null, null);
            IssuedToken h2 = broker.exchange(as(gh, "lister-bot"), h1.accessToken(), null, null, null);
            assertThat(b.form("/oauth2/revoke", Map.of("token", h1.accessToken()), null, null, TestGatehouse.ADMIN_TOKEN).statusCode()).isEqualTo(200);
            assertThat(b.introspect(h1.accessToken()).path("active").asBoolean()).isFalse();
            assertThat(b.introspect(h2.accessToken()).path("active").asBoolean()).isFalse();
            assertThat(b.introspect(t0).path("active").asBoolean()).isTrue();
        }
    }

    @Test
    void theServerRefusesExchangeUntilAPolicyEngineIsWired() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir)) {
            Broker b = cast(gh);
            String t0 = b.accessToken("triage-bot", b.addSecret("triage-bot").path("secret").asText());
            String helper = b.addSecret("helper-bot").path("secret").asText();
            HttpResponse<String> r = b.form("/oauth2/token", Map.of("grant_type", TokenEndpoint.TOKEN_EXCHANGE,
                    "subject_token", t0, "subject_token_type", TaskBroker.ACCESS_TOKEN_TYPE), "helper-bot", helper, null);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(Broker.body(r).path("error").asText()).isEqualTo("unauthorized_client");
            assertThat(r.body()).doesNotContain("policy_engine_unavailable");
            HttpResponse<String> noType = b.form("/oauth2/token", Map.of("grant_type", TokenEndpoint.TOKEN_EXCHANGE,
                    "subject_token", t0), "helper-bot", helper, null);
            assertThat(Broker.body(noType).path("error").asText()).isEqualTo("invalid_request");
        }
    }
}
