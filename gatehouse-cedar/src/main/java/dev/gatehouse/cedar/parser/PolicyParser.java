package dev.gatehouse.cedar.parser;

import dev.gatehouse.cedar.ast.ActionConstraint;
import dev.gatehouse.cedar.ast.BinaryOp;
import dev.gatehouse.cedar.ast.Condition;
import dev.gatehouse.cedar.ast.Effect;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.ast.Location;
import dev.gatehouse.cedar.ast.Pattern;
import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.ast.ScopeConstraint;
import dev.gatehouse.cedar.ast.UnaryOp;
import dev.gatehouse.cedar.ast.Variable;
import dev.gatehouse.cedar.parser.Token.Kind;
import dev.gatehouse.cedar.value.BoolValue;
import dev.gatehouse.cedar.value.EntityType;
import dev.gatehouse.cedar.value.EntityUid;
import dev.gatehouse.cedar.value.LongValue;
import dev.gatehouse.cedar.value.StringValue;
import dev.gatehouse.cedar.value.Value;
import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses Cedar policy text into {@link Policy} values, following the reference grammar and its
 * conversion rules (reserved words, what may appear in a scope, which names are functions and
 * which are methods, …). Every error carries the position of the offending token.
 *
 * <p>Nesting is bounded by {@link ParserLimits#maxNestingDepth()}: deeper input is rejected with a
 * {@link ParseException} before it can exhaust the stack, here or later in evaluation.
 */
public final class PolicyParser {
    /** Words that can never be identifiers in names, attributes or methods. */
    private static final Set<String> RESERVED = Set.of("true", "false", "if", "then", "else", "in", "is", "has", "like");
    /** Extension functions called as {@code f(args)}. */
    private static final Set<String> FUNCTIONS = Set.of("decimal", "ip", "datetime", "duration");
    /** Extension functions called as methods {@code receiver.f(args)}. */
    private static final Set<String> EXTENSION_METHODS = Set.of(
            "lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual",
            "isIpv4", "isIpv6", "isLoopback", "isMulticast", "isInRange",
            "offset", "durationSince", "toDate", "toTime",
            "toMilliseconds", "toSeconds", "toMinutes", "toHours", "toDays");
    private static final Set<String> BUILTIN_METHODS = Set.of("contains", "containsAll", "containsAny", "isEmpty", "getTag", "hasTag");
    private static final BigInteger LONG_MIN_MAGNITUDE = BigInteger.ONE.shiftLeft(63);
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final String src;
    private final TokenCursor in;
    private final ParserLimits limits;
    private int nesting;

    private PolicyParser(String src, ParserLimits limits) {
        if (src.length() > limits.maxTextLength()) {
            throw new ParseException(new Location(0, 1, 1),
                    "policy text is " + src.length() + " characters long; the limit is " + limits.maxTextLength());
        }
        this.src = src;
        this.limits = limits;
        this.in = new TokenCursor(Lexer.policyTokens(src));
    }

    /** Parses a policy file with the default limits. */
    public static List<Policy> parse(String text) {
        return parse(text, ParserLimits.DEFAULT);
    }

    /**
     * Parses a policy file. Ids: a policy's {@code @id("…")} annotation when present, otherwise
     * {@code policyN} where N is its position in the text (0-based), which is how Cedar names them.
     *
     * @throws ParseException for invalid text, a duplicate id, or text beyond {@code limits}
     */
    public static List<Policy> parse(String text, ParserLimits limits) {
        PolicyParser parser = new PolicyParser(text, limits);
        return parser.policies();
    }

    /** Parses a single expression, as written in a {@code when} clause. */
    public static Expr parseExpression(String text) {
        return parseExpression(text, ParserLimits.DEFAULT);
    }

    public static Expr parseExpression(String text, ParserLimits limits) {
        PolicyParser parser = new PolicyParser(text, limits);
        Expr e = parser.expr(parser.parseExpr());
        parser.in.expect(Kind.EOF, "the end of the expression");
        return e;
    }

    // ---------------------------------------------------------------- policies

    private List<Policy> policies() {
        List<Policy> out = new ArrayList<>();
        Map<String, Location> ids = new HashMap<>();
        while (!in.peek().is(Kind.EOF)) {
            Token first = in.peek();
            if (out.size() >= limits.maxPolicies()) {
                throw new ParseException(first.location(), "more than " + limits.maxPolicies() + " policies in one text");
            }
            Policy policy = policy(out.size());
            Location previous = ids.putIfAbsent(policy.id(), policy.location());
            if (previous != null) {
                throw new ParseException(policy.location(), "duplicate policy id `" + policy.id() + "` (first used at " + previous + ")");
            }
            out.add(policy);
        }
        return out;
    }

    private Policy policy(int index) {
        Token start = in.peek();
        Map<String, String> annotations = new LinkedHashMap<>();
        while (in.peek().is(Kind.AT)) {
            Token at = in.next();
            Token key = anyIdent("an annotation name after `@`");
            String value = "";
            if (in.peek().is(Kind.LPAREN)) {
                in.next();
                Token s = in.expect(Kind.STRING, "a string as the annotation's value");
                value = unescape(s);
                in.expect(Kind.RPAREN, "`)` after the annotation's value");
            }
            if (annotations.putIfAbsent(key.text(), value) != null) {
                throw new ParseException(at.location(), "duplicate annotation: @" + key.text());
            }
        }
        Token effectToken = anyIdent("`permit` or `forbid`");
        Effect effect = switch (effectToken.text()) {
            case "permit" -> Effect.PERMIT;
            case "forbid" -> Effect.FORBID;
            default -> throw new ParseException(effectToken.location(),
                    "invalid policy effect `" + effectToken.text() + "`; expected `permit` or `forbid`");
        };
        in.expect(Kind.LPAREN, "`(` to open the policy scope");
        List<ScopeElement> scope = new ArrayList<>();
        while (!in.peek().is(Kind.RPAREN)) {
            scope.add(scopeElement());
            if (!in.peek().is(Kind.COMMA)) {
                break;
            }
            in.next();
        }
        Token close = in.expect(Kind.RPAREN, "`,` or `)` in the policy scope");
        if (scope.size() > 3) {
            throw new ParseException(scope.get(3).variable().location(), "this policy has an extra element in the scope");
        }
        String[] names = {"principal", "action", "resource"};
        if (scope.size() < 3) {
            throw new ParseException(close.location(), "this policy is missing the `" + names[scope.size()] + "` variable in the scope");
        }
        ScopeConstraint principal = principalOrResource(scope.get(0), "principal");
        ActionConstraint action = actionConstraint(scope.get(1));
        ScopeConstraint resource = principalOrResource(scope.get(2), "resource");

        List<Condition> conditions = new ArrayList<>();
        while (!in.peek().is(Kind.SEMI)) {
            Token kind = anyIdent("`when`, `unless` or `;`");
            boolean when;
            if (kind.text().equals("when")) {
                when = true;
            } else if (kind.text().equals("unless")) {
                when = false;
            } else {
                throw new ParseException(kind.location(), "invalid policy condition `" + kind.text() + "`; expected `when` or `unless`");
            }
            in.expect(Kind.LBRACE, "`{` after `" + kind.text() + "`");
            if (in.peek().is(Kind.RBRACE)) {
                throw new ParseException(kind.location(), "`" + kind.text() + "` condition clause cannot be empty");
            }
            Expr body = expr(parseExpr());
            in.expect(Kind.RBRACE, "`}` to close the `" + kind.text() + "` clause");
            conditions.add(new Condition(when, body));
        }
        Token semi = in.next();
        String id = annotations.getOrDefault("id", "policy" + index);
        String text = src.substring(start.location().offset(), semi.end());
        return new Policy(id, effect, annotations, principal, action, resource, conditions, text, start.location());
    }

    /** One comma-separated element of a scope, before it is checked against its position. */
    private record ScopeElement(Token variable, Node isType, Token op, Node target) {
    }

    private ScopeElement scopeElement() {
        Token variable = anyIdent("`principal`, `action` or `resource`");
        if (in.peek().is(Kind.COLON)) {
            throw new ParseException(in.peek().location(), "type constraints using `:` are not supported; use `is`");
        }
        Node isType = null;
        if (in.peek().isWord("is")) {
            in.next();
            isType = parseAdd();
        }
        Token op = null;
        Node target = null;
        Token t = in.peek();
        if (t.is(Kind.EQ_EQ) || t.is(Kind.NOT_EQ) || t.is(Kind.LT) || t.is(Kind.LE) || t.is(Kind.GT) || t.is(Kind.GE)
                || t.is(Kind.EQ) || t.isWord("in")) {
            op = in.next();
            target = parseExpr();
        }
        return new ScopeElement(variable, isType, op, target);
    }

    private ScopeConstraint principalOrResource(ScopeElement e, String expected) {
        String got = e.variable().text();
        if (!got.equals(expected)) {
            if (got.equals("principal") || got.equals("action") || got.equals("resource")) {
                throw new ParseException(e.variable().location(), "found the variable `" + got + "` where the variable `" + expected + "` must be used");
            }
            throw new ParseException(e.variable().location(), "found an invalid variable in the policy scope: `" + got + "`; expected `" + expected + "`");
        }
        EntityType type = e.isType() == null ? null : entityType(e.isType(), expected);
        if (e.op() == null) {
            return type == null ? ScopeConstraint.ANY : new ScopeConstraint.Is(type);
        }
        Kind k = e.op().kind();
        if (k == Kind.EQ) {
            throw new ParseException(e.op().location(), "'=' is not a valid operator in Cedar; use '=='");
        }
        if (k == Kind.EQ_EQ) {
            if (type != null) {
                throw new ParseException(e.op().location(), "`is` cannot be used together with `==`");
            }
            return new ScopeConstraint.Eq(entityRef(e.target(), expected));
        }
        if (e.op().isWord("in")) {
            EntityUid uid = entityRef(e.target(), expected);
            return type == null ? new ScopeConstraint.In(uid) : new ScopeConstraint.IsIn(type, uid);
        }
        throw new ParseException(e.op().location(), "invalid operator `" + e.op().text() + "` in the policy scope; expected `==`, `in` or `is`");
    }

    private ActionConstraint actionConstraint(ScopeElement e) {
        String got = e.variable().text();
        if (!got.equals("action")) {
            if (got.equals("principal") || got.equals("resource")) {
                throw new ParseException(e.variable().location(), "found the variable `" + got + "` where the variable `action` must be used");
            }
            throw new ParseException(e.variable().location(), "found an invalid variable in the policy scope: `" + got + "`; expected `action`");
        }
        if (e.isType() != null) {
            throw new ParseException(e.variable().location(), "`is` cannot appear in the action scope");
        }
        if (e.op() == null) {
            return ActionConstraint.ANY;
        }
        ActionConstraint c;
        if (e.op().is(Kind.EQ_EQ)) {
            c = new ActionConstraint.Eq(entityRef(e.target(), "action"));
        } else if (e.op().isWord("in")) {
            Node target = e.target();
            if (target instanceof ExprNode en && en.expr() instanceof Expr.SetLiteral set) {
                List<EntityUid> uids = new ArrayList<>();
                for (Expr element : set.elements()) {
                    uids.add(entityRef(new ExprNode(element, 1), "action"));
                }
                c = new ActionConstraint.In(uids);
            } else {
                c = new ActionConstraint.In(List.of(entityRef(target, "action")));
            }
        } else if (e.op().is(Kind.EQ)) {
            throw new ParseException(e.op().location(), "'=' is not a valid operator in Cedar; use '=='");
        } else {
            throw new ParseException(e.op().location(), "invalid operator `" + e.op().text() + "` in the action scope; expected `==` or `in`");
        }
        List<EntityUid> uids = c instanceof ActionConstraint.Eq eq ? List.of(eq.action()) : ((ActionConstraint.In) c).actions();
        for (EntityUid uid : uids) {
            if (!uid.type().isAction()) {
                throw new ParseException(e.target().location(), "expected an entity uid with type `Action` in the action scope, but got `" + uid + "`");
            }
        }
        return c;
    }

    private EntityUid entityRef(Node n, String variable) {
        if (n instanceof ExprNode en && en.expr() instanceof Expr.Literal lit && lit.value() instanceof EntityUid uid) {
            return uid;
        }
        String found;
        if (n instanceof StrNode s) {
            found = "the string " + s.token().text() + " (include the entity type if you meant an entity uid)";
        } else if (n instanceof NameNode nn) {
            found = "the name `" + nn.name() + "`" + (variable.equals("action") ? "" : " (use `is` to test for an entity type)");
        } else if (n instanceof ExprNode en && en.expr() instanceof Expr.SetLiteral) {
            found = "a set";
        } else {
            found = "an expression";
        }
        throw new ParseException(n.location(), "expected an entity uid for `" + variable + "`, found " + found);
    }

    private EntityType entityType(Node n, String lhs) {
        if (n instanceof NameNode nn) {
            return new EntityType(nn.name());
        }
        if (n instanceof VarNode v) {
            return new EntityType(v.variable().cedarName());
        }
        throw new ParseException(n.location(), "right hand side of an `is` expression must be an entity type name, after `" + lhs + " is`");
    }

    // ---------------------------------------------------------------- expressions

    /**
     * A parsed piece of expression. Names, string and boolean literals, variables and bare numbers
     * stay distinguishable until their context decides what they may be (an entity type after
     * {@code is}, a pattern after {@code like}, an attribute name in a record, …).
     */
    private sealed interface Node {
        Location location();
    }

    /** A finished expression with its depth (for the nesting limit). */
    private record ExprNode(Expr expr, int depth) implements Node {
        @Override
        public Location location() {
            return expr.location();
        }
    }

    /** A possibly qualified name that is not (yet) an expression: {@code User}, {@code Gatehouse::Agent}. */
    private record NameNode(String name, boolean qualified, Location location) implements Node {
    }

    private record StrNode(Token token) implements Node {
        @Override
        public Location location() {
            return token.location();
        }
    }

    /**
     * A bare variable ({@code principal}); in parentheses it is an ordinary expression, which
     * matters after {@code is} and as a record key, where only the bare form may stand.
     */
    private record VarNode(Variable variable, Location location) implements Node {
    }

    private record NumNode(Token token) implements Node {
        @Override
        public Location location() {
            return token.location();
        }
    }

    private Expr expr(Node n) {
        return exprNode(n).expr();
    }

    private ExprNode exprNode(Node n) {
        if (n instanceof ExprNode e) {
            return e;
        }
        if (n instanceof StrNode s) {
            return new ExprNode(new Expr.Literal(new StringValue(unescape(s.token())), s.location()), 1);
        }
        if (n instanceof VarNode v) {
            return new ExprNode(new Expr.Var(v.variable(), v.location()), 1);
        }
        if (n instanceof NumNode num) {
            BigInteger v = number(num.token());
            if (v.bitLength() > 63) {
                throw new ParseException(num.location(), "integer literal `" + num.token().text() + "` is too large");
            }
            return new ExprNode(new Expr.Literal(LongValue.of(v.longValue()), num.location()), 1);
        }
        NameNode nn = (NameNode) n;
        throw new ParseException(nn.location(),
                "`" + nn.name() + "` is not a variable: only `principal`, `action`, `resource` and `context` are"
                        + (nn.qualified() ? " (write `" + nn.name() + "::\"id\"` for an entity)" : ""));
    }

    private BigInteger number(Token t) {
        BigInteger v = new BigInteger(t.text());
        if (v.compareTo(U64_MAX) > 0) {
            throw new ParseException(t.location(), "integer literal `" + t.text() + "` is too large");
        }
        return v;
    }

    /** Builds a composite node one level deeper than its deepest child, enforcing the nesting limit. */
    private ExprNode make(Expr e, ExprNode... children) {
        int d = 0;
        for (ExprNode c : children) {
            d = Math.max(d, c.depth());
        }
        return make(e, d);
    }

    private ExprNode make(Expr e, int childDepth) {
        int depth = childDepth + 1;
        if (depth > limits.maxNestingDepth()) {
            throw tooDeep(e.location());
        }
        return new ExprNode(e, depth);
    }

    private ParseException tooDeep(Location at) {
        return new ParseException(at, "expression is nested too deeply (the limit is " + limits.maxNestingDepth() + " levels)");
    }

    private Node parseExpr() {
        Token t = in.peek();
        if (++nesting > limits.maxNestingDepth()) {
            throw tooDeep(t.location());
        }
        try {
            if (t.isWord("if")) {
                in.next();
                ExprNode c = exprNode(parseExpr());
                expectWord("then", "`then` after the `if` condition");
                ExprNode a = exprNode(parseExpr());
                expectWord("else", "`else` after the `then` branch");
                ExprNode b = exprNode(parseExpr());
                return make(new Expr.If(c.expr(), a.expr(), b.expr(), t.location()), c, a, b);
            }
            return parseOr();
        } finally {
            nesting--;
        }
    }

    private Node parseOr() {
        Node first = parseAnd();
        if (!in.peek().is(Kind.OR_OR)) {
            return first;
        }
        List<ExprNode> operands = new ArrayList<>();
        operands.add(exprNode(first));
        while (in.peek().is(Kind.OR_OR)) {
            in.next();
            operands.add(exprNode(parseAnd()));
        }
        return make(new Expr.Or(operands.stream().map(ExprNode::expr).toList(), first.location()), operands.toArray(ExprNode[]::new));
    }

    private Node parseAnd() {
        Node first = parseRelation();
        if (!in.peek().is(Kind.AND_AND)) {
            return first;
        }
        List<ExprNode> operands = new ArrayList<>();
        operands.add(exprNode(first));
        while (in.peek().is(Kind.AND_AND)) {
            in.next();
            operands.add(exprNode(parseRelation()));
        }
        return make(new Expr.And(operands.stream().map(ExprNode::expr).toList(), first.location()), operands.toArray(ExprNode[]::new));
    }

    private Node parseRelation() {
        Node first = parseAdd();
        Token t = in.peek();
        Location at = first.location();
        if (t.isWord("has")) {
            in.next();
            return has(exprNode(first), t);
        }
        if (t.isWord("like")) {
            in.next();
            Node rhs = parseAdd();
            if (!(rhs instanceof StrNode s)) {
                throw new ParseException(rhs.location(), "right hand side of a `like` expression must be a pattern literal");
            }
            ExprNode target = exprNode(first);
            Pattern pattern = Unescape.pattern(inner(s.token()), s.location());
            return make(new Expr.Like(target.expr(), pattern, at), target);
        }
        if (t.isWord("is")) {
            in.next();
            ExprNode target = exprNode(first);
            EntityType type = entityType(parseAdd(), "…");
            ExprNode is = make(new Expr.Is(target.expr(), type, at), target);
            if (!in.peek().isWord("in")) {
                return is;
            }
            in.next();
            ExprNode in = exprNode(parseAdd());
            ExprNode member = make(new Expr.Binary(BinaryOp.IN, target.expr(), in.expr(), at), target, in);
            return make(new Expr.And(List.of(is.expr(), member.expr()), at), is, member);
        }
        Token op = relOp(t) ? in.next() : null;
        if (op == null) {
            return first;
        }
        if (op.is(Kind.EQ)) {
            throw new ParseException(op.location(), "'=' is not a valid operator in Cedar; use '=='");
        }
        ExprNode left = exprNode(first);
        ExprNode right = exprNode(parseAdd());
        if (relOp(in.peek())) {
            throw new ParseException(in.peek().location(),
                    "multiple relational operators (>, ==, in, etc.) must be used with parentheses to make ordering explicit");
        }
        return switch (op.kind()) {
            case EQ_EQ -> make(new Expr.Binary(BinaryOp.EQ, left.expr(), right.expr(), at), left, right);
            case NOT_EQ -> not(make(new Expr.Binary(BinaryOp.EQ, left.expr(), right.expr(), at), left, right), at);
            case LT -> make(new Expr.Binary(BinaryOp.LESS, left.expr(), right.expr(), at), left, right);
            case LE -> make(new Expr.Binary(BinaryOp.LESS_EQ, left.expr(), right.expr(), at), left, right);
            // As in Cedar: a > b is !(a <= b), a >= b is !(a < b); same results and errors as swapping.
            case GT -> not(make(new Expr.Binary(BinaryOp.LESS_EQ, left.expr(), right.expr(), at), left, right), at);
            case GE -> not(make(new Expr.Binary(BinaryOp.LESS, left.expr(), right.expr(), at), left, right), at);
            default -> make(new Expr.Binary(BinaryOp.IN, left.expr(), right.expr(), at), left, right);
        };
    }

    private ExprNode not(ExprNode e, Location at) {
        return make(new Expr.Unary(UnaryOp.NOT, e.expr(), at), e);
    }

    private static boolean relOp(Token t) {
        return switch (t.kind()) {
            case EQ_EQ, NOT_EQ, LT, LE, GT, GE, EQ -> true;
            default -> t.isWord("in");
        };
    }

    /**
     * {@code e has a}, {@code e has "a b"}, or {@code e has a.b.c}, which means
     * {@code e has a && e.a has b && e.a.b has c}.
     */
    private Node has(ExprNode target, Token hasToken) {
        Location at = target.location();
        Token t = in.peek();
        List<String> path = new ArrayList<>();
        if (t.is(Kind.STRING)) {
            in.next();
            path.add(unescape(t));
        } else if (t.is(Kind.IDENT)) {
            if (t.text().equals("true") || t.text().equals("false") || RESERVED.contains(t.text())) {
                throw reserved(t);
            }
            in.next();
            if (in.peek().is(Kind.COLON_COLON)) {
                throw new ParseException(t.location(), "a name with a namespace cannot be used as an attribute");
            }
            path.add(attributeName(t));
            while (in.peek().is(Kind.DOT)) {
                in.next();
                path.add(attributeName(anyIdent("an attribute name after `.`")));
            }
        } else {
            throw new ParseException(t.location(), "invalid right hand side of a `has` operation: expected an attribute name or string, found " + t.describe());
        }
        Token after = in.peek();
        if (after.is(Kind.LPAREN) || after.is(Kind.LBRACKET) || (path.size() == 1 && t.is(Kind.STRING) && after.is(Kind.DOT))
                || after.is(Kind.PLUS) || after.is(Kind.MINUS) || after.is(Kind.STAR)) {
            throw new ParseException(after.location(), "invalid right hand side of a `has` operation: only attribute names may follow `has`");
        }
        List<ExprNode> tests = new ArrayList<>();
        ExprNode prefix = target;
        for (int i = 0; i < path.size(); i++) {
            tests.add(make(new Expr.HasAttr(prefix.expr(), path.get(i), at), prefix));
            if (i + 1 < path.size()) {
                prefix = make(new Expr.GetAttr(prefix.expr(), path.get(i), at), prefix);
            }
        }
        if (tests.size() == 1) {
            return tests.get(0);
        }
        return make(new Expr.And(tests.stream().map(ExprNode::expr).toList(), at), tests.toArray(ExprNode[]::new));
    }

    private Node parseAdd() {
        Node first = parseMult();
        if (!in.peek().is(Kind.PLUS) && !in.peek().is(Kind.MINUS)) {
            return first;
        }
        ExprNode acc = exprNode(first);
        while (in.peek().is(Kind.PLUS) || in.peek().is(Kind.MINUS)) {
            BinaryOp op = in.next().is(Kind.PLUS) ? BinaryOp.ADD : BinaryOp.SUB;
            ExprNode right = exprNode(parseMult());
            acc = make(new Expr.Binary(op, acc.expr(), right.expr(), first.location()), acc, right);
        }
        return acc;
    }

    private Node parseMult() {
        Node first = parseUnary();
        if (!in.peek().is(Kind.STAR) && !in.peek().is(Kind.SLASH) && !in.peek().is(Kind.PERCENT)) {
            return first;
        }
        ExprNode acc = exprNode(first);
        while (in.peek().is(Kind.STAR) || in.peek().is(Kind.SLASH) || in.peek().is(Kind.PERCENT)) {
            Token op = in.next();
            if (op.is(Kind.SLASH)) {
                throw new ParseException(op.location(), "division is not supported");
            }
            if (op.is(Kind.PERCENT)) {
                throw new ParseException(op.location(), "remainder/modulo is not supported");
            }
            ExprNode right = exprNode(parseUnary());
            acc = make(new Expr.Binary(BinaryOp.MUL, acc.expr(), right.expr(), first.location()), acc, right);
        }
        return acc;
    }

    private Node parseUnary() {
        Token t = in.peek();
        if (!t.is(Kind.BANG) && !t.is(Kind.MINUS)) {
            return parseMember();
        }
        Kind k = t.kind();
        int count = 0;
        while (in.peek().is(k)) {
            in.next();
            count++;
        }
        if (count > 4) {
            throw new ParseException(t.location(), "too many occurrences of `" + t.text() + "`");
        }
        Node operand = parseMember();
        Location at = t.location();
        if (k == Kind.BANG) {
            ExprNode e = exprNode(operand);
            for (int i = 0; i < count; i++) {
                e = make(new Expr.Unary(UnaryOp.NOT, e.expr(), at), e);
            }
            return e;
        }
        ExprNode e;
        int negations = count;
        if (operand instanceof NumNode num) {
            // -N is a literal, so -9223372036854775808 is valid although 9223372036854775808 is not.
            BigInteger v = number(num.token());
            int c = v.compareTo(LONG_MIN_MAGNITUDE);
            if (c > 0) {
                throw new ParseException(at, "integer literal `-" + num.token().text() + "` is too large");
            }
            long value = c == 0 ? Long.MIN_VALUE : -v.longValue();
            e = new ExprNode(new Expr.Literal(LongValue.of(value), num.location()), 1);
            negations--;
        } else {
            e = exprNode(operand);
        }
        for (int i = 0; i < negations; i++) {
            e = make(new Expr.Unary(UnaryOp.NEG, e.expr(), at), e);
        }
        return e;
    }

    /** One access in a member chain: {@code .name}, {@code (args)} or {@code ["name"]}. */
    private sealed interface Access {
        Token token();
    }

    private record Field(Token token, String name) implements Access {
    }

    private record Call(Token token, List<ExprNode> args) implements Access {
    }

    private record Index(Token token, String name) implements Access {
    }

    private Node parseMember() {
        Node head = parsePrimary();
        List<Access> accesses = new ArrayList<>();
        while (true) {
            Token t = in.peek();
            if (t.is(Kind.DOT)) {
                in.next();
                Token name = anyIdent("an attribute or method name after `.`");
                accesses.add(new Field(name, attributeName(name)));
            } else if (t.is(Kind.LPAREN)) {
                in.next();
                List<ExprNode> args = new ArrayList<>();
                while (!in.peek().is(Kind.RPAREN)) {
                    args.add(exprNode(parseExpr()));
                    if (!in.peek().is(Kind.COMMA)) {
                        break;
                    }
                    in.next();
                }
                in.expect(Kind.RPAREN, "`,` or `)` in the argument list");
                accesses.add(new Call(t, args));
            } else if (t.is(Kind.LBRACKET)) {
                in.next();
                Node index = parseExpr();
                in.expect(Kind.RBRACKET, "`]` after the index");
                if (!(index instanceof StrNode s)) {
                    throw new ParseException(index.location(), "the contents of an index expression must be a string literal");
                }
                accesses.add(new Index(t, unescape(s.token())));
            } else {
                break;
            }
        }
        if (accesses.isEmpty()) {
            return head;
        }
        Location at = head.location();
        int i = 0;
        ExprNode acc;
        if (head instanceof NameNode name) {
            Access first = accesses.get(0);
            if (first instanceof Call call) {
                acc = function(name, call);
                i = 1;
            } else if (first instanceof Field f && accesses.size() > 1 && accesses.get(1) instanceof Call) {
                throw new ParseException(f.token().location(), "attempted to call `" + name.name() + "." + f.name() + "(...)`, but `" + name.name() + "` does not have any methods");
            } else if (first instanceof Field f) {
                throw new ParseException(f.token().location(), "invalid member access `" + name.name() + "." + f.name() + "`, `" + name.name() + "` has no fields or methods");
            } else {
                throw new ParseException(first.token().location(), "invalid indexing expression on `" + name.name() + "`, it has no fields");
            }
        } else {
            if (head instanceof VarNode v && accesses.get(0) instanceof Call) {
                throw new ParseException(accesses.get(0).token().location(), "variable `" + v.variable().cedarName() + "` cannot be called as a function");
            }
            acc = exprNode(head);
        }
        while (i < accesses.size()) {
            Access a = accesses.get(i);
            if (a instanceof Call c) {
                throw new ParseException(c.token().location(), "function calls must be of the form `<name>(arg1, arg2, ...)`");
            } else if (a instanceof Index ix) {
                acc = make(new Expr.GetAttr(acc.expr(), ix.name(), at), acc);
                i++;
            } else {
                Field f = (Field) a;
                if (i + 1 < accesses.size() && accesses.get(i + 1) instanceof Call call) {
                    acc = method(acc, f, call, at);
                    i += 2;
                } else {
                    acc = make(new Expr.GetAttr(acc.expr(), f.name(), at), acc);
                    i++;
                }
            }
        }
        return acc;
    }

    private ExprNode method(ExprNode receiver, Field name, Call call, Location at) {
        String m = name.name();
        List<ExprNode> args = call.args();
        ExprNode[] all = new ExprNode[args.size() + 1];
        all[0] = receiver;
        for (int k = 0; k < args.size(); k++) {
            all[k + 1] = args.get(k);
        }
        BinaryOp binary = switch (m) {
            case "contains" -> BinaryOp.CONTAINS;
            case "containsAll" -> BinaryOp.CONTAINS_ALL;
            case "containsAny" -> BinaryOp.CONTAINS_ANY;
            case "getTag" -> BinaryOp.GET_TAG;
            case "hasTag" -> BinaryOp.HAS_TAG;
            default -> null;
        };
        if (binary != null) {
            if (args.size() != 1) {
                throw arity(name.token(), m, 1, args.size());
            }
            return make(new Expr.Binary(binary, receiver.expr(), args.get(0).expr(), at), all);
        }
        if (m.equals("isEmpty")) {
            if (!args.isEmpty()) {
                throw arity(name.token(), m, 0, args.size());
            }
            return make(new Expr.Unary(UnaryOp.IS_EMPTY, receiver.expr(), at), receiver);
        }
        if (EXTENSION_METHODS.contains(m)) {
            List<Expr> exprs = new ArrayList<>();
            for (ExprNode n : all) {
                exprs.add(n.expr());
            }
            return make(new Expr.ExtensionCall(m, exprs, at), all);
        }
        if (FUNCTIONS.contains(m)) {
            throw new ParseException(name.token().location(), "`" + m + "` is a function, not a method: write `" + m + "(…)`");
        }
        throw new ParseException(name.token().location(), "`" + m + "` is not a valid method");
    }

    private ExprNode function(NameNode name, Call call) {
        String n = name.name();
        if (!name.qualified() && (EXTENSION_METHODS.contains(n) || BUILTIN_METHODS.contains(n))) {
            throw new ParseException(name.location(), "`" + n + "` is a method, not a function: write `receiver." + n + "(…)`");
        }
        if (name.qualified() || !FUNCTIONS.contains(n)) {
            throw new ParseException(name.location(), "`" + n + "` is not a valid function");
        }
        List<Expr> exprs = call.args().stream().map(ExprNode::expr).toList();
        ExprNode[] children = call.args().toArray(ExprNode[]::new);
        return children.length == 0 ? make(new Expr.ExtensionCall(n, exprs, name.location()), 0)
                : make(new Expr.ExtensionCall(n, exprs, name.location()), children);
    }

    private static ParseException arity(Token at, String method, int expected, int got) {
        return new ParseException(at.location(), "call to `" + method + "` requires exactly " + expected + " argument"
                + (expected == 1 ? "" : "s") + ", but got " + got + " argument" + (got == 1 ? "" : "s"));
    }

    private Node parsePrimary() {
        Token t = in.peek();
        switch (t.kind()) {
            case NUMBER -> {
                in.next();
                return new NumNode(t);
            }
            case STRING -> {
                in.next();
                return new StrNode(t);
            }
            case SLOT -> throw new ParseException(t.location(),
                    "`" + t.text() + "`: policy templates are not supported; write static policies");
            case LPAREN -> {
                in.next();
                Node inner = parseExpr();
                in.expect(Kind.RPAREN, "`)`");
                ExprNode e = exprNode(inner);
                return e;
            }
            case LBRACKET -> {
                in.next();
                List<ExprNode> elements = new ArrayList<>();
                while (!in.peek().is(Kind.RBRACKET)) {
                    elements.add(exprNode(parseExpr()));
                    if (!in.peek().is(Kind.COMMA)) {
                        break;
                    }
                    in.next();
                }
                in.expect(Kind.RBRACKET, "`,` or `]` in the set");
                Expr set = new Expr.SetLiteral(elements.stream().map(ExprNode::expr).toList(), t.location());
                return elements.isEmpty() ? make(set, 0) : make(set, elements.toArray(ExprNode[]::new));
            }
            case LBRACE -> {
                in.next();
                return record(t);
            }
            case IDENT -> {
                return nameOrReference();
            }
            default -> throw new ParseException(t.location(), "unexpected " + t.describe() + "; expected an expression");
        }
    }

    private Node record(Token open) {
        List<Map.Entry<String, Expr>> attributes = new ArrayList<>();
        List<ExprNode> values = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (!in.peek().is(Kind.RBRACE)) {
            Token keyToken = in.peek();
            String key;
            if (keyToken.isWord("if") && in.peek(1).is(Kind.COLON)) {
                throw reserved(keyToken);
            }
            Node k = parseExpr();
            if (k instanceof StrNode s) {
                key = unescape(s.token());
            } else if (k instanceof NameNode nn && !nn.qualified()) {
                key = nn.name();
            } else if (k instanceof NameNode nn) {
                throw new ParseException(nn.location(), "`" + nn.name() + "` cannot be used as an attribute name as it contains a namespace");
            } else if (k instanceof VarNode v) {
                key = v.variable().cedarName();
            } else if (k instanceof ExprNode en && en.expr() instanceof Expr.Literal lit && lit.value() instanceof BoolValue) {
                throw new ParseException(en.location(), "this identifier is reserved and cannot be used: " + lit.value());
            } else {
                throw new ParseException(k.location(), "invalid attribute name in record literal; expected an identifier or a string");
            }
            in.expect(Kind.COLON, "`:` after the attribute name");
            ExprNode value = exprNode(parseExpr());
            if (!seen.add(key)) {
                throw new ParseException(keyToken.location(), "duplicate key `" + key + "` in record literal");
            }
            attributes.add(new AbstractMap.SimpleImmutableEntry<>(key, value.expr()));
            values.add(value);
            if (!in.peek().is(Kind.COMMA)) {
                break;
            }
            in.next();
        }
        in.expect(Kind.RBRACE, "`,` or `}` in the record");
        Expr rec = new Expr.RecordLiteral(attributes, open.location());
        return values.isEmpty() ? make(rec, 0) : make(rec, values.toArray(ExprNode[]::new));
    }

    /**
     * A name ({@code principal}, {@code User}, {@code A::B}), an entity reference
     * ({@code A::B::"id"}) or a boolean literal.
     */
    private Node nameOrReference() {
        Token first = in.next();
        if (!in.peek().is(Kind.COLON_COLON)) {
            switch (first.text()) {
                case "true", "false" -> {
                    return new ExprNode(new Expr.Literal(Value.of(first.text().equals("true")), first.location()), 1);
                }
                case "principal" -> {
                    return variable(Variable.PRINCIPAL, first);
                }
                case "action" -> {
                    return variable(Variable.ACTION, first);
                }
                case "resource" -> {
                    return variable(Variable.RESOURCE, first);
                }
                case "context" -> {
                    return variable(Variable.CONTEXT, first);
                }
                case "if" -> throw new ParseException(first.location(), "`if` expressions must be wrapped in parentheses here");
                default -> {
                    return new NameNode(identifier(first), false, first.location());
                }
            }
        }
        StringBuilder name = new StringBuilder(identifier(first));
        while (in.peek().is(Kind.COLON_COLON)) {
            in.next();
            Token t = in.peek();
            if (t.is(Kind.STRING)) {
                in.next();
                EntityUid uid = new EntityUid(new EntityType(name.toString()), unescape(t));
                return new ExprNode(new Expr.Literal(uid, first.location()), 1);
            }
            if (t.is(Kind.LBRACE)) {
                throw new ParseException(t.location(), "invalid entity literal: `" + name + "::{…}` is not supported; write `" + name + "::\"id\"`");
            }
            name.append("::").append(identifier(anyIdent("a name or an entity id string after `::`")));
        }
        return new NameNode(name.toString(), true, first.location());
    }

    private VarNode variable(Variable v, Token t) {
        return new VarNode(v, t.location());
    }

    /** A path component of a name: any identifier except the reserved words and {@code __cedar}. */
    private String identifier(Token t) {
        if (RESERVED.contains(t.text())) {
            throw reserved(t);
        }
        if (t.text().equals("__cedar")) {
            throw new ParseException(t.location(), "the name `__cedar` is reserved");
        }
        return t.text();
    }

    /** An attribute or method name after {@code .} or {@code has}: same rules as a name component. */
    private String attributeName(Token t) {
        return identifier(t);
    }

    private static ParseException reserved(Token t) {
        return new ParseException(t.location(), "this identifier is reserved and cannot be used: " + t.text());
    }

    // ---------------------------------------------------------------- tokens


    private void expectWord(String word, String what) {
        Token t = in.peek();
        if (!t.isWord(word)) {
            throw new ParseException(t.location(), "unexpected " + t.describe() + "; expected " + what);
        }
        in.next();
    }

    private Token anyIdent(String what) {
        Token t = in.peek();
        if (!t.is(Kind.IDENT)) {
            throw new ParseException(t.location(), "unexpected " + t.describe() + "; expected " + what);
        }
        return in.next();
    }

    private static String inner(Token stringToken) {
        String s = stringToken.text();
        return s.substring(1, s.length() - 1);
    }

    private static String unescape(Token stringToken) {
        return Unescape.string(inner(stringToken), stringToken.location());
    }
}
