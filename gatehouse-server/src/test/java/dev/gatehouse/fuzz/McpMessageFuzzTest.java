package dev.gatehouse.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The MCP endpoint's message classification: whatever a token holder posts gets a JSON-RPC answer (2xx/4xx), never a failure. */
class McpMessageFuzzTest {
    /** The server starts before fuzzing does, so the fuzzing time is spent on inputs. */
    @org.junit.jupiter.api.BeforeAll
    static void startServer() throws Exception {
        FuzzServer.get();
    }

    @FuzzTest(maxDuration = "5s")
    @DictionaryEntries({"\"jsonrpc\"", "\"2.0\"", "\"method\"", "\"id\"", "\"params\"", "\"result\"", "\"error\"", "\"tools/call\"",
            "\"tools/list\"", "\"initialize\"", "\"ping\"", "\"notifications/initialized\"", "\"name\"", "\"arguments\"", "\"lookup\"",
            "\"update\"", "\"task\"", "\"protocolVersion\"", "\"2025-06-18\"", "\"_meta\"", "null", "true", "[", "{", "}", "]"})
    void anyPostedMessageIsAnsweredNeverFailed(FuzzedDataProvider data) throws Exception {
        FuzzServer.allowLoopback();
        FuzzServer server = FuzzServer.get();
        Map<String, String> headers = new HashMap<>();
        headers.put("Authorization", "Bearer " + server.taskToken());
        headers.put("Content-Type", "application/json");
        headers.put("Accept", data.consumeBoolean() ? "application/json, text/event-stream" : data.consumeString(40));
        if (data.consumeBoolean()) headers.put("Mcp-Session-Id", data.consumeString(80));
        if (data.consumeBoolean()) headers.put("MCP-Protocol-Version", data.consumeString(20));
        byte[] body = data.consumeRemainingAsString().getBytes(StandardCharsets.UTF_8);
        int status = server.call("POST", "/mcp/crm", null, headers, body, null);
        assertThat(status).isBetween(200, 499);
    }
}
