package dev.gatehouse.cedar.differential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.cedar.authz.PolicySet;
import dev.gatehouse.cedar.entities.Entities;
import dev.gatehouse.cedar.json.CedarJson;
import dev.gatehouse.cedar.parser.ParseException;
import dev.gatehouse.cedar.parser.PolicyParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Fixed cases where an implementation of Cedar can easily go wrong, each checked against the
 * expected answer written here and against cedar-java. Disagreements found by
 * {@link DifferentialTest} and {@link ParserDifferentialTest} are added here once fixed.
 */
class DifferentialRegressionTest {

    /** Policy texts and whether Cedar accepts them. */
    private static final Object[][] PARSE_CASES = {
        {"permit(principal, action, resource,);", true},
        {"permit(principal,action,resource)when{true};", true},
        {"permit(principal, action, resource) when { principal has \"a b\" };", true},
        {"permit(principal, action, resource) when { principal[\"a\"] == 1 };", true},
        {"permit(principal, action, resource) when { principal.permit && principal.when };", true},
        {"permit(principal, action, resource) when { {principal: 1}.principal == 1 };", true},
        {"permit(principal, action, resource) when { principal is principal };", true},
        {"permit(principal in [User::\"a\"], action, resource);", false},
        {"permit(principal, action in [], resource);", true},
        {"permit(principal, action in (Action::\"a\"), resource);", true},
        {"permit(principal == (User::\"a\"), action, resource);", true},
        {"permit(principal, action, resource) when { ip(\"1.2.3.4\").isIpv4(1) };", true},
        {"permit(principal, action, resource) when { decimal(\"1.0\", \"2.0\") };", true},
        {"permit(principal, action, resource) when { principal.contains() };", false},
        {"permit(principal, action, resource) when { if true then 1 else 2 };", true},
        {"permit(principal, action, resource) when { 1 + if true then 1 else 2 };", false},
        {"@id permit(principal, action, resource);", true},
        {"@if(\"x\") @true @principal(\"y\") permit(principal, action, resource);", true},
        {"permit(principal, action, resource) when { principal has if };", false},
        {"permit(principal, action, resource) when { context has principal };", true},
        {"permit(principal, action, resource) when { \"a\" like \"\\u{2a}\" };", true},
        {"permit(principal, action, resource) when { principal.isEmpty && principal.lessThan };", true},
        {"permit(principal, action, resource) when { decimal };", false},
        {"forbid(principal, action, resource) unless { true } when { false };", true},
        {"permit(principal, action, resource) when { [1, 2,] == [1, 2] && {a: 1,} == {a: 1} };", true},
        {"permit(principal, action, resource) when { context.x(1) };", false},
        {"permit(principal, action, resource) when { (\"a\")(1) };", false},
        {"permit(principal, action, resource) when { User::\"a\".lessThan(1) };", true},
        {"permit(principal, action, resource) when { - 5 == -(5) };", true},
        {"permit(principal, action, resource) when { !-1 };", false},
        {"permit(principal, action, resource) when { -!true };", false},
        {"permit(principal, action, resource) when { principal in principal in principal };", false},
        {"permit(principal is User in User::\"a\", action, resource is Ns::T in Ns::T::\"x\");", true},
        {"permit(principal in User::\"a\" is User, action, resource);", false},
        {"permit(principal, action, resource) when { resource is __cedar::T };", false},
        {"permit(principal, action == Ns::Action::\"x\", resource);", true},
        {"permit(principal, action == Actions::\"x\", resource);", false},
        {"permit(principal, action in [Action::\"a\", User::\"b\"], resource);", false},
        {"permit(principal, action is Action, resource);", false},
        {"permit(principal, action, resource) when { principal has a.if };", false},
        {"permit(principal, action, resource) when { principal has a.b.c };", true},
        {"permit(principal, action, resource) when { principal has \"a\".b };", false},
        {"permit(principal, action, resource) when { principal has a::b };", false},
        {"permit(principal, action, resource) when { principal has 1 };", false},
        {"permit(principal, action, resource) when { principal has a + 1 };", false},
        {"permit(principal, action, resource) when { \"\\u{10FFFF}\" == \"\\u{10_FFFF}\" };", true},
        {"permit(principal, action, resource) when { \"\\u{110000}\" == \"\" };", false},
        {"permit(principal, action, resource) when { 1 } when { 2 };", true},
        {"permit(principal, action, resource) // trailing comment", false},
        {"permit(principal, action, resource); // trailing comment", true},
        {"permit(principal, action, resource) when { principal.level > -9223372036854775808 };", true},
        {"permit(principal, action, resource) when { principal.level > 18446744073709551616 };", false},
        {"permit(principal, action, resource) when { ----1 == 1 };", true},
        {"permit(principal, action, resource) when { -----1 == 1 };", false},
        {"permit(principal, action, resource) when { principal == ?resource };", false},
        {"permit(principal, action, resource) when { User::{id: \"a\"} };", false},
        {"permit(principal, action, resource) when { a::b::\"c\" == a::b::\"c\" };", true},
        {"permit(principal, action, resource) when { if::\"c\" == 1 };", false},
        {"permit(principal: User, action, resource);", false},
        {"permit(principal, action, resource) when { principal.a.b(1) };", false},
        {"permit(principal, action, resource) when { principal.a.contains(1).contains(2) };", true},
        {"permit(principal, action, resource) when { [].isEmpty() };", true},
        {"permit(principal, action, resource) when { {\"if\": 1}.if };", false},
        {"permit(principal, action, resource) when { {\"if\": 1}[\"if\"] == 1 };", true},
        {"permit(principal, action, resource) when { 1 < 2 == true };", false},
        {"permit(principal, action, resource) when { principal has a == true };", false},
        {"permit(principal, action, resource) when { (principal has a) == true };", true},
        {"permit(principal, action, resource) when { \"x\" like \"a\" like \"b\" };", false},
        {"permit(principal, action, resource) when { principal is User is User };", false},
        {"permit(principal, action, resource) when { principal is User in Group::\"g\" };", true},
        {"permit(principal, action, resource) when { principal in Group::\"g\" is User };", false},
        {"permit(principal, action, resource) when { \"\\*\" == \"\" };", false},
        {"permit(principal, action, resource) when { \"x\" like \"\\*\\u{2a}\\x2a\" };", true},
        {"permit(principal, action, resource) when { \"\\x7f\\x80\" == \"\" };", false},
        {"permit(principal, action, resource) when { true && false || true };", true},
        {"permit(principal, action, resource) when { 1 * 2 * -3 };", true},
        {"permit(principal, action, resource) when { 1 / 2 };", false},
        {"", true},
        {"  // only a comment\n", true},
        {"permit(principal, action, resource) when { principal.__cedar };", false},
        {"permit(principal, action, resource) when { principal has __cedar };", false},
        {"permit(principal, action, resource) when { Ns::__cedar::\"a\" };", false},
        {"@a(\"1\") @a(\"2\") permit(principal, action, resource);", false},
        // found by ParserDifferentialTest: only a bare variable names a type or a record key
        {"permit(principal, action, resource) when { decimal(\"0.0\") is (context) };", false},
        {"permit(principal, action, resource) when { decimal(\"0.0\") is context };", true},
        {"permit(principal, action, resource) when { {(principal): 1} == {} };", false},
        {"permit(principal, action, resource) when { {principal: 1} == {} };", true},
        {"permit(principal is (User), action, resource);", false},
    };

