package dev.gatehouse.cedar.eval;

import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.entities.EntityStore;
import dev.gatehouse.cedar.value.EntityUid;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.cedar.value.Value;

/** Evaluates single expressions: for tests, tools and callers that need a value rather than a decision. */
public final class Evaluator {
    private Evaluator() {
    }

    /**
     * The value of {@code expr} for the given request variables and entities.
     *
     * @throws EvaluationException when Cedar defines the expression as an error for this input
     */
    public static Value evaluate(Expr expr, EntityUid principal, EntityUid action, EntityUid resource, RecordValue context, EntityStore entities) {
        return Compiler.compile(expr).eval(new Env(principal, action, resource, context, entities));
    }
}
