package dev.gatehouse.cedar.differential;

import dev.gatehouse.cedar.authz.AuthorizationError;
import dev.gatehouse.cedar.authz.PolicySet;
import dev.gatehouse.cedar.authz.Request;
import dev.gatehouse.cedar.authz.Response;
import dev.gatehouse.cedar.entities.Entities;
import dev.gatehouse.cedar.json.CedarJson;
import dev.gatehouse.cedar.parser.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Random policies, entity graphs and requests, decided by this engine and by Cedar's Rust
 * implementation (cedar-java 4.10.0); the decision, determining policies and erroring policies
 * must agree, and so must whether the policy text parses.
 *
 * <p>Size: {@code -Dcedar.diff.requests=N} (default 3,000 per build). Seed:
 * {@code -Dcedar.diff.seed=S} (default: new each run, printed). A disagreement prints the seed,
 * the scenario and both answers; fix it and add the case to {@link DifferentialRegressionTest}.
 */
class DifferentialTest {
    private static final int REQUESTS_PER_SCENARIO = 8;

    @Test
    void randomPoliciesAndRequestsAgreeWithCedar() {
        int budget = Integer.getInteger("cedar.diff.requests", 3000);
        String seedProperty = System.getProperty("cedar.diff.seed", "");
        long seed = seedProperty.isBlank() ? new Random().nextLong() : Long.parseLong(seedProperty.trim());
        System.out.println("differential test: seed " + seed + " (rerun with -Dcedar.diff.seed=" + seed + "), " + budget + " requests");
        long t0 = System.nanoTime();
        List<String> failures = new ArrayList<>();
        int requests = 0;
        int scenarios = 0;
        int unparsable = 0;
        int[] outcomes = new int[4];
        while (requests < budget && failures.size() < 5) {
            Scenario s = Scenario.generate(seed, scenarios);
            scenarios++;
            StringBuilder cedarError = new StringBuilder();
            com.cedarpolicy.model.policy.PolicySet reference = ReferenceCedar.parse(s.policies(), cedarError);
            PolicySet ours;
            String ourError = null;
            try {
                ours = PolicySet.parse(s.policies());
            } catch (ParseException e) {
                ours = null;
                ourError = e.getMessage();
            }
            if ((reference == null) != (ours == null)) {
                failures.add(s.describe(seed) + "\nparse disagreement: Cedar " + (reference == null ? "rejects: " + cedarError : "accepts")
                        + "; we " + (ours == null ? "reject: " + ourError : "accept"));
                continue;
            }
            if (ours == null) {
                unparsable++;
                continue;
            }
            com.cedarpolicy.model.entity.Entities referenceEntities = ReferenceCedar.entities(s.entities());
            Entities entities = CedarJson.entities(s.entities());
            for (String[] r : s.requests()) {
                requests++;
                ReferenceCedar.Answer expected = ReferenceCedar.authorize(reference, referenceEntities, r[0], r[1], r[2], r[3]);
                ReferenceCedar.Answer actual = ours(ours, entities, r);
                if (!expected.equals(actual)) {
                    failures.add(s.describe(seed) + "\nrequest: principal=" + r[0] + " action=" + r[1] + " resource=" + r[2] + "\ncontext: " + r[3]
                            + "\nCedar: " + expected + "\nours:  " + actual);
                    break;
                }
                outcomes[(actual.allowed() ? 1 : 0) + (actual.errors().isEmpty() ? 0 : 2)]++;
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("differential test: %d scenarios, %d requests (allow %d, deny %d, with errors %d), %d policy texts rejected by both, %d ms%n",
                scenarios, requests, outcomes[1] + outcomes[3], outcomes[0] + outcomes[2], outcomes[2] + outcomes[3], unparsable, ms);
        if (!failures.isEmpty()) {
            throw new AssertionError("seed " + seed + ": " + failures.size() + " disagreement(s) with Cedar:\n\n" + String.join("\n\n-----\n", failures));
        }
    }

    static ReferenceCedar.Answer ours(PolicySet policies, Entities entities, String[] r) {
        try {
            Request request = new Request(CedarJson.entityUid(CedarJson.tree(r[0]), "principal"), CedarJson.entityUid(CedarJson.tree(r[1]), "action"),
                    CedarJson.entityUid(CedarJson.tree(r[2]), "resource"), CedarJson.context(r[3]));
            Response response = policies.authorize(request, entities);
            Set<String> errors = response.errors().stream().map(AuthorizationError::policyId).collect(Collectors.toCollection(TreeSet::new));
            return new ReferenceCedar.Answer(null, response.isAllowed(), new TreeSet<>(response.reasons()), errors);
        } catch (RuntimeException e) {
            return ReferenceCedar.Answer.failed(e.toString());
        }
    }

    /** One generated scenario: a policy set, entities and requests (principal, action, resource, context as JSON). */
    record Scenario(int index, String policies, String entities, List<String[]> requests) {
        static Scenario generate(long seed, int index) {
            Random r = new Random(seed ^ (index * 0x9E3779B97F4A7C15L));
            StringBuilder policies = new StringBuilder();
            int singles = 1 + r.nextInt(5);
            for (int i = 0; i < singles; i++) {
                policies.append(new CedarGenerator(r.nextLong(), r.nextLong(), 1 + r.nextInt(4)).policy());
            }
            int families = r.nextInt(4);
            for (int f = 0; f < families; f++) {
                // A family: one shape, different literals, as in per-team or per-level rule sets.
                long shape = r.nextLong();
                int depth = 1 + r.nextInt(3);
                int members = 2 + r.nextInt(11);
                boolean built = r.nextInt(4) > 0;
                for (int i = 0; i < members; i++) {
                    policies.append(new CedarGenerator(shape, r.nextLong(), depth, built).policy());
                }
            }
            CedarGenerator data = new CedarGenerator(r.nextLong(), r.nextLong(), 2);
            String entities = data.entities();
            List<String[]> requests = new ArrayList<>();
            for (int i = 0; i < REQUESTS_PER_SCENARIO; i++) {
                String[] uids = data.request();
                requests.add(new String[] {uids[0], uids[1], uids[2], data.context()});
            }
            return new Scenario(index, policies.toString(), entities, requests);
        }

        String describe(long seed) {
            return "seed " + seed + ", scenario " + index + "\npolicies:\n" + policies + "entities: " + entities;
        }
    }
}
