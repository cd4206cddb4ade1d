package dev.gatehouse.cedar.authz;

import dev.gatehouse.cedar.ast.ActionConstraint;
import dev.gatehouse.cedar.ast.ScopeConstraint;
import dev.gatehouse.cedar.entities.Entity;
import dev.gatehouse.cedar.eval.Env;
import dev.gatehouse.cedar.value.EntityType;
import dev.gatehouse.cedar.value.EntityUid;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the policies whose scope can match a request without looking at the others. Each unit is
 * filed once, under its most selective scope constraint:
 * {@code principal ==}, {@code resource ==}, {@code action ==}, then {@code principal in},
 * {@code resource in}, {@code action in} (one action), then {@code principal is},
 * {@code resource is}, and otherwise in the always-checked list. A request consults each bucket
 * once ({@code in} buckets under the entity and each of its ancestors), so every unit is visited
 * at most once; the unit then checks its full scope.
 */
final class PolicyIndex {
    private static final Unit[] NONE = new Unit[0];

    private final Map<EntityUid, Unit[]> principalEq;
    private final Map<EntityUid, Unit[]> resourceEq;
    private final Map<EntityUid, Unit[]> actionEq;
    private final Map<EntityUid, Unit[]> principalIn;
    private final Map<EntityUid, Unit[]> resourceIn;
    private final Map<EntityUid, Unit[]> actionIn;
    private final Map<EntityType, Unit[]> principalIs;
    private final Map<EntityType, Unit[]> resourceIs;
    private final Unit[] always;

    PolicyIndex(List<? extends Unit> units) {
        Map<EntityUid, List<Unit>> pEq = new HashMap<>();
        Map<EntityUid, List<Unit>> rEq = new HashMap<>();
        Map<EntityUid, List<Unit>> aEq = new HashMap<>();
        Map<EntityUid, List<Unit>> pIn = new HashMap<>();
        Map<EntityUid, List<Unit>> rIn = new HashMap<>();
        Map<EntityUid, List<Unit>> aIn = new HashMap<>();
        Map<EntityType, List<Unit>> pIs = new HashMap<>();
        Map<EntityType, List<Unit>> rIs = new HashMap<>();
        List<Unit> rest = new ArrayList<>();
        for (Unit u : units) {
            CompiledPolicy p = u.representative();
            ScopeConstraint pc = p.principal;
            ScopeConstraint rc = p.resource;
            ActionConstraint ac = p.action;
            if (pc instanceof ScopeConstraint.Eq eq) {
                add(pEq, eq.entity(), u);
            } else if (rc instanceof ScopeConstraint.Eq eq) {
                add(rEq, eq.entity(), u);
            } else if (ac instanceof ActionConstraint.Eq eq) {
                add(aEq, eq.action(), u);
            } else if (inTarget(pc) != null) {
                add(pIn, inTarget(pc), u);
            } else if (inTarget(rc) != null) {
                add(rIn, inTarget(rc), u);
            } else if (ac instanceof ActionConstraint.In in && in.actions().size() == 1) {
                add(aIn, in.actions().get(0), u);
            } else if (pc instanceof ScopeConstraint.Is is) {
                add(pIs, is.type(), u);
            } else if (rc instanceof ScopeConstraint.Is is) {
                add(rIs, is.type(), u);
            } else {
                rest.add(u);
            }
        }
        principalEq = freeze(pEq);
        resourceEq = freeze(rEq);
        actionEq = freeze(aEq);
        principalIn = freeze(pIn);
        resourceIn = freeze(rIn);
        actionIn = freeze(aIn);
        principalIs = freeze(pIs);
        resourceIs = freeze(rIs);
        always = rest.toArray(NONE);
    }

    private static EntityUid inTarget(ScopeConstraint c) {
        if (c instanceof ScopeConstraint.In in) {
            return in.entity();
        }
        if (c instanceof ScopeConstraint.IsIn isIn) {
            return isIn.entity();
        }
        return null;
    }

    private static <K> void add(Map<K, List<Unit>> m, K key, Unit u) {
        m.computeIfAbsent(key, k -> new ArrayList<>()).add(u);
    }

    private static <K> Map<K, Unit[]> freeze(Map<K, List<Unit>> m) {
        if (m.isEmpty()) {
            return Map.of();
        }
        Map<K, Unit[]> out = new HashMap<>(m.size() * 2);
        m.forEach((k, v) -> out.put(k, v.toArray(NONE)));
        return out;
    }

    /** Evaluates every unit whose scope can match this request. */
    void evaluate(Env env, Outcome out) {
        run(principalEq.get(env.principal()), env, out);
        run(resourceEq.get(env.resource()), env, out);
        run(actionEq.get(env.action()), env, out);
        runIn(principalIn, env.principal(), env, out);
        runIn(resourceIn, env.resource(), env, out);
        runIn(actionIn, env.action(), env, out);
        run(principalIs.get(env.principal().type()), env, out);
        run(resourceIs.get(env.resource().type()), env, out);
        run(always, env, out);
    }

    private static void run(Unit[] units, Env env, Outcome out) {
        if (units != null) {
            for (Unit u : units) {
                u.evaluate(env, out);
            }
        }
    }

    /** Units filed under the entity itself or any of its ancestors (whichever side is smaller to scan). */
    private static void runIn(Map<EntityUid, Unit[]> index, EntityUid uid, Env env, Outcome out) {
        if (index.isEmpty()) {
            return;
        }
        run(index.get(uid), env, out);
        Entity e = env.entity(uid);
        if (e == null || e.ancestors().isEmpty()) {
            return;
        }
        if (e.ancestors().size() <= index.size()) {
            for (EntityUid a : e.ancestors()) {
                if (!a.equals(uid)) {
                    run(index.get(a), env, out);
                }
            }
        } else {
            for (Map.Entry<EntityUid, Unit[]> en : index.entrySet()) {
                if (!en.getKey().equals(uid) && e.isDescendantOf(en.getKey())) {
                    run(en.getValue(), env, out);
                }
            }
        }
    }
}
