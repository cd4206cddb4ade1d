package dev.gatehouse.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.TestGatehouse;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input answers with the right status and a JSON error {error, message, field},
 * and writes nothing: the inventory (and the target's history) is byte-for-byte what it was.
 */
class BadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = TestGatehouse.ADMIN_TOKEN;

    @TempDir
    static Path tmp;
    static TestGatehouse server;

    @BeforeAll
    static void start() throws Exception {
        server = TestGatehouse.start(tmp);
        post("/v1/identities", "{\"id\":\"alice\",\"kind\":\"human\",\"displayName\":\"Alice\",\"email\":\"alice@example.com\"}", 201);
        post("/v1/identities", agentJson("bot", "alice"), 201);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static String agentJson(String id, String owner) {
        return "{\"id\":\"" + id + "\",\"kind\":\"agent\",\"displayName\":\"Bot\"," + (owner == null ? "" : "\"owner\":\"" + owner + "\",")
                + "\"purpose\":\"triage\",\"environment\":\"dev\",\"scope\":{\"tools\":[\"github/*\"],\"effects\":[\"read\"]},\"autonomy\":\"assistive\"}";
    }

    static void post(String path, String body, int expected) throws Exception {
        assertThat(server.http("POST", path, body, TOKEN).statusCode()).isEqualTo(expected);
    }

    /** Sends a bad request and checks its answer and that the inventory did not change. */
    private static JsonNode rejected(String method, String path, String body, int status, String error, String field) throws Exception {
        String before = snapshot();
        HttpResponse<String> r = server.http(method, path, body, TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode err = JSON.readTree(r.body());
        assertThat(err.path("error").asText()).isEqualTo(error);
        assertThat(err.path("message").asText()).isNotBlank();
        if (field == null) {
            assertThat(err.has("field")).as("no field expected in " + r.body()).isFalse();
        } else {
            assertThat(err.path("field").asText()).isEqualTo(field);
        }
        assertThat(snapshot()).isEqualTo(before);
        return err;
    }

    private static String snapshot() throws Exception {
        return server.http("GET", "/v1/identities", null, TOKEN).body()
                + server.http("GET", "/v1/identities/bot/history", null, TOKEN).body()
                + server.http("GET", "/v1/groups", null, TOKEN).body()
                + server.http("GET", "/v1/tool-servers", null, TOKEN).body();
    }

    @Test
    void malformedJson() throws Exception {
        rejected("POST", "/v1/identities", "{\"id\": \"carol\", ", 400, "malformed_json", null);
    }

    @Test
    void emptyBodyAndNonObjectBody() throws Exception {
        rejected("POST", "/v1/identities", "", 400, "malformed_json", null);
        rejected("POST", "/v1/identities", "[1,2]", 400, "invalid_type", null);
    }

    @Test
    void unknownFieldIsNamed() throws Exception {
        JsonNode err = rejected("POST", "/v1/identities",
                "{\"id\":\"carol\",\"kind\":\"human\",\"displayName\":\"Carol\",\"email\":\"c@example.com\",\"shoeSize\":42}",
                400, "unknown_field", "shoeSize");
        assertThat(err.path("message").asText()).contains("shoeSize");
        rejected("POST", "/v1/identities", agentJson("bot2", "alice").replace("\"effects\"", "\"verbs\":[],\"effects\""),
                400, "unknown_field", "scope.verbs");
    }

    @Test
    void wrongTypesAreNamed() throws Exception {
        rejected("POST", "/v1/identities",
                "{\"id\":\"carol\",\"kind\":\"human\",\"displayName\":\"Carol\",\"email\":\"c@example.com\",\"tags\":\"admin\"}",
                400, "invalid_type", "tags");
        rejected("POST", "/v1/identities",
                "{\"id\":\"carol\",\"kind\":\"human\",\"displayName\":{\"first\":\"C\"},\"email\":\"c@example.com\"}",
                400, "invalid_type", "displayName");
        rejected("POST", "/v1/identities", "{\"id\":\"carol\",\"kind\":\"robot\",\"displayName\":\"C\"}", 400, "invalid_request", "kind");
        rejected("POST", "/v1/identities", agentJson("bot2", "alice").replace("\"read\"", "\"delete\""), 400, "invalid_request", "effect");
    }

    @Test
    void invalidSlugs() throws Exception {
        for (String id : new String[] {"Carol", "carol_1", "-carol", "c".repeat(65), ""}) {
            rejected("POST", "/v1/identities", "{\"id\":\"" + id + "\",\"kind\":\"human\",\"displayName\":\"C\",\"email\":\"c@example.com\"}",
                    400, "invalid_request", "id");
        }
    }

    @Test
    void missingOrNonHumanOrInactiveOwner() throws Exception {
        rejected("POST", "/v1/identities", agentJson("bot2", null), 400, "invalid_request", "owner");
        rejected("POST", "/v1/identities", agentJson("bot2", "nobody"), 400, "invalid_request", "owner");
        JsonNode err = rejected("POST", "/v1/identities", agentJson("bot2", "bot"), 400, "invalid_request", "owner");
        assertThat(err.path("message").asText()).contains("not a human");
    }

    @Test
    void missingRequiredFieldsOfTheKind() throws Exception {
        rejected("POST", "/v1/identities", agentJson("bot2", "alice").replace("\"purpose\":\"triage\",", ""), 400, "invalid_request", "purpose");
        rejected("POST", "/v1/identities", agentJson("bot2", "alice").replace(",\"autonomy\":\"assistive\"", ""), 400, "invalid_request", "autonomy");
        rejected("POST", "/v1/identities", "{\"id\":\"carol\",\"kind\":\"human\",\"displayName\":\"C\"}", 400, "invalid_request", "email");
        rejected("POST", "/v1/identities", agentJson("bot2", "alice").replace("\"dev\"", "\"moon\""), 400, "invalid_request", "environment");
        rejected("POST", "/v1/identities", agentJson("bot2", "alice").replace("github/*", "not a pattern"), 400, "invalid_request", "scope.tools[0]");
    }

    @Test
    void duplicateIdIsConflict() throws Exception {
        rejected("POST", "/v1/identities", "{\"id\":\"alice\",\"kind\":\"human\",\"displayName\":\"Other\",\"email\":\"o@example.com\"}",
                409, "conflict", "id");
    }

    @Test
    void oversizedBodyIs413() throws Exception {
        String big = "{\"id\":\"carol\",\"kind\":\"human\",\"displayName\":\"" + "x".repeat(2_000_000) + "\",\"email\":\"c@example.com\"}";
        String before = snapshot();
        // A raw HTTP/1.1 peer declares 2 MB and sends only the first bytes: the server must refuse on the
        // declared length at once, with a JSON 413, rather than read (or wait for) the whole upload.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.baseUri().getPort())) {
            socket.setSoTimeout(10_000);
            String head = "POST /v1/identities HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + big.length() + "\r\n\r\n";
            socket.getOutputStream().write((head + big.substring(0, 1000)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            String response = readResponse(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 413");
            assertThat(response.substring(response.indexOf("\r\n\r\n") + 4)).contains("\"error\":\"payload_too_large\"");
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405() throws Exception {
        rejected("GET", "/v1/nothing-here", null, 404, "not_found", null);
        rejected("GET", "/v1/identities/ghost", null, 404, "not_found", null);
        HttpResponse<String> r = server.http("DELETE", "/v1/identities", null, TOKEN);
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValueSatisfying(a -> assertThat(a).contains("GET").contains("POST"));
        assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void badQueryParameters() throws Exception {
        rejected("GET", "/v1/identities?colour=red", null, 400, "unknown_parameter", "colour");
        rejected("GET", "/v1/identities?kind=robot", null, 400, "invalid_request", "kind");
        rejected("GET", "/v1/identities?limit=abc", null, 400, "invalid_request", "limit");
        rejected("GET", "/v1/identities?limit=5000", null, 400, "invalid_request", "limit");
        rejected("GET", "/v1/identities?after=not-a-cursor!", null, 400, "invalid_request", "after");
    }

    @Test
    void lifecycleNeedsAReasonAndAValidState() throws Exception {
        rejected("POST", "/v1/identities/bot/suspend", "{}", 400, "invalid_request", "reason");
        rejected("POST", "/v1/identities/bot/suspend", "{\"reason\":\"  \"}", 400, "invalid_request", "reason");
        rejected("POST", "/v1/identities/bot/reactivate", "{\"reason\":\"not suspended\"}", 409, "conflict", "status");
        rejected("POST", "/v1/identities/bot/reassign", "{\"owner\":\"bot\",\"reason\":\"x\"}", 400, "invalid_request", "owner");
        rejected("POST", "/v1/identities/ghost/suspend", "{\"reason\":\"x\"}", 404, "not_found", null);
    }

    @Test
    void staleVersionIsRejected() throws Exception {
        rejected("PATCH", "/v1/identities/bot", "{\"displayName\":\"New\",\"version\":999}", 409, "version_conflict", "version");
    }

    @Test
    void badInventoryFileChangesNothingAndNamesTheEntry() throws Exception {
        String doc = "{\"identities\":[{\"id\":\"carol\",\"kind\":\"human\",\"displayName\":\"Carol\",\"email\":\"c@example.com\"},"
                + agentJson("bot3", "ghost") + "]}";
        rejected("POST", "/v1/inventory/apply", doc, 400, "invalid_request", "identities[1].owner");
        rejected("POST", "/v1/inventory/apply", "{\"identities\":[{\"id\":\"x\",\"kind\":\"human\",\"nick\":\"n\"}]}",
                400, "unknown_field", "identities[0].nick");
        rejected("POST", "/v1/inventory/apply?dryRun=maybe", "{}", 400, "invalid_request", "dryRun");
    }

    @Test
    void badToolServersAndGroups() throws Exception {
        rejected("POST", "/v1/tool-servers", "{\"id\":\"gh\"}", 400, "invalid_request", "url");
        rejected("POST", "/v1/tool-servers", "{\"id\":\"gh\",\"url\":\"ftp://x\"}", 400, "invalid_request", "url");
        rejected("POST", "/v1/tool-servers", "{\"id\":\"gh\",\"url\":\"https://x.example\",\"tools\":[{\"name\":\"a b\"}]}",
                400, "invalid_request", "tools[0].name");
        rejected("POST", "/v1/groups", "{\"id\":\"g\",\"displayName\":\"G\",\"parents\":[\"ghost\"]}", 400, "invalid_request", "parents[0]");
    }

    /** One HTTP/1.1 response (headers and a Content-Length body) read off a raw socket. */
    private static String readResponse(java.io.InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) break;
            head.append((char) c);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        return head + new String(in.readNBytes(length), java.nio.charset.StandardCharsets.UTF_8);
    }
}
