package dev.gatehouse.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The AuthZEN request parser and the decision behind it: any body is a decision or a 400, never a failure. */
class AuthZenFuzzTest {
    /** The server starts before fuzzing does, so the fuzzing time is spent on inputs. */
    @org.junit.jupiter.api.BeforeAll
    static void startServer() throws Exception {
        FuzzServer.get();
    }

    @FuzzTest(maxDuration = "5s")
    @DictionaryEntries({"\"subject\"", "\"resource\"", "\"action\"", "\"context\"", "\"type\"", "\"id\"", "\"name\"",
            "\"properties\"", "\"agent\"", "\"human\"", "\"tool\"", "\"workload\"", "\"bot\"", "\"alice\"", "\"crm/lookup\"", "\"read\"",
            "\"write\"", "\"breakglass\"", "\"delegate\"", "\"task\"", "\"data\"", "\"session\"", "\"approval\"", "\"evaluations\"", "{", "}"})
    void anyEvaluationIsADecisionOrAClientError(FuzzedDataProvider data) throws Exception {
        FuzzServer.allowLoopback();
        FuzzServer server = FuzzServer.get();
        String path = data.consumeBoolean() ? "/access/v1/evaluation" : "/access/v1/evaluations";
        byte[] body = data.consumeRemainingAsString().getBytes(StandardCharsets.UTF_8);
        int status = server.call("POST", path, null, Map.of("Content-Type", "application/json"), body, FuzzServer.PDP);
        assertThat(status).isIn(200, 400);
    }
}
