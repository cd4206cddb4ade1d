package dev.gatehouse.cedar.eval;

import dev.gatehouse.cedar.ast.Pattern;
import dev.gatehouse.cedar.entities.Entity;
import dev.gatehouse.cedar.eval.EvaluationException.Kind;
import dev.gatehouse.cedar.value.BoolValue;
import dev.gatehouse.cedar.value.DatetimeValue;
import dev.gatehouse.cedar.value.DurationValue;
import dev.gatehouse.cedar.value.EntityType;
import dev.gatehouse.cedar.value.EntityUid;
import dev.gatehouse.cedar.value.LongValue;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.cedar.value.SetValue;
import dev.gatehouse.cedar.value.StringValue;
import dev.gatehouse.cedar.value.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The compiled node kinds. Each implements one Cedar operator exactly as the specification defines it. */
final class Nodes {
    /** A node whose value is always a boolean: it computes {@link #evalBool}, and its value wraps that. */
    abstract static class BoolNode extends Node {
        @Override
        public final Value eval(Env env) {
            return BoolValue.of(evalBool(env));
        }

        @Override
        public abstract boolean evalBool(Env env);
    }

    private Nodes() {
    }

    // ------------------------------------------------------------ leaves

    static final class Const extends Node {
        final Value value;

        Const(Value value) {
            this.value = value;
        }

        @Override
        public Value eval(Env env) {
            return value;
        }

        @Override
        public Value constant() {
            return value;
        }
    }

    /** A node that always fails the same way (e.g. {@code decimal("x")}, folded at compile time). */
    static final class Fail extends Node {
        final Kind kind;
        final String message;

        Fail(EvaluationException e) {
            this.kind = e.kind();
            this.message = e.getMessage();
        }

        @Override
        public Value eval(Env env) {
            throw new EvaluationException(kind, message);
        }
    }

    static final class Principal extends Node {
        @Override
        public Value eval(Env env) {
            return env.principal;
        }
    }

    static final class Action extends Node {
        @Override
        public Value eval(Env env) {
            return env.action;
        }
    }

    static final class Resource extends Node {
        @Override
        public Value eval(Env env) {
            return env.resource;
        }
    }

    static final class Context extends Node {
        @Override
        public Value eval(Env env) {
            return env.context;
        }
    }

    // ------------------------------------------------------------ control

    static final class If extends Node {
        final Node condition;
        final Node thenNode;
        final Node elseNode;

        If(Node condition, Node thenNode, Node elseNode) {
            this.condition = condition;
            this.thenNode = thenNode;
            this.elseNode = elseNode;
        }

        @Override
        public Value eval(Env env) {
            return condition.evalBool(env) ? thenNode.eval(env) : elseNode.eval(env);
        }
    }

    static final class And extends BoolNode {
        final Node[] operands;

        And(Node[] operands) {
            this.operands = operands;
        }

        @Override
        public boolean evalBool(Env env) {
            for (Node n : operands) {
                if (!n.evalBool(env)) {
                    return false;
                }
            }
            return true;
        }
    }

    static final class Or extends BoolNode {
        final Node[] operands;

        Or(Node[] operands) {
            this.operands = operands;
        }

        @Override
        public boolean evalBool(Env env) {
            for (Node n : operands) {
                if (n.evalBool(env)) {
                    return true;
                }
            }
            return false;
        }
    }

    static final class Not extends Node {
        final Node operand;

        Not(Node operand) {
            this.operand = operand;
        }

        @Override
        public Value eval(Env env) {
            return BoolValue.of(!operand.evalBool(env));
        }

        @Override
        public boolean evalBool(Env env) {
            return !operand.evalBool(env);
        }
    }

    // ------------------------------------------------------------ arithmetic and comparison

    static long asLong(Value v) {
        if (v instanceof LongValue l) {
            return l.value();
        }
        throw EvaluationException.typeError("long", v);
    }

    static final class Neg extends Node {
        final Node operand;

        Neg(Node operand) {
            this.operand = operand;
        }

