package dev.gatehouse.cedar.eval;

import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.value.BoolValue;
import dev.gatehouse.cedar.value.EntityUid;
import dev.gatehouse.cedar.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a syntax tree into evaluation {@link Node}s once, so evaluating a policy walks a tree of
 * small specialised objects: nested {@code &&}/{@code ||} are flattened, comparisons with a
 * literal skip evaluating the literal, {@code context.x} reads the record directly, and
 * extension calls on literals ({@code ip("10.0.0.0/8")}) are computed here instead of per request.
 */
public final class Compiler {
    private Compiler() {
    }

    /** The evaluation tree of an expression. */
    public static Node compile(Expr e) {
        if (e instanceof Expr.Literal lit) {
            return new Nodes.Const(lit.value());
        }
        if (e instanceof Expr.Var v) {
            return switch (v.variable()) {
                case PRINCIPAL -> new Nodes.Principal();
                case ACTION -> new Nodes.Action();
                case RESOURCE -> new Nodes.Resource();
                case CONTEXT -> new Nodes.Context();
            };
        }
        if (e instanceof Expr.If i) {
            return new Nodes.If(compile(i.condition()), compile(i.thenExpr()), compile(i.elseExpr()));
        }
        if (e instanceof Expr.And a) {
            List<Node> ops = new ArrayList<>();
            flatten(a.operands(), true, ops);
            return new Nodes.And(ops.toArray(Node[]::new));
        }
        if (e instanceof Expr.Or o) {
            List<Node> ops = new ArrayList<>();
            flatten(o.operands(), false, ops);
            return new Nodes.Or(ops.toArray(Node[]::new));
        }
        if (e instanceof Expr.Unary u) {
            Node operand = compile(u.operand());
            return switch (u.op()) {
                case NOT -> new Nodes.Not(operand);
                case NEG -> new Nodes.Neg(operand);
                case IS_EMPTY -> new Nodes.IsEmpty(operand);
            };
        }
        if (e instanceof Expr.Binary b) {
            return binary(b);
        }
        if (e instanceof Expr.GetAttr g) {
            if (g.target() instanceof Expr.Var v && v.variable() == dev.gatehouse.cedar.ast.Variable.CONTEXT) {
                return new Nodes.ContextAttr(g.attribute());
            }
            return new Nodes.GetAttr(compile(g.target()), g.attribute());
        }
        if (e instanceof Expr.HasAttr h) {
            return new Nodes.HasAttr(compile(h.target()), h.attribute());
        }
        if (e instanceof Expr.Like l) {
            return new Nodes.Like(compile(l.target()), l.pattern());
        }
        if (e instanceof Expr.Is i) {
            return new Nodes.Is(compile(i.target()), i.type());
        }
        if (e instanceof Expr.SetLiteral s) {
            Node[] elements = s.elements().stream().map(Compiler::compile).toArray(Node[]::new);
            return foldIfConstant(new Nodes.SetNode(elements), elements);
        }
        if (e instanceof Expr.RecordLiteral r) {
            String[] keys = r.attributes().stream().map(Map.Entry::getKey).toArray(String[]::new);
            Node[] values = r.attributes().stream().map(en -> compile(en.getValue())).toArray(Node[]::new);
            return foldIfConstant(new Nodes.RecordNode(keys, values), values);
        }
        Expr.ExtensionCall c = (Expr.ExtensionCall) e;
        Node[] args = c.arguments().stream().map(Compiler::compile).toArray(Node[]::new);
        Extensions.ExtensionFunction f = Extensions.function(c.function());
        if (f == null) {
            return new Nodes.Fail(new EvaluationException(EvaluationException.Kind.EXTENSION_ERROR, "`" + c.function() + "` is not an extension function"));
        }
        return foldIfConstant(new Nodes.Call(f, args), args);
    }

    /** {@code a && (b && c)} evaluates like {@code a && b && c}: one flat, short-circuiting loop. */
    private static void flatten(List<Expr> operands, boolean and, List<Node> out) {
        for (Expr x : operands) {
            if (and && x instanceof Expr.And inner) {
                flatten(inner.operands(), true, out);
            } else if (!and && x instanceof Expr.Or inner) {
                flatten(inner.operands(), false, out);
            } else {
                out.add(compile(x));
            }
        }
    }

    /** Evaluates a node whose inputs are all constants now; a constant failure stays a failure. */
    private static Node foldIfConstant(Node node, Node[] inputs) {
        for (Node n : inputs) {
            if (n.constant() == null) {
                return node;
            }
        }
        try {
            return new Nodes.Const(node.eval(null));
        } catch (EvaluationException err) {
            return new Nodes.Fail(err);
        }
    }

    private static Node binary(Expr.Binary b) {
        Node l = compile(b.left());
        Node r = compile(b.right());
        Value lc = l.constant();
        Value rc = r.constant();
        return switch (b.op()) {
            case EQ -> rc != null ? new Nodes.EqConst(l, rc) : lc != null ? new Nodes.EqConst(r, lc) : new Nodes.Eq(l, r);
            case LESS -> new Nodes.Compare(false, l, r);
            case LESS_EQ -> new Nodes.Compare(true, l, r);
            case ADD -> new Nodes.Arith('+', l, r);
            case SUB -> new Nodes.Arith('-', l, r);
            case MUL -> new Nodes.Arith('*', l, r);
            case IN -> rc instanceof EntityUid uid ? new Nodes.InConst(l, uid) : new Nodes.In(l, r);
            case CONTAINS -> rc != null ? new Nodes.ContainsConst(l, rc) : new Nodes.Contains(l, r);
            case CONTAINS_ALL -> new Nodes.ContainsAllAny(true, l, r);
            case CONTAINS_ANY -> new Nodes.ContainsAllAny(false, l, r);
            case GET_TAG -> new Nodes.GetTag(l, r);
            case HAS_TAG -> new Nodes.HasTag(l, r);
        };
    }

    /** {@code true} as a node, for policies without conditions. */
    static Node alwaysTrue() {
        return new Nodes.Const(BoolValue.TRUE);
    }

    /** A node for {@code !operand}. */
    public static Node not(Node operand) {
        return new Nodes.Not(operand);
    }

    /** A node for the conjunction of the given nodes, evaluated left to right. */
    public static Node and(List<Node> operands) {
        if (operands.isEmpty()) {
            return alwaysTrue();
        }
        return new Nodes.And(operands.toArray(Node[]::new));
    }
}
