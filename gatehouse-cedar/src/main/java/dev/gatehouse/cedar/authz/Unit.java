package dev.gatehouse.cedar.authz;

import dev.gatehouse.cedar.eval.Env;

/**
 * What the index hands out: one policy, or a group of policies that share scope and condition
 * shape and are evaluated together.
 */
interface Unit {
    /** Evaluates the policies of this unit for the request, recording satisfied and failed ones. */
    void evaluate(Env env, Outcome out);

    /** A policy of the unit; its scope is the unit's scope. */
    CompiledPolicy representative();
}
