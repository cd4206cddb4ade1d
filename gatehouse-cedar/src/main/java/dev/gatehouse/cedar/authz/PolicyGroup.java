package dev.gatehouse.cedar.authz;

import dev.gatehouse.cedar.ast.BinaryOp;
import dev.gatehouse.cedar.ast.Condition;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.ast.UnaryOp;
import dev.gatehouse.cedar.entities.Entity;
import dev.gatehouse.cedar.eval.Compiler;
import dev.gatehouse.cedar.eval.Env;
import dev.gatehouse.cedar.eval.EvaluationException;
import dev.gatehouse.cedar.eval.Node;
import dev.gatehouse.cedar.value.EntityUid;
import dev.gatehouse.cedar.value.LongValue;
import dev.gatehouse.cedar.value.SetValue;
import dev.gatehouse.cedar.value.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Policies with the same effect, the same scope and conditions of the same shape — rule sets
 * written once per team, per level, per tool — evaluated together in one pass.
 *
 * <p>The conditions are walked once, over the set of members still undecided. A sub-expression
 * that is the same in every member ({@code resource.destination == "external"}) is evaluated
 * once for all of them. A comparison of such a shared value with a per-member literal
 * ({@code context.data.level >= 7}, {@code principal.tags.contains("team-7")},
 * {@code x == "a"}, {@code x in Group::"g"}) is answered by an index over the literals instead of
 * member by member. Anything else is evaluated per member, like a lone policy. The result is
 * Cedar's, member for member: {@code &&}, {@code ||}, {@code !} and {@code if} keep their
 * short-circuit semantics per member, so a member errs exactly when it would on its own. An
 * erring member is then evaluated alone, for its exact error message.
 */
final class PolicyGroup implements Unit {
    private final CompiledPolicy[] members;
    private final Plan plan;
    private final Bits all;
    private final Bits none;

    PolicyGroup(List<CompiledPolicy> members) {
        this.members = members.toArray(CompiledPolicy[]::new);
        this.all = Bits.all(this.members.length);
        this.none = Bits.none(this.members.length);
        List<Condition> first = this.members[0].policy.conditions();
        List<Plan> clauses = new ArrayList<>();
        for (int c = 0; c < first.size(); c++) {
            Expr[] column = new Expr[this.members.length];
            for (int m = 0; m < column.length; m++) {
                column[m] = this.members[m].policy.conditions().get(c).body();
            }
            Plan p = plan(column);
            clauses.add(first.get(c).when() ? p : new NotPlan(p));
        }
        this.plan = clauses.size() == 1 ? clauses.get(0) : new AndPlan(clauses.toArray(Plan[]::new));
    }

    int size() {
        return members.length;
    }

    @Override
    public CompiledPolicy representative() {
        return members[0];
    }

    @Override
    public void evaluate(Env env, Outcome out) {
        if (!members[0].scopeMatches(env)) {
            return;
        }
        Result r = plan.eval(env, all, none);
        if (!r.t.isEmpty()) {
            out.reserve(members[0].forbid, r.t.count());
        }
        for (int i = r.t.next(0); i >= 0; i = r.t.next(i + 1)) {
            out.satisfied(members[i]);
        }
        for (int i = r.e.next(0); i >= 0; i = r.e.next(i + 1)) {
            members[i].evaluate(env, out);
        }
    }

    // ------------------------------------------------------------------ plans

    /** Which members (of those in the mask) are true, and which fail; the rest are false. */
    private record Result(Bits t, Bits e) {
    }

    private abstract static class Plan {
        /** Evaluates the members in {@code mask} as a boolean condition. */
        abstract Result eval(Env env, Bits mask, Bits none);
    }

