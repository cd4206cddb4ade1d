package dev.gatehouse.cedar.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.cedar.entities.Entities;
import dev.gatehouse.cedar.entities.Entity;
import dev.gatehouse.cedar.value.EntityUid;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.cedar.value.Value;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PolicySetTest {
    private static final EntityUid AGENT = EntityUid.of("Gatehouse::Agent", "triage-bot");
    private static final EntityUid TEAM = EntityUid.of("Gatehouse::Group", "support");
    private static final EntityUid ORG = EntityUid.of("Gatehouse::Group", "org");
    private static final EntityUid READ = EntityUid.of("Gatehouse::Action", "read");
    private static final EntityUid WRITE = EntityUid.of("Gatehouse::Action", "write");
    private static final EntityUid TOOL = EntityUid.of("Gatehouse::Tool", "send_email");
    private static final Entities ENTITIES = Entities.builder()
            .add(Entity.builder(AGENT).attribute("status", "active").parent(TEAM).build())
            .add(Entity.builder(TEAM).parent(ORG).build())
            .add(Entity.builder(TOOL).attribute("destination", "external").attribute("risk", "high").build())
            .build();

    private static Request call(EntityUid action, long level) {
        return new Request(AGENT, action, TOOL, RecordValue.of(Map.of("data", Value.record(Map.of("level", Value.of(level))))));
    }

    @Test
    void aSatisfiedForbidOverridesEveryPermit() {
        PolicySet set = PolicySet.parse("""
                @id("members-may-read") permit(principal in Gatehouse::Group::"org", action, resource);
                @id("no-secrets-outside") forbid(principal, action, resource is Gatehouse::Tool) when { resource.destination == "external" && context.data.level >= 3 };
                """);
        assertThat(set.authorize(call(READ, 1), ENTITIES)).isEqualTo(new Response(Decision.ALLOW, List.of("members-may-read"), List.of()));
        assertThat(set.authorize(call(READ, 3), ENTITIES)).isEqualTo(new Response(Decision.DENY, List.of("no-secrets-outside"), List.of()));
    }

    @Test
    void withoutAMatchingPermitTheAnswerIsDenyWithNoReason() {
        PolicySet set = PolicySet.parse("permit(principal, action == Gatehouse::Action::\"write\", resource);");
        Response r = set.authorize(call(READ, 0), ENTITIES);
        assertThat(r.decision()).isEqualTo(Decision.DENY);
        assertThat(r.reasons()).isEmpty();
    }

    @Test
    void anErroringPolicyIsSkippedAndReportedNeverDecides() {
        PolicySet set = PolicySet.parse("""
                @id("broken-forbid") forbid(principal, action, resource) when { principal.clearance > 2 };
                @id("broken-permit") permit(principal, action, resource) when { resource.owner == principal };
                @id("ok") permit(principal, action, resource) when { principal.status == "active" };
                """);
        Response r = set.authorize(call(READ, 0), ENTITIES);
        assertThat(r.decision()).isEqualTo(Decision.ALLOW);
        assertThat(r.reasons()).containsExactly("ok");
        assertThat(r.errors()).extracting(AuthorizationError::policyId).containsExactly("broken-forbid", "broken-permit");
        assertThat(r.errors().get(0).message()).contains("does not have the attribute `clearance`");
    }

    @Test
    void leavingOutApprovalForbidsShowsWhetherAnApprovalWouldLetTheCallThrough() {
        PolicySet set = PolicySet.parse("""
                @id("agents-may-call") permit(principal is Gatehouse::Agent, action, resource);
                @id("high-risk-needs-owner") @approval("owner") forbid(principal, action, resource) when { resource.risk == "high" };
                """);
        Response held = set.authorize(call(READ, 0), ENTITIES);
        assertThat(held.decision()).isEqualTo(Decision.DENY);
        assertThat(held.reasons()).containsExactly("high-risk-needs-owner");
        PolicySet lifted = set.without("approval");
        assertThat(lifted.authorize(call(READ, 0), ENTITIES).reasons()).containsExactly("agents-may-call");
        assertThat(set.without("approval")).isSameAs(lifted);
        assertThat(lifted.size()).isEqualTo(1);
    }

    @Test
    void theIndexFindsPoliciesThroughEveryKindOfScope() {
        Entities actions = Entities.builder()
                .add(Entity.builder(AGENT).parent(TEAM).build()).add(Entity.builder(TEAM).parent(ORG).build())
                .add(Entity.builder(READ).parent(EntityUid.of("Gatehouse::Action", "anyAccess")).build())
                .build();
        PolicySet set = PolicySet.parse("""
                @id("eq") permit(principal == Gatehouse::Agent::"triage-bot", action, resource);
                @id("in-grandparent") permit(principal in Gatehouse::Group::"org", action, resource);
                @id("is-in") permit(principal is Gatehouse::Agent in Gatehouse::Group::"support", action, resource);
                @id("wrong-type") permit(principal is Gatehouse::Human in Gatehouse::Group::"support", action, resource);
                @id("action-group") permit(principal, action in Gatehouse::Action::"anyAccess", resource);
                @id("action-list") permit(principal, action in [Gatehouse::Action::"write", Gatehouse::Action::"read"], resource);
                @id("resource-eq") permit(principal, action, resource == Gatehouse::Tool::"send_email");
                @id("resource-is") permit(principal, action, resource is Gatehouse::Tool);
                @id("other-tool") permit(principal, action, resource == Gatehouse::Tool::"other");
                @id("anything") permit(principal, action, resource);
                @id("no-action") permit(principal, action in [], resource);
                """);
        Response r = set.authorize(call(READ, 0), actions);
        assertThat(r.reasons()).containsExactly("eq", "in-grandparent", "is-in", "action-group", "action-list", "resource-eq", "resource-is", "anything");
    }

    @Test
    void oneCompiledSetServesManyThreads() {
        PolicySet set = PolicySet.parse("""
                permit(principal in Gatehouse::Group::"org", action, resource) when { context.data.level < 3 };
                forbid(principal, action, resource) when { context.data.level >= 3 };
                """);
        List<Decision> answers = IntStream.range(0, 20_000).parallel()
                .mapToObj(i -> set.authorize(call(READ, i % 5), ENTITIES).decision()).toList();
        for (int i = 0; i < answers.size(); i++) {
            assertThat(answers.get(i)).isEqualTo(i % 5 < 3 ? Decision.ALLOW : Decision.DENY);
        }
    }
}
