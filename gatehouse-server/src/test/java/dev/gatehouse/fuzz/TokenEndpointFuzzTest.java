package dev.gatehouse.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The token endpoint's form and client-assertion handling: forms of known and unknown parameters, raw bytes,
 * Basic headers and JWT-shaped assertions with fuzzed header and claims; always an OAuth answer, never a failure.
 */
class TokenEndpointFuzzTest {
    private static final List<String> PARAMS = List.of("grant_type", "client_id", "client_secret", "client_assertion",
            "client_assertion_type", "task_intent", "scope", "ttl", "subject_token", "subject_token_type", "actor_token",
            "actor_token_type", "requested_token_type", "token", "token_type_hint");
    private static final List<String> VALUES = List.of("client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange",
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "urn:ietf:params:oauth:token-type:access_token", "bot", "crm/*",
            "read write", "600", "-1", "99999999999999999999");

    /** The server starts before fuzzing does, so the fuzzing time is spent on inputs. */
    @org.junit.jupiter.api.BeforeAll
    static void startServer() throws Exception {
        FuzzServer.get();
    }

    @FuzzTest(maxDuration = "5s")
    void anyFormGetsAnOAuthAnswer(FuzzedDataProvider data) throws Exception {
        FuzzServer.allowLoopback();
        FuzzServer server = FuzzServer.get();
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        String body;
        if (data.consumeBoolean()) {
            body = data.consumeString(500); // raw, malformed escapes included
        } else {
            StringJoiner form = new StringJoiner("&");
            int n = data.consumeInt(0, 8);
            for (int i = 0; i < n; i++) {
                String name = data.consumeBoolean() ? data.pickValue(PARAMS) : data.consumeString(20);
                String value = switch (data.consumeInt(0, 3)) {
                    case 0 -> data.pickValue(VALUES);
                    case 1 -> assertion(data);
                    case 2 -> server.taskToken();
                    default -> data.consumeString(100);
                };
                form.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
            body = form.toString();
        }
        if (data.consumeBoolean()) {
            String pair = data.consumeBoolean() ? "bot:" + data.consumeString(60) : data.consumeString(80);
            headers.put("Authorization", "Basic " + (data.consumeBoolean() ? Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))
                    : pair));
        }
        String path = data.pickValue(List.of("/oauth2/token", "/oauth2/introspect", "/oauth2/revoke"));
        int status = server.call("POST", path, null, headers, body.getBytes(StandardCharsets.UTF_8), null);
        assertThat(status).isIn(200, 400, 401, 429);
    }

    /** Something shaped like a compact JWS: fuzzed JSON header and claims, fuzzed signature. */
    private static String assertion(FuzzedDataProvider data) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = data.consumeBoolean() ? "{\"alg\":\"" + data.pickValue(List.of("ES256", "RS256", "none", "HS256")) + "\",\"kid\":\""
                + data.consumeString(10) + "\"}" : data.consumeString(60);
        String claims = data.consumeBoolean() ? "{\"iss\":\"bot\",\"sub\":\"bot\",\"aud\":\"" + data.consumeString(30) + "\",\"exp\":"
                + data.consumeLong() + ",\"jti\":\"" + data.consumeString(10) + "\"}" : data.consumeString(120);
        return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
                + "." + b64.encodeToString(data.consumeBytes(64));
    }
}
