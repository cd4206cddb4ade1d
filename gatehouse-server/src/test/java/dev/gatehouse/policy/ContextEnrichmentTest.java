package dev.gatehouse.policy;

import static dev.gatehouse.policy.PolicyTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.TestGatehouse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** context.request is computed by the server from its clock and the principal, never taken from the caller. */
class ContextEnrichmentTest {
    /** A clock the test moves; the server reads it for every decision. */
    static final class MovableClock extends Clock {
        volatile Instant now;
        MovableClock(Instant start) { now = start; }
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    @TempDir
    Path tmp;

    @Test
    void officeHoursAndEnvironmentComeFromTheServer() throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2026-11-23T10:15:00Z")); // a Monday
        try (TestGatehouse server = TestGatehouse.start(tmp, null, Map.of(), clock)) {
            human(server, "alice");
            agent(server, "triage-bot", "alice", "assistive");
            workload(server, "deployer", "alice", "prod");
            githubTools(server);
            push(server, "permit(principal, action, resource) when {\n"
                    + "  context.request.weekday <= 5 && context.request.hour >= 9 && context.request.hour < 17 &&\n"
                    + "  context.request.environment == \"dev\" };");
            assertThat(decide(server, "triage-bot", "read", "github/get_issue").path("decision").asText()).isEqualTo("allow");
            assertThat(decide(server, request("workload", "deployer", "read", "tool", "github/get_issue"))
                    .path("decision").asText()).as("prod workload").isEqualTo("deny");

            clock.now = Instant.parse("2026-11-23T18:00:00Z"); // Monday evening
            assertThat(decide(server, "triage-bot", "read", "github/get_issue").path("decision").asText()).isEqualTo("deny");
            clock.now = Instant.parse("2026-11-28T10:15:00Z"); // Saturday morning
            assertThat(decide(server, "triage-bot", "read", "github/get_issue").path("decision").asText()).isEqualTo("deny");
        }
    }
}
