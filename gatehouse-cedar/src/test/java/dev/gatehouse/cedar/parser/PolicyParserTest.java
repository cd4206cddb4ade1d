package dev.gatehouse.cedar.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.cedar.ast.ActionConstraint;
import dev.gatehouse.cedar.ast.Effect;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.ast.ScopeConstraint;
import dev.gatehouse.cedar.value.EntityType;
import dev.gatehouse.cedar.value.EntityUid;
import dev.gatehouse.cedar.value.LongValue;
import dev.gatehouse.cedar.value.StringValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyParserTest {

    private static ParseException error(String text) {
        try {
            PolicyParser.parse(text);
        } catch (ParseException e) {
            return e;
        }
        throw new AssertionError("expected a parse error for: " + text);
    }

    @Test
    void parsesEveryScopeForm() {
        List<Policy> ps = PolicyParser.parse("""
                permit(principal == User::"alice", action == Action::"view", resource in Album::"trip");
                forbid(principal is User in Group::"x", action in [Action::"a", NS::Action::"b"], resource is Photo);
                permit(principal in Group::"admins", action in Action::"readOnly", resource);
                """);
        assertThat(ps).hasSize(3);
        assertThat(ps.get(0).principal()).isEqualTo(new ScopeConstraint.Eq(EntityUid.of("User", "alice")));
        assertThat(ps.get(0).action()).isEqualTo(new ActionConstraint.Eq(EntityUid.of("Action", "view")));
        assertThat(ps.get(0).resource()).isEqualTo(new ScopeConstraint.In(EntityUid.of("Album", "trip")));
        assertThat(ps.get(1).effect()).isEqualTo(Effect.FORBID);
        assertThat(ps.get(1).principal()).isEqualTo(new ScopeConstraint.IsIn(EntityType.of("User"), EntityUid.of("Group", "x")));
        assertThat(ps.get(1).action()).isEqualTo(new ActionConstraint.In(List.of(EntityUid.of("Action", "a"), EntityUid.of("NS::Action", "b"))));
        assertThat(ps.get(1).resource()).isEqualTo(new ScopeConstraint.Is(EntityType.of("Photo")));
        assertThat(ps.get(2).action()).isEqualTo(new ActionConstraint.In(List.of(EntityUid.of("Action", "readOnly"))));
    }

    @Test
    void policiesAreNamedByIdAnnotationOrPosition() {
        List<Policy> ps = PolicyParser.parse("""
                permit(principal, action, resource);
                @id("owner-may-read") @approval("owner") @review
                forbid(principal, action, resource) when { true } unless { false };
                permit(principal, action, resource);
                """);
        assertThat(ps).extracting(Policy::id).containsExactly("policy0", "owner-may-read", "policy2");
        assertThat(ps.get(1).annotations()).containsEntry("approval", "owner").containsEntry("review", "");
        assertThat(ps.get(1).conditions()).hasSize(2);
        assertThat(ps.get(1).text()).startsWith("@id(\"owner-may-read\")").endsWith("unless { false };");
    }

    @Test
    void duplicatePolicyIdsAndAnnotationsAreErrors() {
        assertThat(error("@id(\"a\") permit(principal, action, resource);\n@id(\"a\") permit(principal, action, resource);").line()).isEqualTo(2);
        assertThat(error("@a @a permit(principal, action, resource);").reason()).contains("duplicate annotation");
    }

    @Test
    void errorsPointAtTheProblem() {
        ParseException e = error("permit(principal, action, resource)\nwhen { 1 + };");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(12);
        assertThat(e.getMessage()).startsWith("2:12: unexpected `}`");

        assertThat(error("permit(principal, action, resource) when { principal.a / 2 };").column()).isEqualTo(56);
        assertThat(error("permit(principal, action, resource) when { 1 < 2 < 3 };").reason()).contains("multiple relational operators");
        assertThat(error("permit(principal, action, resource) when { 1 = 2 };").reason()).contains("'=' is not a valid operator");
        assertThat(error("allow(principal, action, resource);").reason()).contains("invalid policy effect `allow`");
        assertThat(error("permit(principal, action);").reason()).contains("missing the `resource` variable");
        assertThat(error("permit(action, principal, resource);").reason()).contains("`action` where the variable `principal`");
        assertThat(error("permit(principal, action, resource) when { };").reason()).contains("cannot be empty");
        assertThat(error("permit(principal, action == User::\"x\", resource);").reason()).contains("type `Action`");
        assertThat(error("permit(principal is User == User::\"a\", action, resource);").reason()).contains("`is` cannot be used together with `==`");
        assertThat(error("permit(principal == ?principal, action, resource);").reason()).contains("templates are not supported");
        assertThat(error("permit(principal, action, resource) when { foo };").reason()).contains("`foo` is not a variable");
        assertThat(error("permit(principal, action, resource) when { principal.if };").reason()).contains("reserved");
        assertThat(error("permit(principal, action, resource) when { {a: 1, a: 2} };").reason()).contains("duplicate key `a`");
        assertThat(error("permit(principal, action, resource) when { principal.nope() };").reason()).contains("`nope` is not a valid method");
        assertThat(error("permit(principal, action, resource) when { lessThan(1, 2) };").reason()).contains("is a method, not a function");
        assertThat(error("permit(principal, action, resource) when { \"1.0\".decimal() };").reason()).contains("is a function, not a method");
        assertThat(error("permit(principal, action, resource) when { [].contains(1, 2) };").reason()).contains("requires exactly 1 argument");
        assertThat(error("permit(principal, action, resource) when { principal like principal };").reason()).contains("pattern literal");
        assertThat(error("permit(principal, action, resource) when { !!!!!true };").reason()).contains("too many occurrences of `!`");
        assertThat(error("permit(principal, action, resource) when { 9223372036854775808 == 0 };").reason()).contains("too large");
        assertThat(error("permit(principal, action, resource) when { \"abc };").reason()).contains("unterminated string");
        assertThat(error("permit(principal, action, resource) when { __cedar::X::\"a\" };").reason()).contains("`__cedar` is reserved");
    }

    @Test
    void negativeLiteralsReachTheSmallestLong() {
        Expr e = PolicyParser.parseExpression("-9223372036854775808");
        assertThat(((Expr.Literal) e).value()).isEqualTo(LongValue.of(Long.MIN_VALUE));
        // two dashes: the literal is negated again at evaluation time (and overflows there)
        assertThat(PolicyParser.parseExpression("--9223372036854775808")).isInstanceOf(Expr.Unary.class);
    }

    @Test
    void stringEscapesFollowCedar() {
        assertThat(literal("\"a\\tb\\n\\\"\\\\\\0\\'\"")).isEqualTo("a\tb\n\"\\\0'");
        assertThat(literal("\"\\x41\\u{1F600}\\u{4_1}\"")).isEqualTo("A\uD83D\uDE00A");
        assertThat(escapeError("\"\\x80\"")).contains("out of range");
        assertThat(escapeError("\"\\q\"")).contains("not a valid escape");
        assertThat(escapeError("\"\\u{D800}\"")).contains("surrogate");
        assertThat(escapeError("\"\\u{1234567}\"")).contains("at most six");
        assertThat(escapeError("\"\\u{}\"")).contains("empty");
        assertThat(escapeError("\"\\*\"")).contains("only an escape in a `like` pattern");
        ParseException e = error("permit(principal, action, resource) when {\n  \"ok\\z\" };");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(6);
    }

    @Test
    void likePatternsDistinguishWildcardsFromEscapedStars() {
        Expr.Like like = (Expr.Like) PolicyParser.parseExpression("principal.name like \"a\\*b*c**\"");
        assertThat(like.pattern().segments()).containsExactly("a*b", "c", "");
        assertThat(like.pattern().matches("a*bXc")).isTrue();
        assertThat(like.pattern().matches("aXbXc")).isFalse();
    }

    @Test
    void extendedHasExpandsToAChainOfTests() {
        Expr e = PolicyParser.parseExpression("principal has contact.address.zip");
        assertThat(e).isInstanceOf(Expr.And.class);
        assertThat(((Expr.And) e).operands()).hasSize(3).allMatch(x -> x instanceof Expr.HasAttr);
    }

    @Test
    void commentsAndUnicodeWhitespaceAreSkipped() {
        List<Policy> ps = PolicyParser.parse("// leading\npermit(\u00a0principal, // note\n action,\u2003resource);");
        assertThat(ps).hasSize(1);
    }

    @Test
    void nestingOneHundredLevelsDeepIsACleanErrorWithPosition() {
        String deep = "permit(principal, action, resource) when { " + "(".repeat(100) + "true" + ")".repeat(100) + " };";
        ParseException e = error(deep);
        assertThat(e.line()).isEqualTo(1);
        // the clause body is level 1, so the parenthesis that opens level 65 is the first one too deep
        assertThat(e.column()).isEqualTo(43 + ParserLimits.DEFAULT.maxNestingDepth() + 1);
        assertThat(e.reason()).contains("nested too deeply");
    }

    @Test
    void nestingTenThousandLevelsDeepIsACleanErrorNotAStackOverflow() {
        int n = 10_000;
        for (String[] open : new String[][] {{"(", ")"}, {"[", "]"}, {"{a: ", "}"}, {"if true then ", " else false"}, {"decimal(", ")"}}) {
            String text = "permit(principal, action, resource) when {\n" + open[0].repeat(n) + "true" + open[1].repeat(n) + " };";
            ParseException e = error(text);
            assertThat(e.reason()).contains("nested too deeply");
            assertThat(e.line()).isEqualTo(2);
        }
        // chains that do not recurse in the parser still count toward the limit
        assertThat(error("permit(principal, action, resource) when { principal" + ".a".repeat(n) + " };").reason()).contains("nested too deeply");
        assertThat(error("permit(principal, action, resource) when { 1" + " + 1".repeat(n) + " };").reason()).contains("nested too deeply");
        assertThat(error("permit(principal, action, resource) when { principal has a" + ".a".repeat(n) + " };").reason()).contains("nested too deeply");
        // a long flat conjunction is not nesting
        assertThat(PolicyParser.parse("permit(principal, action, resource) when { true" + " && true".repeat(n) + " };")).hasSize(1);
    }

    @Test
    void textSizeAndPolicyCountAreBounded() {
        ParserLimits small = new ParserLimits(64, 100, 2);
        assertThatThrownBy(() -> PolicyParser.parse(" ".repeat(101), small)).isInstanceOf(ParseException.class).hasMessageContaining("limit is 100");
        String three = "permit(principal, action, resource);\n".repeat(3);
        ParseException e = (ParseException) org.assertj.core.api.Assertions.catchThrowable(() -> PolicyParser.parse(three, new ParserLimits(64, 1000, 2)));
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.reason()).contains("more than 2 policies");
    }

    private static String literal(String cedar) {
        return ((StringValue) ((Expr.Literal) PolicyParser.parseExpression(cedar)).value()).value();
    }

    private static String escapeError(String cedar) {
        try {
            PolicyParser.parseExpression(cedar);
        } catch (ParseException e) {
            return e.reason();
        }
        throw new AssertionError("expected an escape error for " + cedar);
    }
}
