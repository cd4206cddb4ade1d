package dev.gatehouse.cedar.authz;

import dev.gatehouse.cedar.ast.Expr;
import java.util.List;
import java.util.Map;

/**
 * Structural comparison of expressions, ignoring source positions: {@link #same} compares
 * everything, {@link #shape} everything but literal values. Policies whose conditions have the
 * same shape differ only in their constants.
 */
final class Shapes {
    private Shapes() {
    }

    /** A key equal for two expressions exactly when they have the same shape. */
    static String shape(Expr e) {
        StringBuilder b = new StringBuilder();
        shape(e, b);
        return b.toString();
    }

    private static void shape(Expr e, StringBuilder b) {
        if (e instanceof Expr.Literal) {
            b.append('?');
        } else if (e instanceof Expr.Var v) {
            b.append('$').append(v.variable().ordinal());
        } else if (e instanceof Expr.If i) {
            b.append("if(");
            shape(i.condition(), b);
            b.append(',');
            shape(i.thenExpr(), b);
            b.append(',');
            shape(i.elseExpr(), b);
            b.append(')');
        } else if (e instanceof Expr.And a) {
            list("and(", a.operands(), b);
        } else if (e instanceof Expr.Or o) {
            list("or(", o.operands(), b);
        } else if (e instanceof Expr.Unary u) {
            b.append(u.op()).append('(');
            shape(u.operand(), b);
            b.append(')');
        } else if (e instanceof Expr.Binary bin) {
            b.append(bin.op()).append('(');
            shape(bin.left(), b);
            b.append(',');
            shape(bin.right(), b);
            b.append(')');
        } else if (e instanceof Expr.GetAttr g) {
            b.append("get(");
            shape(g.target(), b);
            b.append(',').append(quoted(g.attribute())).append(')');
        } else if (e instanceof Expr.HasAttr h) {
            b.append("has(");
            shape(h.target(), b);
            b.append(',').append(quoted(h.attribute())).append(')');
        } else if (e instanceof Expr.Like l) {
            b.append("like(");
            shape(l.target(), b);
            b.append(',').append(quoted(l.pattern().toCedar())).append(')');
        } else if (e instanceof Expr.Is i) {
            b.append("is(");
            shape(i.target(), b);
            b.append(',').append(quoted(i.type().name())).append(')');
        } else if (e instanceof Expr.SetLiteral s) {
            list("set(", s.elements(), b);
        } else if (e instanceof Expr.RecordLiteral r) {
            b.append("rec(");
            for (Map.Entry<String, Expr> en : r.attributes()) {
                b.append(quoted(en.getKey())).append(':');
                shape(en.getValue(), b);
                b.append(',');
            }
            b.append(')');
        } else {
            Expr.ExtensionCall c = (Expr.ExtensionCall) e;
            list(c.function() + "(", c.arguments(), b);
        }
    }

    private static void list(String head, List<Expr> items, StringBuilder b) {
        b.append(head);
        for (Expr x : items) {
            shape(x, b);
            b.append(',');
        }
        b.append(')');
    }

    private static String quoted(String s) {
        return s.length() + ":" + s;
    }

    /** Whether two expressions are the same, literals included. */
    static boolean same(Expr a, Expr b) {
        if (a.getClass() != b.getClass()) {
            return false;
        }
        if (a instanceof Expr.Literal x) {
            return x.value().equals(((Expr.Literal) b).value());
        }
        if (a instanceof Expr.Var x) {
            return x.variable() == ((Expr.Var) b).variable();
        }
        if (a instanceof Expr.If x) {
            Expr.If y = (Expr.If) b;
            return same(x.condition(), y.condition()) && same(x.thenExpr(), y.thenExpr()) && same(x.elseExpr(), y.elseExpr());
        }
        if (a instanceof Expr.And x) {
            return same(x.operands(), ((Expr.And) b).operands());
        }
        if (a instanceof Expr.Or x) {
            return same(x.operands(), ((Expr.Or) b).operands());
        }
        if (a instanceof Expr.Unary x) {
            Expr.Unary y = (Expr.Unary) b;
            return x.op() == y.op() && same(x.operand(), y.operand());
        }
        if (a instanceof Expr.Binary x) {
            Expr.Binary y = (Expr.Binary) b;
            return x.op() == y.op() && same(x.left(), y.left()) && same(x.right(), y.right());
        }
        if (a instanceof Expr.GetAttr x) {
            Expr.GetAttr y = (Expr.GetAttr) b;
            return x.attribute().equals(y.attribute()) && same(x.target(), y.target());
        }
        if (a instanceof Expr.HasAttr x) {
            Expr.HasAttr y = (Expr.HasAttr) b;
            return x.attribute().equals(y.attribute()) && same(x.target(), y.target());
        }
        if (a instanceof Expr.Like x) {
            Expr.Like y = (Expr.Like) b;
            return x.pattern().equals(y.pattern()) && same(x.target(), y.target());
        }
        if (a instanceof Expr.Is x) {
            Expr.Is y = (Expr.Is) b;
            return x.type().equals(y.type()) && same(x.target(), y.target());
        }
        if (a instanceof Expr.SetLiteral x) {
            return same(x.elements(), ((Expr.SetLiteral) b).elements());
        }
        if (a instanceof Expr.RecordLiteral x) {
            List<Map.Entry<String, Expr>> p = x.attributes();
            List<Map.Entry<String, Expr>> q = ((Expr.RecordLiteral) b).attributes();
            if (p.size() != q.size()) {
                return false;
            }
            for (int i = 0; i < p.size(); i++) {
                if (!p.get(i).getKey().equals(q.get(i).getKey()) || !same(p.get(i).getValue(), q.get(i).getValue())) {
                    return false;
                }
            }
            return true;
        }
        Expr.ExtensionCall x = (Expr.ExtensionCall) a;
        Expr.ExtensionCall y = (Expr.ExtensionCall) b;
        return x.function().equals(y.function()) && same(x.arguments(), y.arguments());
    }

    private static boolean same(List<Expr> a, List<Expr> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!same(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
