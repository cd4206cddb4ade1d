package dev.gatehouse.policy;

import static dev.gatehouse.policy.PolicyTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.testing.TestGatehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Application entities and request-scoped entities: checked against the schema, never overwriting the inventory. */
class ApplicationEntitiesTest {
    private static final Path TODO = Path.of("..", "examples", "authzen-todo");
    private static final String MORTY = "CiRmZDE2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs";

    @TempDir
    Path tmp;
    TestGatehouse server;

    @BeforeEach
    void start() throws Exception {
        server = TestGatehouse.start(tmp);
        human(server, "alice");
        push(server, Map.of("todo.cedar", Files.readString(TODO.resolve("policies/todo.cedar")),
                "todo.cedarschema", Files.readString(TODO.resolve("policies/todo.cedarschema"))), "activate", 201);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private JsonNode apply(Object entities, int status) throws Exception {
        return call(server, "POST", "/v1/entities", Map.of("entities", entities), status);
    }

    private static Map<String, Object> user(String type, String id, Map<String, Object> attrs) {
        return Map.of("uid", Map.of("type", type, "id", id), "attrs", attrs, "parents", List.of());
    }

    @Test
    void entitiesAreValidatedAndInventoryTypesCannotBeWritten() throws Exception {
        assertThat(apply(List.of(user("Gatehouse::Human", "alice", Map.of("status", "active", "name", "x"))), 400)
                .path("field").asText()).isEqualTo("entities[0].uid.type");
        assertThat(apply(List.of(user("spaceship", "x", Map.of())), 400).path("field").asText()).isEqualTo("entities[0].uid.type");
        JsonNode wrongType = apply(List.of(user("user", "u1", Map.of("email", "a@b.c", "name", "A", "roles", "admin"))), 400);
        assertThat(wrongType.path("error").asText()).isEqualTo("invalid_entities");
        assertThat(apply(List.of(user("user", "u1", Map.of("email", "a@b.c", "name", "A", "roles", List.of("admin"), "extra", 1))), 400)
                .path("error").asText()).isEqualTo("invalid_entities");
        assertThat(call(server, "GET", "/v1/entities", null, 200).path("items").size()).as("nothing was stored").isZero();

        apply(JSON.readTree(Files.readString(TODO.resolve("entities.json"))), 200);
        assertThat(call(server, "GET", "/v1/entities", null, 200).path("items").size()).isEqualTo(5);
    }

    @Test
    void requestScopedPropertiesDecideAndStoredEntitiesCannotBeOverridden() throws Exception {
        apply(JSON.readTree(Files.readString(TODO.resolve("entities.json"))), 200);
        String own = "{\"subject\":{\"type\":\"user\",\"id\":\"" + MORTY + "\"},\"action\":{\"name\":\"can_update_todo\"},"
                + "\"resource\":{\"type\":\"todo\",\"id\":\"t1\",\"properties\":{\"ownerID\":\"morty@the-citadel.com\"}}}";
        assertThat(call(server, "POST", "/access/v1/evaluation", own, 200).path("decision").asBoolean()).isTrue();
        assertThat(call(server, "POST", "/access/v1/evaluation", own.replace("morty@", "rick@"), 200).path("decision").asBoolean()).isFalse();

        // Claiming extra roles for a stored user through properties is refused, not merged.
        String spoof = "{\"subject\":{\"type\":\"user\",\"id\":\"" + MORTY + "\",\"properties\":{\"roles\":[\"admin\"]}},"
                + "\"action\":{\"name\":\"can_delete_todo\"},\"resource\":{\"type\":\"todo\",\"id\":\"t2\",\"properties\":{\"ownerID\":\"x\"}}}";
        assertThat(call(server, "POST", "/access/v1/evaluation", spoof, 400).path("field").asText()).isEqualTo("subject.properties");
        // Properties must fit Cedar: no fractional numbers.
        String fraction = own.replace("\"ownerID\":\"morty@the-citadel.com\"", "\"ownerID\":1.5");
        assertThat(call(server, "POST", "/access/v1/evaluation", fraction, 400).path("field").asText()).isEqualTo("resource.properties.ownerID");
        // An application action's context is checked against its declaration (none declared here: empty record).
        String withContext = own.substring(0, own.length() - 1) + ",\"context\":{\"urgent\":true}}";
        assertThat(call(server, "POST", "/access/v1/evaluation", withContext, 400).path("error").asText()).isEqualTo("invalid_context");
    }

    @Test
    void entityTagsReachDecisions() throws Exception {
        // The documents application alone: it replaces whatever was active.
        call(server, "POST", "/v1/policies", Map.of("message", "docs", "mode", "activate", "replace", true, "files", Map.of("docs.cedarschema", """
                entity reader;
                entity doc tags String;
                action open appliesTo { principal: [reader], resource: [doc] };
                """, "docs.cedar", """
                @id("docs.readers-open") permit(principal is reader, action == Action::"open", resource is doc);
                @id("docs.no-secret-tag") forbid(principal, action, resource is doc) when { resource.hasTag("secret") };
                @id("docs.no-red-label") forbid(principal, action, resource is doc)
                  when { resource.hasTag("label") && resource.getTag("label") == "red" };
                """)), 201);
        apply(List.of(Map.of("uid", Map.of("type", "reader", "id", "r1"), "attrs", Map.of(), "parents", List.of()),
                Map.of("uid", Map.of("type", "doc", "id", "plain"), "attrs", Map.of(), "parents", List.of()),
                Map.of("uid", Map.of("type", "doc", "id", "classified"), "attrs", Map.of(), "parents", List.of(), "tags", Map.of("secret", "yes")),
                Map.of("uid", Map.of("type", "doc", "id", "labelled"), "attrs", Map.of(), "parents", List.of(), "tags", Map.of("label", "red"))), 200);
        String ask = "{\"subject\":{\"type\":\"reader\",\"id\":\"r1\"},\"action\":{\"name\":\"open\"},\"resource\":{\"type\":\"doc\",\"id\":\"DOC\"}}";
        assertThat(call(server, "POST", "/access/v1/evaluation", ask.replace("DOC", "plain"), 200).path("decision").asBoolean()).isTrue();
        assertThat(call(server, "POST", "/access/v1/evaluation", ask.replace("DOC", "classified"), 200).path("decision").asBoolean())
                .as("a tag-based forbid fires").isFalse();
        assertThat(call(server, "POST", "/access/v1/evaluation", ask.replace("DOC", "labelled"), 200).path("decision").asBoolean()).isFalse();
    }

    @Test
    void entitiesNeedAnActiveSchemaDeclaringThem() throws Exception {
        push(server, "permit(principal, action == Gatehouse::Action::\"read\", resource);");
        assertThat(apply(List.of(user("user", "u1", Map.of("email", "a@b.c", "name", "A", "roles", List.of()))), 400)
                .path("field").asText()).isEqualTo("entities[0].uid.type");
    }
}
