package dev.gatehouse.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.testing.TestStores;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key rotation on a two-node cluster (one PostgreSQL): the new key reaches the other node's JWKS within
 * milliseconds, signs only after its activation delay, and no token of either node is ever refused by the other.
 */
class KeyRotationClusterTest {
    private static final String KEK = "c2hhcmVkLWtleS1lbmNyeXB0aW9uLWtleS0zMmJ5dGU=";

    @TempDir
    Path tmp;

    @Test
    void aRotationOnOneNodeNeverProducesARefusalOnAnother() throws Exception {
        String db = TestStores.freshUrl(TestStores.Kind.POSTGRES, tmp);
        Map<String, String> cluster = Map.of("kek", KEK, "server.publicUrl", "https://gatehouse.test",
                "credentials.keyActivationDelaySeconds", "2");
        try (TestGatehouse a = TestGatehouse.start(tmp.resolve("a"), db, cluster);
             TestGatehouse b = TestGatehouse.start(tmp.resolve("b"), db, cluster)) {
            Broker onA = new Broker(a).standard();
            Broker onB = new Broker(b);
            String secret = onA.addSecret("triage-bot").path("secret").asText();
            String before = onA.accessToken("triage-bot", secret);
            assertThat(active(onB, before)).isTrue();

            JsonNode rotated = a.client().post("/v1/keys/rotate", Map.of());
            String newKid = rotated.path("kid").asText();
            assertThat(rotated.path("status").asText()).isEqualTo("pending");
            long published = System.nanoTime();
            while (!jwks(b).contains(newKid)) {
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - published)).as("B publishes the new key").isLessThan(1000);
                Thread.sleep(5);
            }
            long propagationMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - published);

            // Through the activation (2 s after the rotation) and past it: tokens of each node, checked by the other.
            Set<String> kids = new HashSet<>();
            int checked = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            while (System.nanoTime() < end) {
                String fromA = onA.accessToken("triage-bot", secret);
                String fromB = onB.accessToken("triage-bot", secret);
                kids.add(SignedJWT.parse(fromA).getHeader().getKeyID());
                kids.add(SignedJWT.parse(fromB).getHeader().getKeyID());
                assertThat(active(onB, fromA)).as("A's token on B (kid " + SignedJWT.parse(fromA).getHeader().getKeyID() + ")").isTrue();
                assertThat(active(onA, fromB)).as("B's token on A").isTrue();
                checked += 2;
            }
            assertThat(kids).as("both keys signed during the run").hasSize(2).contains(newKid);
            assertThat(active(onB, before)).as("a token of the old key still verifies").isTrue();
            assertThat(jwks(a)).contains(newKid).contains(SignedJWT.parse(before).getHeader().getKeyID());
            System.out.printf("key rotation: new key in the other node's JWKS after %d ms; %d cross-node checks, none refused%n",
                    propagationMillis, checked);
        }
    }

    private static boolean active(Broker on, String token) throws Exception {
        var r = on.form("/oauth2/introspect", Map.of("token", token), null, null, TestGatehouse.ADMIN_TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        return Broker.JSON.readTree(r.body()).path("active").asBoolean();
    }

    private static String jwks(TestGatehouse node) throws Exception {
        return node.http("GET", "/.well-known/jwks.json", null, null).body();
    }

}
