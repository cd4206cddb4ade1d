package dev.gatehouse.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.core.Problem;
import dev.gatehouse.policy.CedarPolicyEngine;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.policy.PolicyError;
import dev.gatehouse.policy.PolicyTextLimits;
import java.util.List;
import java.util.Map;

/**
 * Policy and schema text through the Java pre-check and then cedar-java's validation: errors come back located,
 * or the text is refused before the native parser; nothing else escapes, and the process survives every input.
 */
class PolicyTextFuzzTest {
    private static final CedarPolicyEngine ENGINE = new CedarPolicyEngine();

    @FuzzTest(maxDuration = "5s")
    @DictionaryEntries({"permit", "forbid", "(", ")", "principal", "action", "resource", "when", "unless", "{", "}", ";",
            "if", "then", "else", "==", "&&", "||", "!", "+", "-", "*", ".", "in", "has", "like", "is", "Gatehouse::Agent",
            "Gatehouse::Action::\"read\"", "context.session.taintLevel", "[", "]", "\"", "@id(\"x\")", "Set<", ">", "entity", "type",
            "namespace", "action"})
    void anyPolicyTextIsValidatedOrRefused(FuzzedDataProvider data) {
        String file = data.consumeBoolean() ? "p.cedar" : "app.cedarschema";
        String text = data.consumeRemainingAsString();
        boolean within = PolicyTextLimits.check(file, text).isEmpty();
        Map<String, String> files = file.endsWith(".cedar") ? Map.of(file, text) : Map.of("p.cedar", "permit(principal, action, resource);", file, text);
        try {
            List<PolicyError> errors = ENGINE.validate(new PolicyBundle(files));
            assertThat(within).as("text over the limits never reaches validation").isTrue();
            for (PolicyError e : errors) assertThat(e.message()).isNotNull();
        } catch (Problem refused) {
            // over the limits, or a bundle the model refuses (e.g. a schema fragment declaring the Gatehouse namespace)
        }
    }
}
