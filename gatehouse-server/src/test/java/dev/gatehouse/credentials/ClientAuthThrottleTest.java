package dev.gatehouse.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.TestGatehouse;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guessing client secrets is throttled per client id and per source address: 429 with Retry-After, one audit event per burst. */
class ClientAuthThrottleTest {
    @TempDir
    Path tmp;

    @Test
    void failedAuthenticationsPastTheLimitAre429UntilTheMinuteEnds() throws Exception {
        MutableClock clock = new MutableClock(java.time.Instant.parse("2026-12-01T10:00:10Z"));
        try (TestGatehouse gh = TestGatehouse.start(tmp, null, Map.of("credentials.failedAuthPerMinutePerClient", "5",
                "credentials.failedAuthPerMinutePerAddress", "8"), clock)) {
            Broker broker = new Broker(gh).standard();
            String secret = broker.addSecret("triage-bot").path("secret").asText();
            for (int i = 0; i < 5; i++) assertThat(broker.token("triage-bot", "ghcs_wrong-" + i).statusCode()).isEqualTo(401);
            HttpResponse<String> throttled = broker.token("triage-bot", "ghcs_wrong-again");
            assertThat(throttled.statusCode()).isEqualTo(429);
            assertThat(throttled.headers().firstValue("Retry-After")).hasValue("50");
            assertThat(throttled.body()).contains("temporarily_unavailable");
            // Even the right secret waits: the throttle answers before any credential is checked.
            assertThat(broker.token("triage-bot", secret).statusCode()).isEqualTo(429);
            for (int i = 0; i < 20; i++) broker.token("triage-bot", "ghcs_wrong-burst-" + i);

            // Other client ids from the same address: the address limit (8) engages after 3 more failures.
            broker.agent("other-bot", "alice", List.of("github/*"), List.of("read"));
            for (int i = 0; i < 3; i++) assertThat(broker.token("other-bot", "ghcs_wrong-" + i).statusCode()).isEqualTo(401);
            assertThat(broker.token("other-bot", "ghcs_wrong-x").statusCode()).isEqualTo(429);

            var events = gh.client().get("/v1/audit/events?type=token.throttled").path("items");
            assertThat(events.size()).as("one event per engaged throttle, not one per attempt").isEqualTo(2);
            assertThat(events.toString()).contains("\"scope\":\"client\"").contains("\"scope\":\"address\"").doesNotContain("ghcs_");

            clock.advance(Duration.ofMinutes(1));
            assertThat(broker.token("triage-bot", secret).statusCode()).isEqualTo(200);
        }
    }
}
