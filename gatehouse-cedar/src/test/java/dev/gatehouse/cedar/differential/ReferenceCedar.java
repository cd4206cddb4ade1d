package dev.gatehouse.cedar.differential;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.AuthorizationSuccessResponse;
import com.cedarpolicy.model.entity.Entities;
import com.cedarpolicy.model.entity.Entity;
import com.cedarpolicy.model.exception.InternalException;
import com.cedarpolicy.model.policy.PolicySet;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.EntityUID;
import com.cedarpolicy.value.Value;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.cedar.json.CedarJson;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The Rust reference engine through cedar-java 4.10.0: the oracle of the differential test. */
final class ReferenceCedar {
    private static final BasicAuthorizationEngine ENGINE = new BasicAuthorizationEngine();

    /** Cedar's answer: a parse failure, an engine failure, or a decision with its diagnostics. */
    record Answer(String failure, boolean allowed, Set<String> reasons, Set<String> errors) {
        static Answer failed(String why) {
            return new Answer(why, false, Set.of(), Set.of());
        }

        @Override
        public String toString() {
            return failure != null ? "failure: " + failure : (allowed ? "ALLOW" : "DENY") + " reasons=" + reasons + " errors=" + errors;
        }
    }

    private ReferenceCedar() {
    }

    /** Parses the policy text, or returns null with the message when Cedar rejects it. */
    static PolicySet parse(String policies, StringBuilder error) {
        try {
            PolicySet set = PolicySet.parsePolicies(policies);
            // Parsed once on the native side instead of on every call.
            set.cache();
            return set;
        } catch (com.cedarpolicy.model.exception.CacheException e) {
            throw new IllegalStateException(e);
        } catch (InternalException e) {
            error.append(e.getMessage());
            return null;
        }
    }

    static Entities entities(String json) {
        try {
            return Entities.parse(json);
        } catch (Exception e) {
            throw new IllegalStateException("cedar-java cannot read generated entities: " + e.getMessage(), e);
        }
    }

    static Answer authorize(PolicySet policies, Entities entities, String principal, String action, String resource, String context) {
        try {
            Map<String, Value> ctx = Entity.parse("{\"uid\": {\"type\": \"Context\", \"id\": \"\"}, \"attrs\": " + context + ", \"parents\": []}").attrs;
            AuthorizationRequest request = new AuthorizationRequest(uid(principal), uid(action), uid(resource), Optional.of(ctx), Optional.empty(), false);
            AuthorizationResponse response = ENGINE.isAuthorized(request, policies, entities);
            if (response.success.isEmpty()) {
                return Answer.failed(String.valueOf(response.errors.orElse(null)));
            }
            AuthorizationSuccessResponse s = response.success.get();
            Set<String> errors = new TreeSet<>();
            s.getErrors().forEach(e -> errors.add(e.getPolicyId()));
            return new Answer(null, s.isAllowed(), new TreeSet<>(s.getReason()), errors);
        } catch (Exception e) {
            return Answer.failed(e.toString());
        }
    }

    private static EntityUID uid(String json) {
        JsonNode n = CedarJson.tree(json);
        return new EntityUID(EntityTypeName.parse(n.get("type").asText()).orElseThrow(), n.get("id").asText());
    }
}
