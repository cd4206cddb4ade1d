package dev.gatehouse.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.cli.Table;
import dev.gatehouse.core.ControlCharacters;
import dev.gatehouse.testing.TestGatehouse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Terminal control characters are refused in names and free text (400 naming the field) and escaped when the CLI prints. */
class ControlCharactersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void namesAndFreeTextWithControlCharactersAreRefusedNamingTheField() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(tmp)) {
            JsonNode name = refused(gh, "/v1/identities", Map.of("id", "alice", "kind", "human", "displayName", "Alice\u001b]0;pwned\u0007",
                    "email", "alice@example.com"));
            assertThat(name.path("field").asText()).isEqualTo("displayName");
            assertThat(name.path("message").asText()).contains("U+001B");

            JsonNode nested = refused(gh, "/v1/tool-servers", Map.of("id", "crm", "url", "https://crm.example.com/mcp",
                    "tools", List.of(Map.of("name", "lookup", "description", "reads \u009b2J records"))));
            assertThat(nested.path("field").asText()).isEqualTo("tools[0].description");

            gh.client().post("/v1/identities", Map.of("id", "alice", "kind", "human", "displayName", "Alice", "email", "alice@example.com"));
            JsonNode bidi = refused(gh, "/v1/identities", Map.of("id", "bot", "kind", "agent", "displayName", "bot", "owner", "alice",
                    "purpose", "triage \u202Eevil", "environment", "dev", "autonomy", "assistive"));
            assertThat(bidi.path("field").asText()).isEqualTo("purpose");
            assertThat(gh.http("GET", "/v1/identities/bot", null, TestGatehouse.ADMIN_TOKEN).statusCode()).isEqualTo(404);

            // Free text keeps its line breaks.
            assertThat(gh.http("POST", "/v1/identities", JSON.writeValueAsString(Map.of("id", "carol", "kind", "human",
                    "displayName", "Carol", "email", "carol@example.com", "department", "Ops")), TestGatehouse.ADMIN_TOKEN).statusCode())
                    .isEqualTo(201);

            var form = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(gh.baseUri().resolve("oauth2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&task_intent=x%1B%5B2J")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(form.statusCode()).isEqualTo(400);
            assertThat(form.body()).contains("invalid_request").contains("task_intent");
        }
    }

    @Test
    void theCliShowsControlCharactersEscaped() {
        StringWriter out = new StringWriter();
        new Table("ID", "DESCRIPTION").row("lookup", "reads \u001b[2J records\nand \u009b more \u202E").print(new PrintWriter(out));
        assertThat(out.toString()).doesNotContain("\u001b").doesNotContain("\u009b").doesNotContain("\u202E")
                .contains("reads \\u001b[2J records\\u000aand \\u009b more \\u202e");
        assertThat(out.toString().lines()).hasSize(2);
        assertThat(ControlCharacters.escape("line one\nline two\u0007", true)).isEqualTo("line one\nline two\\u0007");
    }

    private static JsonNode refused(TestGatehouse gh, String path, Object body) throws Exception {
        var r = gh.http("POST", path, JSON.writeValueAsString(body), TestGatehouse.ADMIN_TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(r.body());
        assertThat(error.path("error").asText()).isEqualTo("control_character");
        return error;
    }
}