    @Test
    void trickyPolicyTextIsAcceptedExactlyWhenCedarAcceptsIt() {
        List<String> wrong = new ArrayList<>();
        for (Object[] c : PARSE_CASES) {
            String text = (String) c[0];
            boolean expected = (Boolean) c[1];
            StringBuilder cedarError = new StringBuilder();
            boolean cedar = ReferenceCedar.parse(text, cedarError) != null;
            String ours = null;
            try {
                PolicyParser.parse(text);
            } catch (ParseException e) {
                ours = e.getMessage();
            }
            if (cedar != expected || (ours == null) != expected) {
                wrong.add(text + "\n  expected " + (expected ? "accept" : "reject") + "; Cedar " + (cedar ? "accepts" : "rejects: " + cedarError)
                        + "; we " + (ours == null ? "accept" : "reject: " + ours));
            }
        }
        assertThat(wrong).as("parse cases").isEmpty();
    }

    /** A case: policies, entities, one request (principal, action, resource, context) and Cedar's answer. */
    private record Case(String name, String policies, String entities, String principal, String action, String resource,
                        String context, boolean allowed, Set<String> reasons, Set<String> errors) {
    }

    private static final String USER_A = "{\"type\": \"User\", \"id\": \"a\"}";
    private static final String READ = "{\"type\": \"Action\", \"id\": \"read\"}";
    private static final String DOC = "{\"type\": \"Doc\", \"id\": \"d\"}";
    private static final String ENTITIES = """
            [{"uid": {"type": "User", "id": "a"}, "attrs": {"level": 5, "tags": ["x", "y"], "name": "a*b"},
              "parents": [{"type": "Group", "id": "g"}], "tags": {"t": 1}},
             {"uid": {"type": "Group", "id": "g"}, "attrs": {}, "parents": [{"type": "Group", "id": "top"}]},
             {"uid": {"type": "Doc", "id": "d"}, "attrs": {"owner": {"__entity": {"type": "User", "id": "a"}}}, "parents": []}]
            """;

