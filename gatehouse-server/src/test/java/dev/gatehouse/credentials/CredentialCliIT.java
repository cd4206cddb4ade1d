package dev.gatehouse.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.gatehouse.cli.Main;
import dev.gatehouse.testing.TestGatehouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end against a real server: credential, token, task and keys commands. */
class CredentialCliIT {
    @TempDir Path dir;
    private String home;
    private PrintStream stdout;
    private PrintStream stderr;

    @BeforeEach
    void saveStreams() {
        home = System.getProperty("user.home");
        stdout = System.out;
        stderr = System.err;
    }

    @AfterEach
    void restore() {
        System.setProperty("user.home", home);
        System.setOut(stdout);
        System.setErr(stderr);
    }

    private record Run(int code, String out, String err) {}

    private Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    @Test
    void operatorAddsCredentialsAgentObtainsTokenAndTaskIsCompleted() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir.resolve("data"))) {
            Broker b = new Broker(gh).standard();
            // The CLI reads server and admin token from ~/.config/gatehouse/cli.yaml.
            Path config = dir.resolve("home/.config/gatehouse/cli.yaml");
            Files.createDirectories(config.getParent());
            Files.writeString(config, "server: " + gh.baseUri() + "\ntoken: " + TestGatehouse.ADMIN_TOKEN + "\n");
            System.setProperty("user.home", dir.resolve("home").toString());

            Run added = cli("credential", "add", "triage-bot", "--type", "client_secret");
            assertThat(added.code()).as(added.err()).isZero();
            Matcher m = Pattern.compile("secret:\\s+(ghcs_\\S+)").matcher(added.out());
            assertThat(m.find()).isTrue();
            String secret = m.group(1);
            Path secretFile = dir.resolve("secret");
            Files.writeString(secretFile, secret);

            Run listed = cli("credential", "list", "triage-bot");
            assertThat(listed.out()).contains("client_secret").contains("active").doesNotContain(secret);

            Run issued = cli("token", "issue", "--client-id", "triage-bot", "--secret-file", secretFile.toString(),
                    "--intent", "cli test", "--scope", "github/list_issues read", "--ttl", "120");
            assertThat(issued.code()).as(issued.err()).isZero();
            String token = issued.out().strip();
            assertThat(Jose.verifiesWith(token, b.jwks())).isTrue();
            String task = Jose.claims(token).path("task_id").asText();

            assertThat(cli("token", "introspect", token).out()).contains("active").contains("true").contains(task);
            assertThat(cli("task", "list").out()).contains(task).contains("active").contains("cli test");
            assertThat(cli("task", "show", task).out()).contains("github/list_issues read");
            Run completed = cli("task", "complete", task, "--reason", "done");
            assertThat(completed.code()).as(completed.err()).isZero();
            assertThat(completed.out()).contains("completed");
            assertThat(cli("token", "introspect", "-o", "json", token).out()).contains("\"active\" : false");

            ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
            Path publicJwk = dir.resolve("bot.pub.jwk");
            Path privateJwk = dir.resolve("bot.jwk");
            Files.writeString(publicJwk, key.toPublicJWK().toJSONString());
            Files.writeString(privateJwk, key.toJSONString());
            assertThat(cli("credential", "add", "triage-bot", "--type", "private_key_jwt", "--jwk-file", publicJwk.toString()).code()).isZero();
            Run viaKey = cli("token", "issue", "--client-id", "triage-bot", "--key-file", privateJwk.toString(), "--intent", "key test");
            assertThat(viaKey.code()).as(viaKey.err()).isZero();
            assertThat(cli("token", "revoke", viaKey.out().strip()).code()).isZero();
            assertThat(b.introspect(viaKey.out().strip()).path("active").asBoolean()).isFalse();

            String credId = gh.client().get("/v1/identities/triage-bot/credentials").path("items").get(0).path("id").asText();
            Run rotated = cli("credential", "rotate", "triage-bot", credId, "--overlap", "0");
            assertThat(rotated.out()).contains("secret:").doesNotContain(secret);
            assertThat(cli("credential", "revoke", "triage-bot", credId).out()).contains("revoked");

            assertThat(cli("keys", "rotate").out()).contains("is active");
            assertThat(cli("keys", "list").out()).contains("retiring").contains("active");

            Run bad = cli("token", "issue", "--client-id", "triage-bot", "--secret-file", secretFile.toString(), "--intent", "x");
            assertThat(bad.code()).isEqualTo(1);
            assertThat(bad.err()).contains("invalid_client").doesNotContain(secret);
        }
    }
}