        @Override
        public Value eval(Env env) {
            long x = asLong(operand.eval(env));
            if (x == Long.MIN_VALUE) {
                throw new EvaluationException(Kind.OVERFLOW, "integer overflow: -(" + x + ")");
            }
            return LongValue.of(-x);
        }
    }

    static final class Arith extends Node {
        final char op;
        final Node left;
        final Node right;

        Arith(char op, Node left, Node right) {
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        public Value eval(Env env) {
            Value a = left.eval(env);
            Value b = right.eval(env);
            long x = asLong(a);
            long y = asLong(b);
            try {
                return LongValue.of(switch (op) {
                    case '+' -> Math.addExact(x, y);
                    case '-' -> Math.subtractExact(x, y);
                    default -> Math.multiplyExact(x, y);
                });
            } catch (ArithmeticException e) {
                throw new EvaluationException(Kind.OVERFLOW, "integer overflow: " + x + " " + op + " " + y);
            }
        }
    }

    static final class Eq extends BoolNode {
        final Node left;
        final Node right;

        Eq(Node left, Node right) {
            this.left = left;
            this.right = right;
        }

        @Override
        public boolean evalBool(Env env) {
            Value a = left.eval(env);
            return a.equals(right.eval(env));
        }
    }

    /** {@code x == literal}: the literal cannot fail, so only {@code x} is evaluated. */
    static final class EqConst extends BoolNode {
        final Node operand;
        final Value constant;

        EqConst(Node operand, Value constant) {
            this.operand = operand;
            this.constant = constant;
        }

        @Override
        public boolean evalBool(Env env) {
            return constant.equals(operand.eval(env));
        }
    }

    /** {@code <} and {@code <=} on longs, datetimes and durations; anything else is a type error. */
    static final class Compare extends BoolNode {
        final boolean orEqual;
        final Node left;
        final Node right;

        Compare(boolean orEqual, Node left, Node right) {
            this.orEqual = orEqual;
            this.left = left;
            this.right = right;
        }

        @Override
        public boolean evalBool(Env env) {
            Value a = left.eval(env);
            Value b = right.eval(env);
            int c;
            if (a instanceof LongValue x && b instanceof LongValue y) {
                c = Long.compare(x.value(), y.value());
            } else if (a instanceof DatetimeValue x && b instanceof DatetimeValue y) {
                c = Long.compare(x.epochMillis(), y.epochMillis());
            } else if (a instanceof DurationValue x && b instanceof DurationValue y) {
                c = Long.compare(x.millis(), y.millis());
            } else {
                Value bad = a instanceof LongValue || a instanceof DatetimeValue || a instanceof DurationValue ? b : a;
                String expected = a instanceof DatetimeValue ? "datetime" : a instanceof DurationValue ? "duration" : "long";
                throw EvaluationException.typeError(expected + " (both operands of `" + (orEqual ? "<=" : "<") + "` must have the same type)", bad);
            }
            return orEqual ? c <= 0 : c < 0;
        }
    }

    // ------------------------------------------------------------ hierarchy, sets, records

    static EntityUid asEntity(Value v) {
        if (v instanceof EntityUid u) {
            return u;
        }
        throw EvaluationException.typeError("entity", v);
    }

    static SetValue asSet(Value v) {
        if (v instanceof SetValue s) {
            return s;
        }
        throw EvaluationException.typeError("set", v);
    }

    static String asString(Value v) {
        if (v instanceof StringValue s) {
            return s.value();
        }
        throw EvaluationException.typeError("string", v);
    }

    static final class In extends BoolNode {
        final Node left;
        final Node right;

        In(Node left, Node right) {
            this.left = left;
            this.right = right;
        }

