package dev.gatehouse.cedar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.cedar.authz.Decision;
import dev.gatehouse.cedar.authz.PolicySet;
import dev.gatehouse.cedar.authz.Request;
import dev.gatehouse.cedar.authz.Response;
import dev.gatehouse.cedar.entities.Entities;
import dev.gatehouse.cedar.entities.Entity;
import dev.gatehouse.cedar.value.EntityUid;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.cedar.value.Value;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example of the module README, so it keeps compiling and saying what it says. */
class ReadmeExampleTest {

    @Test
    void anApprovalForbidHoldsTheCallAndLiftingItWouldAllowIt() {
        PolicySet policies = PolicySet.parse("""
                @id("agents-may-read") permit(principal is Gatehouse::Agent, action == Gatehouse::Action::"read", resource);
                @id("external-needs-owner") @approval("owner")
                forbid(principal, action, resource is Gatehouse::Tool) when { resource.destination == "external" };
                """);
        EntityUid agent = EntityUid.of("Gatehouse::Agent", "triage-bot");
        EntityUid tool = EntityUid.of("Gatehouse::Tool", "send_email");
        Entities entities = Entities.builder()
                .add(Entity.builder(agent).attribute("status", "active")
                        .attribute("tags", Value.setOf(Value.of("team-7"))).parent(EntityUid.of("Gatehouse::Group", "support")).build())
                .add(Entity.builder(tool).attribute("destination", "external").build())
                .build();
        RecordValue context = RecordValue.of(Map.of("data", Value.record(Map.of("level", Value.of(1)))));

        Request request = new Request(agent, EntityUid.of("Gatehouse::Action", "read"), tool, context);
        Response r = policies.authorize(request, entities);
        assertThat(r.decision()).isEqualTo(Decision.DENY);
        assertThat(r.reasons()).isEqualTo(List.of("external-needs-owner"));
        assertThat(r.errors()).isEmpty();
        assertThat(policies.without("approval").authorize(request, entities).decision()).isEqualTo(Decision.ALLOW);
    }
}
