package dev.gatehouse.cedar.eval;

import dev.gatehouse.cedar.value.BoolValue;
import dev.gatehouse.cedar.value.Value;

/**
 * A compiled expression, ready to evaluate many times and from many threads (nodes hold no
 * per-request state). Built by {@link Compiler} from the syntax tree, with the common shapes
 * ({@code context.x}, {@code principal.x == "…"}, literal extension calls) specialised.
 */
public abstract class Node {
    Node() {
    }

    /**
     * The expression's value for this request.
     *
     * @throws EvaluationException when Cedar defines the expression as an error here
     */
    public abstract Value eval(Env env);

    /** The value, which must be a boolean (a type error otherwise). */
    public boolean evalBool(Env env) {
        Value v = eval(env);
        if (v == BoolValue.TRUE) {
            return true;
        }
        if (v == BoolValue.FALSE) {
            return false;
        }
        if (v instanceof BoolValue b) {
            return b.value();
        }
        throw EvaluationException.typeError("bool", v);
    }

    /** The constant this node always evaluates to, or null when it depends on the request or may fail. */
    public Value constant() {
        return null;
    }
}
