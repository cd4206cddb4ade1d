package dev.gatehouse.policy;

import dev.gatehouse.core.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenID AuthZEN Authorization API 1.0 request shapes. {@code subject}/{@code resource}
 * {@code type} is a Gatehouse alias ({@code agent}, {@code tool} …) or a Cedar type as written;
 * {@code action.name} is a Cedar action id.
 */
public final class AuthZen {
    private AuthZen() {}

    public record Entity(String type, String id, Map<String, Object> properties) {}

    public record Action(String name, Map<String, Object> properties) {}

    /** One access evaluation; in a batch, absent parts are taken from the top-level defaults. */
    public record Evaluation(Entity subject, Action action, Entity resource, Map<String, Object> context) {
        DecisionRequest toDecisionRequest(Evaluation defaults) {
            Entity s = subject != null ? subject : defaults == null ? null : defaults.subject();
            Action a = action != null ? action : defaults == null ? null : defaults.action();
            Entity r = resource != null ? resource : defaults == null ? null : defaults.resource();
            Map<String, Object> c = context != null ? context : defaults == null ? null : defaults.context();
            if (s == null) throw new Problem.Invalid("subject", "subject is required ({type, id})");
            if (a == null || a.name() == null) throw new Problem.Invalid("action.name", "action.name is required");
            if (r == null) throw new Problem.Invalid("resource", "resource is required ({type, id})");
            if (a.properties() != null && !a.properties().isEmpty()) {
                throw new Problem.Invalid("action.properties", "action properties are not supported; put request facts in context");
            }
            return new DecisionRequest(ref(s), a.name(), ref(r), c == null ? Map.of() : new LinkedHashMap<>(c));
        }

        private static DecisionRequest.EntityRef ref(Entity e) {
            return new DecisionRequest.EntityRef(e.type(), e.id(), e.properties());
        }
    }

    public record Options(String evaluations_semantic) {}

    public record Batch(Entity subject, Action action, Entity resource, Map<String, Object> context,
                        List<Evaluation> evaluations, Options options) {
        Evaluation defaults() { return new Evaluation(subject, action, resource, context); }
    }
}
