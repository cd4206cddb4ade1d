package dev.gatehouse.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.registry.Scope;
import dev.gatehouse.registry.Vocabulary.Effect;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopesTest {
    private static final Scope DECLARED = new Scope(List.of("github/*", "jira/read_issue"), Set.of(Effect.READ, Effect.WRITE));

    @Test
    void requestedScopeNarrowsWithinTheDeclaredOne() {
        assertThat(Scopes.format(Scopes.narrow(null, DECLARED))).isEqualTo("github/* jira/read_issue read write");
        assertThat(Scopes.format(Scopes.narrow("github/list_issues read", DECLARED))).isEqualTo("github/list_issues read");
        assertThat(Scopes.format(Scopes.narrow("github/* ", DECLARED))).isEqualTo("github/* read write");
    }

    @Test
    void anythingBeyondTheDeclaredScopeIsInvalidScope() {
        for (String s : List.of("*", "jira/*", "jira/create_issue", "github/* execute", "slack/post", "READ", "github//x", "a b c/")) {
            assertThatThrownBy(() -> Scopes.narrow(s, DECLARED)).as(s)
                    .isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.error()).isEqualTo("invalid_scope"));
        }
    }

    @Test
    void intersectionKeepsOnlyWhatBothAllow() {
        Scope actor = new Scope(List.of("github/list_issues", "jira/*", "slack/*"), Set.of(Effect.READ, Effect.EXECUTE));
        Scope both = Scopes.intersect(DECLARED, actor);
        assertThat(both.tools()).containsExactlyInAnyOrder("github/list_issues", "jira/read_issue");
        assertThat(both.effects()).containsExactly(Effect.READ);
        assertThat(Scopes.intersect(new Scope(List.of("*"), Set.of(Effect.READ)), DECLARED).tools()).containsExactly("github/*", "jira/read_issue");
        assertThat(Scopes.isEmpty(Scopes.intersect(DECLARED, new Scope(List.of("slack/*"), Set.of(Effect.READ))))).isTrue();
    }

    @Test
    void patternCoverage() {
        assertThat(Scopes.covers("github/*", "github/x")).isTrue();
        assertThat(Scopes.covers("github/*", "github/*")).isTrue();
        assertThat(Scopes.covers("github/*", "githubx/y")).isFalse();
        assertThat(Scopes.covers("github/x", "github/*")).isFalse();
        assertThat(Scopes.covers("github/*", "*")).isFalse();
        assertThat(Scopes.covers("*", "*")).isTrue();
    }

    @Test
    void brokerSettingsRejectUnsafeConfiguration() {
        GatehouseConfig.Credentials ok = GatehouseConfig.defaults().credentials();
        assertThat(BrokerSettings.from(ok, () -> "http://x").spiffeId("agent", "triage-bot")).isEqualTo("spiffe://gatehouse.local/agent/triage-bot");
        assertThatThrownBy(() -> BrokerSettings.from(new GatehouseConfig.Credentials(null, "Bad Domain", "g", 600, 900, 3, 0, List.of(), 10, 20, 60), () -> ""))
                .isInstanceOf(ConfigException.class).hasMessageContaining("trustDomain");
        assertThatThrownBy(() -> BrokerSettings.from(new GatehouseConfig.Credentials(null, "d", "g", 1200, 900, 3, 0, List.of(), 10, 20, 60), () -> ""))
                .isInstanceOf(ConfigException.class).hasMessageContaining("defaultTtlSeconds");
        assertThatThrownBy(() -> new FederatedIssuers(List.of(new GatehouseConfig.FederatedIssuer("https://i", "a", "ftp://x", null, null)), null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("jwksUri");
    }
}
