package dev.gatehouse.policy;

import java.util.Map;

/**
 * A question for the decision point: may {@code principal} do {@code action} on {@code resource}
 * given {@code context}? Entity references use the AuthZEN shape: {@code type} is a built-in alias
 * ({@code human}, {@code workload}, {@code agent}, {@code group}, {@code tool}, {@code tool_server})
 * or a Cedar entity type of the application schema; tool ids are {@code <server>/<tool>}.
 * Context keys follow the Gatehouse vocabulary ({@code task}, {@code delegation}, {@code data},
 * {@code session}, {@code request}, {@code approval}); omitted keys get neutral defaults.
 */
public record DecisionRequest(EntityRef principal, String action, EntityRef resource, Map<String, Object> context) {
    /** {@code properties} are attributes for request-scoped (non-inventory) entities; may be empty. */
    public record EntityRef(String type, String id, Map<String, Object> properties) {
        public EntityRef {
            properties = properties == null ? Map.of() : properties;
        }

        public static EntityRef of(String type, String id) { return new EntityRef(type, id, Map.of()); }
    }

    public DecisionRequest {
        context = context == null ? Map.of() : context;
    }
}