    private static final List<Case> CASES = List.of(
            new Case("erroring forbid is skipped; permit decides", """
                    permit(principal, action, resource);
                    forbid(principal, action, resource) when { principal.missing };
                    """, ENTITIES, USER_A, READ, DOC, "{}", true, Set.of("policy0"), Set.of("policy1")),
            new Case("family: per-member overflow errors while siblings decide", """
                    permit(principal, action, resource) when { principal.level + 9223372036854775800 > 0 };
                    permit(principal, action, resource) when { principal.level + 9223372036854775803 > 0 };
                    permit(principal, action, resource) when { principal.level + 1 > 0 };
                    """, ENTITIES, USER_A, READ, DOC, "{}", true, Set.of("policy0", "policy2"), Set.of("policy1")),
            new Case("family: an error in the first disjunct is not rescued by the second", """
                    permit(principal, action, resource) when { principal.level * 4611686018427387904 > 0 || true };
                    permit(principal, action, resource) when { principal.level * 1 > 0 || true };
                    """, ENTITIES, USER_A, READ, DOC, "{}", true, Set.of("policy1"), Set.of("policy0")),
            new Case("family: literal comparisons at the boundary", """
                    permit(principal, action, resource) when { context.level >= 4 };
                    permit(principal, action, resource) when { context.level >= 5 };
                    permit(principal, action, resource) when { context.level >= 6 };
                    permit(principal, action, resource) when { 5 < context.level };
                    permit(principal, action, resource) when { 5 <= context.level };
                    """, ENTITIES, USER_A, READ, DOC, "{\"level\": 5}", true, Set.of("policy0", "policy1", "policy4"), Set.of()),
            new Case("family: a shared value of the wrong type fails every member", """
                    forbid(principal, action, resource) when { context.level < 3 };
                    forbid(principal, action, resource) when { context.level < 4 };
                    permit(principal, action, resource);
                    """, ENTITIES, USER_A, READ, DOC, "{\"level\": \"high\"}", true, Set.of("policy2"), Set.of("policy0", "policy1")),
            new Case("family: membership through the hierarchy", """
                    permit(principal, action, resource) when { principal in Group::"top" };
                    permit(principal, action, resource) when { principal in Group::"other" };
                    permit(principal, action, resource) when { principal in User::"a" };
                    """, ENTITIES, USER_A, READ, DOC, "{}", true, Set.of("policy0", "policy2"), Set.of()),
            new Case("family: contains against a shared set, under an if", """
                    permit(principal, action, resource) when { if context.flag then principal.tags.contains("x") else false };
                    permit(principal, action, resource) when { if context.flag then principal.tags.contains("z") else false };
                    """, ENTITIES, USER_A, READ, DOC, "{\"flag\": true}", true, Set.of("policy0"), Set.of()),
            new Case("in a set with a non-entity is a type error even after a match", """
                    permit(principal, action, resource) when { principal in [Group::"g", 1] };
                    """, ENTITIES, USER_A, READ, DOC, "{}", false, Set.of(), Set.of("policy0")),
            new Case("a wildcard written as an escape still matches anything", """
                    permit(principal, action, resource) when { principal.name like "a\\u{2a}" };
                    permit(principal, action, resource) when { principal.name like "a\\*b" };
                    permit(principal, action, resource) when { "a" like "a\\*" };
                    """, ENTITIES, USER_A, READ, DOC, "{}", true, Set.of("policy0", "policy1"), Set.of()),
            new Case("has is false on a missing entity, getTag fails on it", """
                    permit(principal, action, resource) when { !(User::"ghost" has level) };
                    permit(principal, action, resource) when { User::"ghost".getTag("t") == 1 };
                    permit(principal, action, resource) when { principal.getTag("t") == 1 };
                    """, ENTITIES, USER_A, READ, DOC, "{}", true, Set.of("policy0", "policy2"), Set.of("policy1")),
            new Case("a policy without a matching scope can never fail", """
                    permit(principal == User::"b", action, resource) when { principal.missing };
                    """, ENTITIES, USER_A, READ, DOC, "{}", false, Set.of(), Set.of()));

    @Test
    void casesThatOnceDisagreedOrEasilyCouldAgreeWithCedar() {
        List<String> wrong = new ArrayList<>();
        for (Case c : CASES) {
            Entities entities = CedarJson.entities(c.entities());
            ReferenceCedar.Answer ours = DifferentialTest.ours(PolicySet.parse(c.policies()), entities,
                    new String[] {c.principal(), c.action(), c.resource(), c.context()});
            ReferenceCedar.Answer cedar = ReferenceCedar.authorize(ReferenceCedar.parse(c.policies(), new StringBuilder()),
                    ReferenceCedar.entities(c.entities()), c.principal(), c.action(), c.resource(), c.context());
            ReferenceCedar.Answer expected = new ReferenceCedar.Answer(null, c.allowed(), new java.util.TreeSet<>(c.reasons()), new java.util.TreeSet<>(c.errors()));
            if (!expected.equals(ours) || !expected.equals(cedar)) {
                wrong.add(c.name() + ": expected " + expected + "; Cedar " + cedar + "; ours " + ours);
            }
        }
        assertThat(wrong).as("evaluation cases").isEmpty();
    }
}