    private static Plan plan(Expr[] column) {
        if (allSame(column)) {
            return new Uniform(Compiler.compile(column[0]));
        }
        Expr first = column[0];
        if (first instanceof Expr.And a) {
            return new AndPlan(columns(column, a.operands().size(), (e, i) -> ((Expr.And) e).operands().get(i)));
        }
        if (first instanceof Expr.Or o) {
            return new OrPlan(columns(column, o.operands().size(), (e, i) -> ((Expr.Or) e).operands().get(i)));
        }
        if (first instanceof Expr.Unary u && u.op() == UnaryOp.NOT) {
            return new NotPlan(plan(map(column, e -> ((Expr.Unary) e).operand())));
        }
        if (first instanceof Expr.If) {
            return new IfPlan(plan(map(column, e -> ((Expr.If) e).condition())), plan(map(column, e -> ((Expr.If) e).thenExpr())),
                    plan(map(column, e -> ((Expr.If) e).elseExpr())));
        }
        if (first instanceof Expr.Binary b) {
            Expr[] left = map(column, e -> ((Expr.Binary) e).left());
            Expr[] right = map(column, e -> ((Expr.Binary) e).right());
            Plan indexed = indexed(b.op(), left, right);
            if (indexed != null) {
                return indexed;
            }
        }
        Node[] nodes = new Node[column.length];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = Compiler.compile(column[i]);
        }
        return new PerMember(nodes);
    }

    /** A comparison of a shared expression with a literal per member, answered through an index. */
    private static Plan indexed(BinaryOp op, Expr[] left, Expr[] right) {
        boolean leftShared = allSame(left);
        boolean rightShared = allSame(right);
        switch (op) {
            case EQ -> {
                if (leftShared && allLiterals(right)) {
                    return new EqIndex(Compiler.compile(left[0]), literals(right));
                }
                if (rightShared && allLiterals(left)) {
                    return new EqIndex(Compiler.compile(right[0]), literals(left));
                }
            }
            case LESS, LESS_EQ -> {
                boolean orEqual = op == BinaryOp.LESS_EQ;
                if (leftShared && allLongs(right)) {
                    return new CompareIndex(Compiler.compile(left[0]), longs(right), true, orEqual);
                }
                if (rightShared && allLongs(left)) {
                    return new CompareIndex(Compiler.compile(right[0]), longs(left), false, orEqual);
                }
            }
            case CONTAINS -> {
                if (leftShared && allLiterals(right)) {
                    return new ContainsIndex(Compiler.compile(left[0]), literals(right));
                }
            }
            case IN -> {
                if (leftShared && allLiterals(right) && Arrays.stream(literals(right)).allMatch(v -> v instanceof EntityUid)) {
                    return new InIndex(Compiler.compile(left[0]), literals(right));
                }
            }
            default -> {
                return null;
            }
        }
        return null;
    }

    private interface Pick {
        Expr get(Expr e, int i);
    }

    private static Plan[] columns(Expr[] column, int n, Pick pick) {
        Plan[] out = new Plan[n];
        for (int i = 0; i < n; i++) {
            final int k = i;
            out[i] = plan(map(column, e -> pick.get(e, k)));
        }
        return out;
    }

    private static Expr[] map(Expr[] column, java.util.function.Function<Expr, Expr> f) {
        Expr[] out = new Expr[column.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.apply(column[i]);
        }
        return out;
    }

    private static boolean allSame(Expr[] column) {
        for (int i = 1; i < column.length; i++) {
            if (!Shapes.same(column[0], column[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean allLiterals(Expr[] column) {
        for (Expr e : column) {
            if (!(e instanceof Expr.Literal)) {
                return false;
            }
        }
        return true;
    }

    private static boolean allLongs(Expr[] column) {
        for (Expr e : column) {
            if (!(e instanceof Expr.Literal l && l.value() instanceof LongValue)) {
                return false;
            }
        }
        return true;
    }

    private static Value[] literals(Expr[] column) {
        Value[] out = new Value[column.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Expr.Literal) column[i]).value();
        }
        return out;
    }

    private static long[] longs(Expr[] column) {
        long[] out = new long[column.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((LongValue) ((Expr.Literal) column[i]).value()).value();
        }
        return out;
    }

    /** Members by literal value. */
    private static Map<Value, int[]> byValue(Value[] values) {
        Map<Value, List<Integer>> m = new HashMap<>();
        for (int i = 0; i < values.length; i++) {
            m.computeIfAbsent(values[i], k -> new ArrayList<>()).add(i);
        }
        Map<Value, int[]> out = new HashMap<>(m.size() * 2);
        m.forEach((k, v) -> out.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }

    private static void set(long[] words, int[] positions) {
        for (int p : positions) {
            words[p >>> 6] |= 1L << p;
        }
    }

    private static Bits bits(int size, long[] words) {
        return Bits.wrap(words);
    }

    // ------------------------------------------------------------------ boolean structure

    /** The same expression in every member: evaluated once. */
    private static final class Uniform extends Plan {
        private final Node node;

        Uniform(Node node) {
            this.node = node;
        }

        @Override
        Result eval(Env env, Bits mask, Bits none) {
            try {
                return node.evalBool(env) ? new Result(mask, none) : new Result(none, none);
            } catch (EvaluationException e) {
                return new Result(none, mask);
            }
        }
    }

    /** Members whose expressions differ in ways no index covers: each evaluated on its own. */
    private static final class PerMember extends Plan {
        private final Node[] nodes;

        PerMember(Node[] nodes) {
            this.nodes = nodes;
        }

        @Override
        Result eval(Env env, Bits mask, Bits none) {
            long[] t = null;
            long[] e = null;
            int size = nodes.length;
            for (int i = mask.next(0); i >= 0; i = mask.next(i + 1)) {
                try {
                    if (nodes[i].evalBool(env)) {
                        t = t == null ? new long[(size + 63) >>> 6] : t;
                        t[i >>> 6] |= 1L << i;
                    }
                } catch (EvaluationException err) {
                    e = e == null ? new long[(size + 63) >>> 6] : e;
                    e[i >>> 6] |= 1L << i;
                }
            }
            return new Result(t == null ? none : bits(size, t), e == null ? none : bits(size, e));
        }
    }

    private static final class AndPlan extends Plan {
        private final Plan[] operands;

        AndPlan(Plan[] operands) {
            this.operands = operands;
        }

        @Override
        Result eval(Env env, Bits mask, Bits none) {
            Bits live = mask;
            Bits errors = none;
            for (Plan p : operands) {
                if (live.isEmpty()) {
                    break;
                }
                Result r = p.eval(env, live, none);
                errors = errors.or(r.e);
                live = r.t;
            }
            return new Result(live, errors);
        }
    }

    private static final class OrPlan extends Plan {
        private final Plan[] operands;

        OrPlan(Plan[] operands) {
            this.operands = operands;
        }

        @Override
        Result eval(Env env, Bits mask, Bits none) {
            Bits pending = mask;
            Bits t = none;
            Bits errors = none;
            for (Plan p : operands) {
                if (pending.isEmpty()) {
                    break;
                }
                Result r = p.eval(env, pending, none);
                t = t.or(r.t);
                errors = errors.or(r.e);
                pending = pending.andNot(r.t).andNot(r.e);
            }
            return new Result(t, errors);
        }
    }

    private static final class NotPlan extends Plan {
        private final Plan operand;

        NotPlan(Plan operand) {
            this.operand = operand;
        }

        @Override
        Result eval(Env env, Bits mask, Bits none) {
            Result r = operand.eval(env, mask, none);
            return new Result(mask.andNot(r.t).andNot(r.e), r.e);
        }
    }

    private static final class IfPlan extends Plan {
        private final Plan condition;
        private final Plan thenPlan;
        private final Plan elsePlan;

        IfPlan(Plan condition, Plan thenPlan, Plan elsePlan) {
            this.condition = condition;
            this.thenPlan = thenPlan;
            this.elsePlan = elsePlan;
        }

        @Override
        Result eval(Env env, Bits mask, Bits none) {
            Result c = condition.eval(env, mask, none);
            Bits otherwise = mask.andNot(c.t).andNot(c.e);
            Result a = c.t.isEmpty() ? new Result(none, none) : thenPlan.eval(env, c.t, none);
            Result b = otherwise.isEmpty() ? new Result(none, none) : elsePlan.eval(env, otherwise, none);
            return new Result(a.t.or(b.t), c.e.or(a.e).or(b.e));
        }
    }

    // ------------------------------------------------------------------ indexes over literals

    /**
     * A plan over one expression every member shares, compared with each member's own literal: the shared
     * value is computed once; when it is an error, every member errs.
     */
    private abstract static class SharedValuePlan extends Plan {
        final Node shared;

        SharedValuePlan(Node shared) {
            this.shared = shared;
        }

        @Override
        final Result eval(Env env, Bits mask, Bits none) {
            Value v;
            try {
                v = shared.eval(env);
            } catch (EvaluationException e) {
                return new Result(none, mask);
            }
            return on(v, env, mask, none);
        }

        /** The members' results, given the shared value. */
        abstract Result on(Value v, Env env, Bits mask, Bits none);
    }

    /** A shared-value plan that looks values up among the members' literals. */
    private abstract static class LiteralIndex extends SharedValuePlan {
        final Map<Value, int[]> members;
        final int size;

        LiteralIndex(Node shared, Value[] literals) {
            super(shared);
            this.members = byValue(literals);
            this.size = literals.length;
        }
    }

    /** {@code shared == literal} (either way round): equality never fails, so only the shared side can. */
    private static final class EqIndex extends LiteralIndex {
        EqIndex(Node shared, Value[] literals) {
            super(shared, literals);
        }

        @Override
        Result on(Value v, Env env, Bits mask, Bits none) {
            int[] hits = members.get(v);
            return new Result(hits == null ? none : Bits.of(size, hits, 0, hits.length).and(mask), none);
        }
    }

    /** {@code shared < literal}, {@code literal <= shared}, …: a range of the members sorted by their literal. */
    private static final class CompareIndex extends SharedValuePlan {
        private final boolean sharedOnLeft;
        private final boolean orEqual;
        private final long[] sorted;
        private final int[] order;

        CompareIndex(Node shared, long[] literals, boolean sharedOnLeft, boolean orEqual) {
            super(shared);
            this.sharedOnLeft = sharedOnLeft;
            this.orEqual = orEqual;
            Integer[] idx = new Integer[literals.length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            Arrays.sort(idx, (a, b) -> Long.compare(literals[a], literals[b]));
            this.order = new int[idx.length];
            this.sorted = new long[idx.length];
            for (int i = 0; i < idx.length; i++) {
                order[i] = idx[i];
                sorted[i] = literals[idx[i]];
            }
        }

        @Override
        Result on(Value v, Env env, Bits mask, Bits none) {
            if (!(v instanceof LongValue l)) {
                // a long literal against anything but a long is a type error
                return new Result(none, mask);
            }
            long u = l.value();
            int n = sorted.length;
            int from;
            int to;
            if (sharedOnLeft) {
                // u < p  or  u <= p: the members with larger (or equal) literals
                from = orEqual ? lowerBound(u) : upperBound(u);
                to = n;
            } else {
                // p < u  or  p <= u: the members with smaller (or equal) literals
                from = 0;
                to = orEqual ? upperBound(u) : lowerBound(u);
            }
            Bits hit;
            if (to - from <= n - (to - from)) {
                hit = Bits.of(n, order, from, to);
            } else {
                // cheaper to list the members outside the range
                hit = Bits.all(n).andNot(Bits.of(n, order, 0, from)).andNot(Bits.of(n, order, to, n));
            }
            return new Result(hit.and(mask), none);
        }

        /** First position whose literal is at least u. */
        private int lowerBound(long u) {
            int lo = 0;
            int hi = sorted.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid] < u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /** First position whose literal is greater than u. */
        private int upperBound(long u) {
            int lo = 0;
            int hi = sorted.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid] <= u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    /** {@code shared.contains(literal)}: look the shared set's elements up among the literals. */
    private static final class ContainsIndex extends LiteralIndex {
        ContainsIndex(Node shared, Value[] literals) {
            super(shared, literals);
        }

        @Override
        Result on(Value v, Env env, Bits mask, Bits none) {
            if (!(v instanceof SetValue set)) {
                return new Result(none, mask);
            }
            long[] words = new long[(size + 63) >>> 6];
            if (set.size() <= members.size()) {
                for (Value element : set) {
                    int[] hits = members.get(element);
                    if (hits != null) {
                        set(words, hits);
                    }
                }
            } else {
                members.forEach((literal, hits) -> {
                    if (set.contains(literal)) {
                        set(words, hits);
                    }
                });
            }
            return new Result(bits(size, words).and(mask), none);
        }
    }

    /** {@code shared in Literal::"uid"}: look the shared entity and its ancestors up among the literals. */
    private static final class InIndex extends LiteralIndex {
        InIndex(Node shared, Value[] literals) {
            super(shared, literals);
        }

        @Override
        Result on(Value v, Env env, Bits mask, Bits none) {
            if (!(v instanceof EntityUid uid)) {
                return new Result(none, mask);
            }
            long[] words = new long[(size + 63) >>> 6];
            int[] self = members.get(uid);
            if (self != null) {
                set(words, self);
            }
            Entity e = env.entity(uid);
            if (e != null && !e.ancestors().isEmpty()) {
                if (e.ancestors().size() <= members.size()) {
                    for (EntityUid a : e.ancestors()) {
                        int[] hits = a.equals(uid) ? null : members.get(a);
                        if (hits != null) {
                            set(words, hits);
                        }
                    }
                } else {
                    members.forEach((literal, hits) -> {
                        if (e.isDescendantOf((EntityUid) literal)) {
                            set(words, hits);
                        }
                    });
                }
            }
            return new Result(bits(size, words).and(mask), none);
        }
    }
}