        @Override
        public boolean evalBool(Env env) {
            Value a = left.eval(env);
            Value b = right.eval(env);
            EntityUid child = asEntity(a);
            if (b instanceof EntityUid parent) {
                return env.isIn(child, parent);
            }
            if (b instanceof SetValue set) {
                // Every element must be an entity, even after a match (a type error otherwise).
                for (Value v : set) {
                    asEntity(v);
                }
                if (set.contains(child)) {
                    return true;
                }
                Entity e = env.entity(child);
                if (e == null) {
                    return false;
                }
                for (Value v : set) {
                    if (e.isDescendantOf((EntityUid) v)) {
                        return true;
                    }
                }
                return false;
            }
            throw EvaluationException.typeError("entity or set of entities (right of `in`)", b);
        }
    }

    /** {@code x in Some::"literal"}. */
    static final class InConst extends BoolNode {
        final Node left;
        final EntityUid parent;

        InConst(Node left, EntityUid parent) {
            this.left = left;
            this.parent = parent;
        }

        @Override
        public boolean evalBool(Env env) {
            return env.isIn(asEntity(left.eval(env)), parent);
        }
    }

    static final class Contains extends BoolNode {
        final Node set;
        final Node element;

        Contains(Node set, Node element) {
            this.set = set;
            this.element = element;
        }

        @Override
        public boolean evalBool(Env env) {
            Value s = set.eval(env);
            Value e = element.eval(env);
            return asSet(s).contains(e);
        }
    }

    static final class ContainsConst extends BoolNode {
        final Node set;
        final Value element;

        ContainsConst(Node set, Value element) {
            this.set = set;
            this.element = element;
        }

        @Override
        public boolean evalBool(Env env) {
            return asSet(set.eval(env)).contains(element);
        }
    }

    static final class ContainsAllAny extends BoolNode {
        final boolean all;
        final Node left;
        final Node right;

        ContainsAllAny(boolean all, Node left, Node right) {
            this.all = all;
            this.left = left;
            this.right = right;
        }

        @Override
        public boolean evalBool(Env env) {
            Value a = left.eval(env);
            Value b = right.eval(env);
            SetValue x = asSet(a);
            SetValue y = asSet(b);
            return all ? x.containsAll(y) : x.containsAny(y);
        }
    }

    static final class IsEmpty extends Node {
        final Node operand;

        IsEmpty(Node operand) {
            this.operand = operand;
        }

        @Override
        public Value eval(Env env) {
            return BoolValue.of(asSet(operand.eval(env)).isEmpty());
        }
    }

    static final class SetNode extends Node {
        final Node[] elements;

        SetNode(Node[] elements) {
            this.elements = elements;
        }

        @Override
        public Value eval(Env env) {
            Value[] values = new Value[elements.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = elements[i].eval(env);
            }
            return SetValue.of(values);
        }
    }

    static final class RecordNode extends Node {
        final String[] keys;
        final Node[] values;

        RecordNode(String[] keys, Node[] values) {
            this.keys = keys;
            this.values = values;
        }

        @Override
        public Value eval(Env env) {
            Map<String, Value> m = new HashMap<>(keys.length * 2);
            for (int i = 0; i < keys.length; i++) {
                m.put(keys[i], values[i].eval(env));
            }
            return RecordValue.of(m);
        }
    }

    // ------------------------------------------------------------ attributes and tags

    static Value attributeOf(Env env, Value target, String attribute) {
        if (target instanceof RecordValue r) {
            Value v = r.get(attribute);
            if (v == null) {
                throw new EvaluationException(Kind.ATTRIBUTE_DOES_NOT_EXIST, "record does not have the attribute `" + attribute + "`"
                        + available(r.attributes().keySet()));
            }
            return v;
        }
        if (target instanceof EntityUid uid) {
            Entity e = env.entity(uid);
            if (e == null) {
                throw new EvaluationException(Kind.ENTITY_DOES_NOT_EXIST, "entity " + uid + " does not exist");
            }
            Value v = e.attribute(attribute);
            if (v == null) {
                throw new EvaluationException(Kind.ATTRIBUTE_DOES_NOT_EXIST, "entity " + uid + " does not have the attribute `" + attribute + "`"
                        + (e.tag(attribute) != null ? " (it has a tag of that name: use getTag)" : ""));
            }
            return v;
        }
        throw EvaluationException.typeError("entity or record (to read `." + attribute + "`)", target);
    }

