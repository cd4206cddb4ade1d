package dev.gatehouse.console;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gatehouse.console.Views.TestResult;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.policy.PolicyTestRunner;
import dev.gatehouse.policy.PolicyVersions;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the test cases that ship with the starter policy pack ({@code policies/starter/tests}) against a stored
 * policy version, with {@link PolicyTestRunner} — the same runner as {@code gatehouse policy test}. On the
 * starter pack they all pass; on an organisation's own policies the failures show where its rules depart from
 * the starter expectations (which is what a reviewer of a new version wants to see).
 */
public final class PolicyChecks {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String ROOT = "policies/starter/tests/";
    static final List<String> CASE_FILES = List.of("approvals.yaml", "data-egress.yaml", "least-privilege.yaml", "production.yaml",
            "separation-of-effects.yaml", "session-taint.yaml", "use-cases.yaml");

    private final PolicyVersions versions;
    private final List<String> environments;

    public PolicyChecks(PolicyVersions versions, List<String> environments) {
        this.versions = versions;
        this.environments = environments;
    }

    public List<TestResult> run(long version) {
        PolicyBundle bundle = new PolicyBundle(versions.show(version).files());
        List<TestResult> out = new ArrayList<>();
        try (PolicyTestRunner runner = new PolicyTestRunner(bundle, read("inventory.yaml", PolicyTestRunner.Inventory.class), null, environments)) {
            for (String file : CASE_FILES) {
                for (PolicyTestRunner.Case c : read(file, PolicyTestRunner.CaseFile.class).cases()) {
                    PolicyTestRunner.Result r = runner.run(file, c);
                    out.add(new TestResult(r.file(), r.name(), r.passed(), r.detail()));
                }
            }
        }
        return out;
    }

    private static <T> T read(String name, Class<T> type) {
        try (InputStream in = PolicyChecks.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) throw new IllegalStateException(ROOT + name + " is missing from the build");
            return YAML.readValue(in, type);
        } catch (IOException e) {
            throw new IllegalStateException(ROOT + name + " is not readable", e);
        }
    }
}
