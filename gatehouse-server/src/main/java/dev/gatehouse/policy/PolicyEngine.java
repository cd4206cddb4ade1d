package dev.gatehouse.policy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The evaluator behind the decision point. Callers hand it engine-neutral values (entities,
 * context), so another engine can replace Cedar without touching them. Failures are reported,
 * never turned into permits: the decision service denies on any error.
 */
public interface PolicyEngine {
    /** A validated policy set with its schema, ready to evaluate; immutable and thread-safe. */
    interface Compiled {
        /** Every policy id, in file order. */
        List<String> policyIds();

        /** Annotations of one policy ({@code @approval("owner")} → {@code approval=owner}). */
        Map<String, String> annotations(String policyId);

        /**
         * True when the policy's conditions read facts only a call has — its arguments, the data it sends or
         * returns, the session's counts and taint, an approval ({@code context.input|inputTruncated|data|result|
         * session|approval}): at token issuance, when there is no call yet, such a rule cannot be judged.
         */
        boolean dependsOnCall(String policyId);

        /** The policy's file and 1-based line, for explanations to operators. */
        String origin(String policyId);

        /** The full schema the policies were validated against (generated + application fragments). */
        String schemaText();

        boolean hasEntityType(String cedarType);

        /** True when {@code Action::"name"} (empty namespace) is an action of the application schema. */
        boolean hasApplicationAction(String name);

        /** The type {@code context.input} had when this version was compiled (arguments outside it are left out). */
        InputType inputType();
    }

    /**
     * @param principal the principal; must be among {@code entities} or be request-scoped without attributes
     * @param action    fully qualified action, e.g. {@code Gatehouse::Action::"read"}
     * @param context   the context record (Java values as in {@link EntityData})
     */
    record Request(EntityData.Uid principal, EntityData.Uid action, EntityData.Uid resource,
                   Map<String, Object> context, List<EntityData> entities) {}

    /**
     * @param allowed     the engine's answer; false whenever {@code errors} is non-empty and no answer could be computed
     * @param determining the policies that decided: satisfied permits on allow, satisfied forbids on deny
     * @param errors      evaluation errors, including those of individual policies Cedar skipped
     */
    record Result(boolean allowed, List<String> determining, List<String> errors) {
        public Result {
            determining = List.copyOf(determining);
            errors = List.copyOf(errors);
        }
    }

    /** The generated vocabulary schema plus the bundle's fragments, validated together. */
    String schema(PolicyBundle bundle);

    /** Every error of the bundle (parse, schema, strict validation), located by file:line:column; empty when valid. */
    List<PolicyError> validate(PolicyBundle bundle);

    /** Compiles a bundle; throws {@link dev.gatehouse.core.Problem.Invalid} listing the errors when it is not valid. */
    Compiled compile(PolicyBundle bundle);

    /**
     * Evaluates one request. {@code withoutAnnotation}, when present, leaves out the forbid policies
     * carrying that annotation (used to learn whether an approval would let the call through).
     * Engine failures come back as errors with {@code allowed=false}; only a context that does not
     * match the schema throws {@link dev.gatehouse.core.Problem.Invalid} (the caller's mistake).
     */
    Result evaluate(Compiled policies, Request request, Optional<String> withoutAnnotation);

    /** Checks application entities against the compiled schema; returns error messages, empty when valid. */
    List<String> validateEntities(Compiled policies, List<EntityData> entities);
}
