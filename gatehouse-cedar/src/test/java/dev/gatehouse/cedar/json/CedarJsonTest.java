package dev.gatehouse.cedar.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.cedar.entities.Entities;
import dev.gatehouse.cedar.entities.Entity;
import dev.gatehouse.cedar.parser.SchemaParser;
import dev.gatehouse.cedar.schema.Schema;
import dev.gatehouse.cedar.value.DecimalValue;
import dev.gatehouse.cedar.value.EntityUid;
import dev.gatehouse.cedar.value.IpAddrValue;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.cedar.value.SetValue;
import dev.gatehouse.cedar.value.Value;
import org.junit.jupiter.api.Test;

class CedarJsonTest {

    @Test
    void readsEntitiesWithEscapesTagsAndParents() {
        Entities es = CedarJson.entities("""
                [{"uid": {"__entity": {"type": "User", "id": "alice"}},
                  "attrs": {"manager": {"__entity": {"type": "User", "id": "bob"}}, "score": {"__extn": {"fn": "decimal", "arg": "0.75"}},
                            "start": {"__extn": {"fn": "offset", "args": [{"__extn": {"fn": "datetime", "arg": "1970-01-01"}}, {"__extn": {"fn": "duration", "arg": "1s"}}]}},
                            "roles": ["a", "b", "a"], "plain": {"type": "User", "id": "not-an-entity"}},
                  "parents": [{"type": "Group", "id": "staff"}],
                  "tags": {"color": "blue"}},
                 {"uid": {"type": "Group", "id": "staff"}, "attrs": {}, "parents": [{"type": "Group", "id": "all"}]}]
                """);
        Entity alice = es.entity(EntityUid.of("User", "alice"));
        assertThat(alice.attribute("manager")).isEqualTo(EntityUid.of("User", "bob"));
        assertThat(alice.attribute("score")).isEqualTo(DecimalValue.parse("0.75"));
        assertThat(alice.attribute("start").toCedar()).contains("1970-01-01T00:00:01.000Z");
        assertThat(((SetValue) alice.attribute("roles")).size()).isEqualTo(2);
        assertThat(alice.attribute("plain")).isInstanceOf(RecordValue.class);
        assertThat(alice.tag("color")).isEqualTo(Value.of("blue"));
        assertThat(alice.ancestors()).containsExactlyInAnyOrder(EntityUid.of("Group", "staff"), EntityUid.of("Group", "all"));
    }

    @Test
    void rejectsWhatCedarRejects() {
        assertThatThrownBy(() -> CedarJson.context("{\"a\": 1.5}")).hasMessageContaining("not an integer");
        assertThatThrownBy(() -> CedarJson.context("{\"a\": 1, \"a\": 2}")).hasMessageContaining("Duplicate field");
        assertThatThrownBy(() -> CedarJson.context("{\"a\": null}")).hasMessageContaining("null");
        assertThatThrownBy(() -> CedarJson.context("{\"__entity\": {\"type\": \"User\", \"id\": \"a\"}}")).hasMessageContaining("must be a record");
        assertThatThrownBy(() -> CedarJson.context("{\"a\": 9223372036854775808}")).hasMessageContaining("64-bit");
        assertThatThrownBy(() -> CedarJson.context("{\"a\": {\"__extn\": {\"fn\": \"decimal\", \"arg\": \"x\"}}}")).hasMessageContaining("is not a decimal");
        assertThatThrownBy(() -> CedarJson.entities("[{\"uid\": {\"type\": \"A\", \"id\": \"1\"}}, {\"uid\": {\"type\": \"A\", \"id\": \"1\"}}]"))
                .hasMessageContaining("duplicate entity");
        assertThatThrownBy(() -> CedarJson.entities("[{\"uid\": {\"type\": \"Action\", \"id\": \"a\"}, \"parents\": [{\"type\": \"User\", \"id\": \"u\"}]}]"))
                .hasMessageContaining("must be actions");
    }

    @Test
    void aSchemaLetsStringsStandForExtensionValuesAndObjectsForEntities() {
        Schema schema = SchemaParser.parse("""
                namespace App {
                  type Net = { allowed: Set<ipaddr> };
                  entity Team;
                  entity User in [Team] { score: decimal, manager?: User, net: Net } tags ipaddr;
                  action read, write in [read] appliesTo { principal: User, resource: User, context: { source: ipaddr, who: User } };
                }
                """);
        Entities es = CedarJson.entities("""
                [{"uid": {"type": "App::User", "id": "a"}, "attrs": {"score": "1.5", "manager": {"type": "App::User", "id": "b"},
                  "net": {"allowed": ["10.0.0.0/8"]}}, "parents": [], "tags": {"home": "192.168.1.1"}},
                 {"uid": {"type": "App::Action", "id": "read"}, "attrs": {}, "parents": []}]
                """, schema);
        Entity a = es.entity(EntityUid.of("App::User", "a"));
        assertThat(a.attribute("score")).isEqualTo(DecimalValue.parse("1.5"));
        assertThat(a.attribute("manager")).isEqualTo(EntityUid.of("App::User", "b"));
        assertThat(((RecordValue) a.attribute("net")).get("allowed")).isEqualTo(Value.setOf(IpAddrValue.parse("10.0.0.0/8")));
        assertThat(a.tag("home")).isEqualTo(IpAddrValue.parse("192.168.1.1"));
        // the schema's actions and their hierarchy replace the JSON's
        assertThat(es.entity(EntityUid.of("App::Action", "write")).ancestors()).containsExactly(EntityUid.of("App::Action", "read"));

        RecordValue ctx = CedarJson.context("{\"source\": \"::1\", \"who\": {\"type\": \"App::User\", \"id\": \"a\"}}", schema, EntityUid.of("App::Action", "read"));
        assertThat(ctx.get("source")).isEqualTo(IpAddrValue.parse("::1"));
        assertThat(ctx.get("who")).isEqualTo(EntityUid.of("App::User", "a"));
    }
}
