package dev.gatehouse.cedar.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.cedar.entities.Entities;
import dev.gatehouse.cedar.entities.Entity;
import dev.gatehouse.cedar.eval.EvaluationException.Kind;
import dev.gatehouse.cedar.parser.PolicyParser;
import dev.gatehouse.cedar.value.EntityUid;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.cedar.value.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
    private static final EntityUid ALICE = EntityUid.of("User", "alice");
    private static final EntityUid ADMINS = EntityUid.of("Group", "admins");
    private static final EntityUid STAFF = EntityUid.of("Group", "staff");
    private static final EntityUid DOC = EntityUid.of("Doc", "plan");
    private static final Entities ENTITIES = Entities.builder()
            .add(Entity.builder(ALICE).attribute("level", 3).attribute("name", "Alice").attribute("tags", Value.setOf(Value.of("ops")))
                    .tag("color", Value.of("blue")).parent(ADMINS).build())
            .add(Entity.builder(ADMINS).parent(STAFF).build())
            .add(Entity.builder(DOC).attribute("owner", ALICE).build())
            .build();
    private static final RecordValue CONTEXT = RecordValue.of(Map.of("n", Value.of(5), "nested", Value.record(Map.of("x", Value.of(true)))));

    private static Value eval(String expr) {
        return Evaluator.evaluate(PolicyParser.parseExpression(expr), ALICE, EntityUid.of("Action", "read"), DOC, CONTEXT, ENTITIES);
    }

    private static EvaluationException error(String expr) {
        try {
            Value v = eval(expr);
            throw new AssertionError("expected an evaluation error for `" + expr + "`, got " + v);
        } catch (EvaluationException e) {
            return e;
        }
    }

    @Test
    void arithmeticOverflowIsAnErrorNotAWrap() {
        assertThat(error("9223372036854775807 + 1").kind()).isEqualTo(Kind.OVERFLOW);
        assertThat(error("-9223372036854775808 - 1").kind()).isEqualTo(Kind.OVERFLOW);
        assertThat(error("4294967296 * 4294967296").kind()).isEqualTo(Kind.OVERFLOW);
        assertThat(error("--9223372036854775808").kind()).isEqualTo(Kind.OVERFLOW);
        assertThat(error("-(principal.level * 0 + -9223372036854775808)").kind()).isEqualTo(Kind.OVERFLOW);
        assertThat(eval("-9223372036854775808")).isEqualTo(Value.of(Long.MIN_VALUE));
        assertThat(eval("9223372036854775807 - 1 + 1")).isEqualTo(Value.of(Long.MAX_VALUE));
    }

    @Test
    void andOrIfShortCircuitSoTheUnevaluatedSideCannotFail() {
        assertThat(eval("false && (1 + \"a\")")).isEqualTo(Value.of(false));
        assertThat(eval("true || principal.missing")).isEqualTo(Value.of(true));
        assertThat(eval("if true then 1 else 1 + \"a\"")).isEqualTo(Value.of(1));
        assertThat(error("true && 1").kind()).isEqualTo(Kind.TYPE_ERROR);
        assertThat(error("1 || true").kind()).isEqualTo(Kind.TYPE_ERROR);
        assertThat(error("if 1 then true else false").kind()).isEqualTo(Kind.TYPE_ERROR);
        assertThat(error("false || 1").kind()).isEqualTo(Kind.TYPE_ERROR);
    }

    @Test
    void missingAttributesAndEntities() {
        assertThat(error("principal.missing").kind()).isEqualTo(Kind.ATTRIBUTE_DOES_NOT_EXIST);
        assertThat(error("User::\"bob\".level").kind()).isEqualTo(Kind.ENTITY_DOES_NOT_EXIST);
        assertThat(eval("User::\"bob\" has level")).isEqualTo(Value.of(false));
        assertThat(eval("principal has level && principal.level > 2")).isEqualTo(Value.of(true));
        assertThat(error("context.nested.y").getMessage()).contains("(it has x)");
        assertThat(error("1 has x").kind()).isEqualTo(Kind.TYPE_ERROR);
        assertThat(eval("resource.owner.name")).isEqualTo(Value.of("Alice"));
    }

    @Test
    void membershipFollowsTheWholeHierarchyAndNeedsNoEntityForEquality() {
        assertThat(eval("principal in Group::\"staff\"")).isEqualTo(Value.of(true));
        assertThat(eval("principal in [Group::\"nope\", Group::\"admins\"]")).isEqualTo(Value.of(true));
        assertThat(eval("User::\"ghost\" in User::\"ghost\"")).isEqualTo(Value.of(true));
        assertThat(eval("User::\"ghost\" in Group::\"staff\"")).isEqualTo(Value.of(false));
        // every element must be an entity, even when an earlier one already matched
        assertThat(error("principal in [Group::\"admins\", 1]").kind()).isEqualTo(Kind.TYPE_ERROR);
        assertThat(error("1 in Group::\"admins\"").kind()).isEqualTo(Kind.TYPE_ERROR);
    }

    @Test
    void setsAndRecordsCompareByContent() {
        assertThat(eval("[1, 2] == [2, 1, 1]")).isEqualTo(Value.of(true));
        assertThat(eval("[1] == [decimal(\"1.0\")]")).isEqualTo(Value.of(false));
        assertThat(eval("{a: 1, b: [true]} == {b: [true], a: 1}")).isEqualTo(Value.of(true));
        assertThat(eval("decimal(\"1.0\") == decimal(\"1.0000\")")).isEqualTo(Value.of(true));
        assertThat(eval("ip(\"10.0.0.1\") == ip(\"10.0.0.1/32\")")).isEqualTo(Value.of(true));
        assertThat(eval("[1, 2, 3].containsAll([3, 1])")).isEqualTo(Value.of(true));
        assertThat(eval("[1, 2].containsAny([4, 2])")).isEqualTo(Value.of(true));
        assertThat(eval("[].isEmpty()")).isEqualTo(Value.of(true));
        assertThat(error("[1].containsAll(1)").kind()).isEqualTo(Kind.TYPE_ERROR);
        assertThat(eval("1 == \"1\"")).isEqualTo(Value.of(false));
    }

    @Test
    void likeMatchesWildcardsAndEscapedStars() {
        assertThat(eval("\"a*b\" like \"a\\*b\"")).isEqualTo(Value.of(true));
        assertThat(eval("\"axb\" like \"a\\*b\"")).isEqualTo(Value.of(false));
        assertThat(eval("\"\" like \"*\"")).isEqualTo(Value.of(true));
        assertThat(eval("\"abcabc\" like \"*bc*c\"")).isEqualTo(Value.of(true));
        assertThat(eval("\"été\" like \"é*é\"")).isEqualTo(Value.of(true));
        assertThat(eval("\"aaa\" like \"a*a*a*a\"")).isEqualTo(Value.of(false));
        assertThat(error("1 like \"*\"").kind()).isEqualTo(Kind.TYPE_ERROR);
    }

    @Test
    void entityTags() {
        assertThat(eval("principal.hasTag(\"color\")")).isEqualTo(Value.of(true));
        assertThat(eval("principal.getTag(\"color\")")).isEqualTo(Value.of("blue"));
        assertThat(eval("User::\"ghost\".hasTag(\"color\")")).isEqualTo(Value.of(false));
        assertThat(error("User::\"ghost\".getTag(\"color\")").kind()).isEqualTo(Kind.ENTITY_DOES_NOT_EXIST);
        assertThat(error("principal.getTag(\"size\")").kind()).isEqualTo(Kind.TAG_DOES_NOT_EXIST);
        assertThat(error("principal.getTag(\"level\")").getMessage()).contains("attribute of that name");
        assertThat(error("principal.color").getMessage()).contains("use getTag");
        assertThat(error("principal.hasTag(1)").kind()).isEqualTo(Kind.TYPE_ERROR);
    }

    @Test
    void comparisonsWorkOnLongsDatetimesAndDurationsOnly() {
        assertThat(eval("datetime(\"2024-01-01\") < datetime(\"2024-01-02\")")).isEqualTo(Value.of(true));
        assertThat(eval("duration(\"1h\") >= duration(\"60m\")")).isEqualTo(Value.of(true));
        assertThat(error("decimal(\"1.0\") < decimal(\"2.0\")").kind()).isEqualTo(Kind.TYPE_ERROR);
        assertThat(error("1 < duration(\"1h\")").kind()).isEqualTo(Kind.TYPE_ERROR);
        assertThat(error("\"a\" < \"b\"").kind()).isEqualTo(Kind.TYPE_ERROR);
    }

    @Test
    void extensionFunctionsFollowTheSpecification() {
        assertThat(eval("decimal(\"1.5\").lessThan(decimal(\"1.5001\"))")).isEqualTo(Value.of(true));
        assertThat(eval("decimal(\"-922337203685477.5808\").lessThanOrEqual(decimal(\"0.0\"))")).isEqualTo(Value.of(true));
        assertThat(error("decimal(\"1.23456\")").kind()).isEqualTo(Kind.EXTENSION_ERROR);
        assertThat(error("decimal(\"922337203685477.5808\")").kind()).isEqualTo(Kind.EXTENSION_ERROR);
        assertThat(eval("ip(\"10.1.2.3\").isInRange(ip(\"10.0.0.0/8\"))")).isEqualTo(Value.of(true));
        assertThat(eval("ip(\"10.0.0.0/8\").isInRange(ip(\"10.1.0.0/16\"))")).isEqualTo(Value.of(false));
        assertThat(eval("ip(\"127.0.0.1/16\").isLoopback()")).isEqualTo(Value.of(true));
        assertThat(eval("ip(\"127.0.0.1/7\").isLoopback()")).isEqualTo(Value.of(false));
        assertThat(eval("ip(\"ff02::1\").isMulticast() && ip(\"::1\").isIpv6() && !ip(\"::1\").isIpv4()")).isEqualTo(Value.of(true));
        assertThat(error("ip(\"::ffff:1.2.3.4\")").kind()).isEqualTo(Kind.EXTENSION_ERROR);
        assertThat(eval("datetime(\"2024-06-01T08:00:00+0200\") == datetime(\"2024-06-01T06:00:00Z\")")).isEqualTo(Value.of(true));
        assertThat(eval("datetime(\"2024-01-01T10:30:00Z\").toTime() == duration(\"10h30m\")")).isEqualTo(Value.of(true));
        assertThat(eval("datetime(\"1969-12-31T23:00:00Z\").toDate() == datetime(\"1969-12-31\")")).isEqualTo(Value.of(true));
        assertThat(eval("datetime(\"2024-01-02\").durationSince(datetime(\"2024-01-01\")).toHours()")).isEqualTo(Value.of(24));
        assertThat(eval("duration(\"-1d2h\").toDays()")).isEqualTo(Value.of(-1));
        assertThat(error("datetime(\"2024-02-30\")").kind()).isEqualTo(Kind.EXTENSION_ERROR);
        assertThat(error("duration(\"1h1d\")").kind()).isEqualTo(Kind.EXTENSION_ERROR);
        assertThat(error("datetime(\"1970-01-01\").offset(duration(\"9223372036854775807ms\")).offset(duration(\"1ms\"))").kind())
                .isEqualTo(Kind.EXTENSION_ERROR);
        assertThat(error("decimal(1)").kind()).isEqualTo(Kind.TYPE_ERROR);
        assertThat(error("decimal(\"1.0\", \"2.0\")").getMessage()).contains("wrong number of arguments");
        assertThat(error("\"1.0\".lessThan(decimal(\"2.0\"))").getMessage()).contains("forgot to apply the `decimal` constructor");
    }

    @Test
    void isChecksTheEntityType() {
        assertThat(eval("principal is User")).isEqualTo(Value.of(true));
        assertThat(eval("principal is User in Group::\"staff\"")).isEqualTo(Value.of(true));
        // `in` is not evaluated when `is` fails, so its type error cannot happen
        assertThat(eval("resource is User in 1")).isEqualTo(Value.of(false));
        assertThat(error("1 is User").kind()).isEqualTo(Kind.TYPE_ERROR);
    }
}
