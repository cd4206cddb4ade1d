package dev.gatehouse.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.TestGatehouse;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each role of an admin token reaches on the API, decided by {@link Access} alone. */
class RolesTest {
    @TempDir Path tmp;

    @Test
    void securityChangesPoliciesButNotTheInventoryAndAuditorsOnlyRead() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(tmp)) {
            String security = gh.client().post("v1/admin-tokens", Map.of("name", "secops", "role", "security")).path("secret").asText();
            String auditor = gh.client().post("v1/admin-tokens", Map.of("name", "audit", "role", "auditor")).path("secret").asText();
            String policy = "{\"files\":{\"p.cedar\":\"@id(\\\"all\\\") permit (principal, action, resource);\"},\"message\":\"m\"}";

            assertThat(gh.http("POST", "/v1/policies", policy, security).statusCode()).isEqualTo(201);
            assertThat(gh.http("GET", "/v1/policies/versions", null, security).statusCode()).isEqualTo(200);
            assertThat(gh.http("POST", "/v1/identities", "{\"id\":\"x\",\"kind\":\"human\",\"displayName\":\"X\"}", security).statusCode())
                    .as("security does not change the inventory").isEqualTo(403);
            assertThat(gh.http("POST", "/v1/admin-tokens", "{\"name\":\"n\"}", security).statusCode()).isEqualTo(403);

            assertThat(gh.http("GET", "/v1/identities", null, auditor).statusCode()).isEqualTo(200);
            assertThat(gh.http("GET", "/v1/audit/events", null, auditor).statusCode()).isEqualTo(200);
            var refused = gh.http("POST", "/v1/policies", policy, auditor);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("\"error\":\"forbidden\"", "auditor");
            assertThat(gh.http("POST", "/v1/approvals/apr_x/approve", "{}", auditor).statusCode()).as("auditors never decide").isEqualTo(403);

            var personal = gh.http("POST", "/v1/admin-tokens", "{\"name\":\"n\",\"role\":\"owner\"}", TestGatehouse.ADMIN_TOKEN);
            assertThat(personal.statusCode()).as("owner and approver are people's roles, not a shared token's").isEqualTo(400);
            assertThat(personal.body()).contains("\"field\":\"role\"");
        }
    }

    @Test
    void onlyApproverTokensDecideAndOwnersReachOnlyOwnerRoutes() {
        for (Caller.Role role : Caller.Role.values()) {
            assertThat(Access.APPROVER.allows(role)).as(role.name()).isEqualTo(role == Caller.Role.APPROVER);
            assertThat(Access.SECURITY.allows(role)).as(role.name()).isEqualTo(role == Caller.Role.ADMIN || role == Caller.Role.SECURITY);
            assertThat(Access.WRITE.allows(role)).as(role.name()).isEqualTo(role == Caller.Role.ADMIN);
        }
        assertThat(Access.READ.allowsAny(EnumSet.of(Caller.Role.OWNER, Caller.Role.APPROVER))).isFalse();
        assertThat(Access.OWNER.allowsAny(EnumSet.of(Caller.Role.OWNER))).isTrue();
        assertThat(Access.READ.allowsAny(EnumSet.of(Caller.Role.OWNER, Caller.Role.AUDITOR))).isTrue();
    }
}
