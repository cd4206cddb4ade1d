package dev.gatehouse.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.inspection.Inspector;
import dev.gatehouse.inspection.Inspectors;
import java.util.Set;

/** The content inspector on arbitrary text: it always answers, and redacting agrees with inspecting about what was found. */
class InspectorFuzzTest {
    private static final Inspector INSPECTOR = Inspectors.fromConfig(GatehouseConfig.defaults().inspection());

    @FuzzTest(maxDuration = "5s")
    @DictionaryEntries({"4111 1111 1111 1111", "AKIA", "ghp_", "glpat-", "xoxb-", "sk_live_", "-----BEGIN PRIVATE KEY-----",
            "eyJ", "@example.com", "+1 415 555", "078-05-1120", "GB82 WEST 1234 5698 7654 32", "\"", "{", "}", ":"})
    void anyTextIsInspectedAndRedactedConsistently(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        var inspected = INSPECTOR.inspect(text, Set.of());
        var redacted = INSPECTOR.redact(text, Set.of());
        assertThat(redacted.result().classification()).isEqualTo(inspected.classification());
        assertThat(redacted.content()).isNotNull();
    }
}