    private static String available(java.util.Set<String> keys) {
        if (keys.isEmpty()) {
            return " (it has none)";
        }
        List<String> k = new ArrayList<>(keys);
        java.util.Collections.sort(k);
        return k.size() <= 5 ? " (it has " + String.join(", ", k) + ")" : "";
    }

    static final class GetAttr extends Node {
        final Node target;
        final String attribute;

        GetAttr(Node target, String attribute) {
            this.target = target;
            this.attribute = attribute;
        }

        @Override
        public Value eval(Env env) {
            return attributeOf(env, target.eval(env), attribute);
        }
    }

    /** {@code context.attr}: the context is always a record. */
    static final class ContextAttr extends Node {
        final String attribute;

        ContextAttr(String attribute) {
            this.attribute = attribute;
        }

        @Override
        public Value eval(Env env) {
            Value v = env.context.get(attribute);
            return v != null ? v : attributeOf(env, env.context, attribute);
        }
    }

    static final class HasAttr extends BoolNode {
        final Node target;
        final String attribute;

        HasAttr(Node target, String attribute) {
            this.target = target;
            this.attribute = attribute;
        }

        @Override
        public boolean evalBool(Env env) {
            Value t = target.eval(env);
            if (t instanceof RecordValue r) {
                return r.has(attribute);
            }
            if (t instanceof EntityUid uid) {
                Entity e = env.entity(uid);
                return e != null && e.attribute(attribute) != null;
            }
            throw EvaluationException.typeError("entity or record (left of `has`)", t);
        }
    }

    static final class GetTag extends Node {
        final Node entity;
        final Node tag;

        GetTag(Node entity, Node tag) {
            this.entity = entity;
            this.tag = tag;
        }

        @Override
        public Value eval(Env env) {
            Value a = entity.eval(env);
            Value b = tag.eval(env);
            EntityUid uid = asEntity(a);
            String name = asString(b);
            Entity e = env.entity(uid);
            if (e == null) {
                throw new EvaluationException(Kind.ENTITY_DOES_NOT_EXIST, "entity " + uid + " does not exist");
            }
            Value v = e.tag(name);
            if (v == null) {
                throw new EvaluationException(Kind.TAG_DOES_NOT_EXIST, "entity " + uid + " does not have the tag `" + name + "`"
                        + (e.attribute(name) != null ? " (it has an attribute of that name)" : ""));
            }
            return v;
        }
    }

    static final class HasTag extends BoolNode {
        final Node entity;
        final Node tag;

        HasTag(Node entity, Node tag) {
            this.entity = entity;
            this.tag = tag;
        }

        @Override
        public boolean evalBool(Env env) {
            Value a = entity.eval(env);
            Value b = tag.eval(env);
            EntityUid uid = asEntity(a);
            String name = asString(b);
            Entity e = env.entity(uid);
            return e != null && e.tag(name) != null;
        }
    }

    // ------------------------------------------------------------ strings, types, extensions

    static final class Like extends BoolNode {
        final Node target;
        final Pattern pattern;

        Like(Node target, Pattern pattern) {
            this.target = target;
            this.pattern = pattern;
        }

        @Override
        public boolean evalBool(Env env) {
            return pattern.matches(asString(target.eval(env)));
        }
    }

    static final class Is extends BoolNode {
        final Node target;
        final EntityType type;

        Is(Node target, EntityType type) {
            this.target = target;
            this.type = type;
        }

        @Override
        public boolean evalBool(Env env) {
            return asEntity(target.eval(env)).type().equals(type);
        }
    }

    static final class Call extends Node {
        final Extensions.ExtensionFunction function;
        final Node[] arguments;

        Call(Extensions.ExtensionFunction function, Node[] arguments) {
            this.function = function;
            this.arguments = arguments;
        }

        @Override
        public Value eval(Env env) {
            Value[] args = new Value[arguments.length];
            for (int i = 0; i < args.length; i++) {
                args[i] = arguments[i].eval(env);
            }
            return function.apply(args);
        }
    }
}
