package dev.gatehouse.cedar.ast;

import dev.gatehouse.cedar.value.EntityType;
import dev.gatehouse.cedar.value.Value;
import java.util.List;
import java.util.Map;

/**
 * A Cedar expression as parsed: the syntax tree of a {@code when}/{@code unless} body. Derived
 * forms are already expanded the way Cedar expands them ({@code a > b} is {@code b < a},
 * {@code a != b} is {@code !(a == b)}, {@code e has a.b} is {@code e has a && e.a has b},
 * {@code e is T in x} is {@code e is T && e in x}). Every node carries its {@link Location}.
 */
public sealed interface Expr {
    Location location();

    /** A boolean, long, string or entity literal. */
    record Literal(Value value, Location location) implements Expr {}

    /** {@code principal}, {@code action}, {@code resource} or {@code context}. */
    record Var(Variable variable, Location location) implements Expr {}

    /** {@code if condition then thenExpr else elseExpr}: only the chosen branch is evaluated. */
    record If(Expr condition, Expr thenExpr, Expr elseExpr, Location location) implements Expr {}

    /** {@code a && b && …}: operands evaluated left to right until one is false. */
    record And(List<Expr> operands, Location location) implements Expr {
        public And {
            operands = List.copyOf(operands);
        }
    }

    /** {@code a || b || …}: operands evaluated left to right until one is true. */
    record Or(List<Expr> operands, Location location) implements Expr {
        public Or {
            operands = List.copyOf(operands);
        }
    }

    record Unary(UnaryOp op, Expr operand, Location location) implements Expr {}

    record Binary(BinaryOp op, Expr left, Expr right, Location location) implements Expr {}

    /** {@code target.attribute} or {@code target["attribute"]}. */
    record GetAttr(Expr target, String attribute, Location location) implements Expr {}

    /** {@code target has attribute}. */
    record HasAttr(Expr target, String attribute, Location location) implements Expr {}

    record Like(Expr target, Pattern pattern, Location location) implements Expr {}

    record Is(Expr target, EntityType type, Location location) implements Expr {}

    /** {@code [a, b, …]}. */
    record SetLiteral(List<Expr> elements, Location location) implements Expr {
        public SetLiteral {
            elements = List.copyOf(elements);
        }
    }

    /** {@code {name: value, …}}, attributes in source order. */
    record RecordLiteral(List<Map.Entry<String, Expr>> attributes, Location location) implements Expr {
        public RecordLiteral {
            attributes = List.copyOf(attributes);
        }
    }

    /**
     * A call of an extension function: {@code decimal("1.5")}, or a method such as
     * {@code a.lessThan(b)} (the receiver is the first argument).
     */
    record ExtensionCall(String function, List<Expr> arguments, Location location) implements Expr {
        public ExtensionCall {
            arguments = List.copyOf(arguments);
        }
    }
}
