package dev.gatehouse.cedar.authz;

import dev.gatehouse.cedar.ast.ActionConstraint;
import dev.gatehouse.cedar.ast.Condition;
import dev.gatehouse.cedar.ast.Effect;
import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.ast.ScopeConstraint;
import dev.gatehouse.cedar.eval.Compiler;
import dev.gatehouse.cedar.eval.Env;
import dev.gatehouse.cedar.eval.EvaluationException;
import dev.gatehouse.cedar.eval.Node;
import dev.gatehouse.cedar.value.EntityUid;
import java.util.ArrayList;
import java.util.List;

/** A policy ready to evaluate: its scope checks and its compiled conditions. Immutable. */
final class CompiledPolicy implements Unit {
    final Policy policy;
    final int index;
    final boolean forbid;
    final ScopeConstraint principal;
    final ActionConstraint action;
    final ScopeConstraint resource;
    /** All {@code when}/{@code unless} clauses as one conjunction; null when there are none. */
    final Node condition;

    CompiledPolicy(Policy policy, int index) {
        this.policy = policy;
        this.index = index;
        this.forbid = policy.effect() == Effect.FORBID;
        this.principal = policy.principal();
        this.action = policy.action();
        this.resource = policy.resource();
        this.condition = compileConditions(policy);
    }

    /** Cedar evaluates the clauses top to bottom and stops at the first that does not hold. */
    static Node compileConditions(Policy policy) {
        if (policy.conditions().isEmpty()) {
            return null;
        }
        List<Node> parts = new ArrayList<>();
        for (Condition c : policy.conditions()) {
            Node body = Compiler.compile(c.body());
            parts.add(c.when() ? body : Compiler.not(body));
        }
        return parts.size() == 1 ? parts.get(0) : Compiler.and(parts);
    }

    /** Whether the request is within the policy's scope. Scope checks never fail. */
    boolean scopeMatches(Env env) {
        return matches(principal, env.principal(), env) && matches(action, env) && matches(resource, env.resource(), env);
    }

    static boolean matches(ScopeConstraint c, EntityUid uid, Env env) {
        if (c instanceof ScopeConstraint.Any) {
            return true;
        }
        if (c instanceof ScopeConstraint.Eq eq) {
            return uid.equals(eq.entity());
        }
        if (c instanceof ScopeConstraint.In in) {
            return env.isIn(uid, in.entity());
        }
        if (c instanceof ScopeConstraint.Is is) {
            return uid.type().equals(is.type());
        }
        ScopeConstraint.IsIn isIn = (ScopeConstraint.IsIn) c;
        return uid.type().equals(isIn.type()) && env.isIn(uid, isIn.entity());
    }

    private boolean matches(ActionConstraint c, Env env) {
        if (c instanceof ActionConstraint.Any) {
            return true;
        }
        if (c instanceof ActionConstraint.Eq eq) {
            return env.action().equals(eq.action());
        }
        for (EntityUid a : ((ActionConstraint.In) c).actions()) {
            if (env.isIn(env.action(), a)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void evaluate(Env env, Outcome out) {
        if (!scopeMatches(env)) {
            return;
        }
        if (condition == null) {
            out.satisfied(this);
            return;
        }
        try {
            if (condition.evalBool(env)) {
                out.satisfied(this);
            }
        } catch (EvaluationException e) {
            out.failed(this, e.getMessage());
        }
    }

    @Override
    public CompiledPolicy representative() {
        return this;
    }
}
