package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.Cli;
import dev.gatehouse.testing.Cli.Run;
import dev.gatehouse.testing.TestGatehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures speak the command line's words: flags, file positions and field paths, never API parameters or Java classes. */
class CliWordsTest {
    @TempDir
    Path tmp;
    TestGatehouse server;
    Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        server = TestGatehouse.start(tmp.resolve("data"));
        env = Cli.adminEnv(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void aMisspeltOptionIsNamedWithTheClosestRealOneNotReportedAsAMissingOption() {
        Run typo = Cli.run(env, "identity", "add", "x", "--kind", "human", "--nmae", "X");
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err().strip()).isEqualTo("error: unknown option '--nmae' (did you mean --name?) (see --help)");
        Run missing = Cli.run(env, "identity", "add", "x", "--kind", "human");
        assertThat(missing.err()).contains("Missing required option").contains("--name");
    }

    @Test
    void anApiFieldSetThroughAFlagIsNamedByTheFlag() {
        Run bad = Cli.run(env, "identity", "add", "x", "--kind", "human", "--name", "X", "--email", "x@example.com", "--env", "moon");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err().strip()).isEqualTo("error: 400 invalid_request (--env): --env must be one of dev, staging, prod");
    }

    @Test
    void policyTestCasesWithAnUnknownFieldNameTheFieldPathNotAJavaClass() throws Exception {
        Path dir = tmp.resolve("p");
        Files.createDirectories(dir.resolve("tests"));
        Files.writeString(dir.resolve("a.cedar"), "@id(\"a\")\npermit(principal, action, resource);\n");
        Files.writeString(dir.resolve("tests/cases.yaml"), """
                cases:
                  - name: a typo
                    principal: {type: agent, id: a}
                    acton: read
                    resource: {type: tool, id: s/t}
                    expect: allow
                """);
        Run run = Cli.run(env, "policy", "test", dir.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("unknown field 'cases[0].acton'").contains("expected one of: action,")
                .doesNotContain("dev.gatehouse").doesNotContain("class");
    }

    @Test
    void aCedarSyntaxErrorIsReportedWhereItIs() throws Exception {
        Path dir = tmp.resolve("broken");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("a.cedar"), "// reads\n@id(\"a\")\npermit(principal, action, resource);\n\n@id(\"b\")\n"
                + "permit(principal, action, resource)\nwhen { principal.foo == };\n");
        Run run = Cli.run(env, "policy", "push", dir.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("a.cedar:7:25: unexpected `}`");
    }

    @Test
    void aTypoInTheCliConfigFileIsAnError() throws Exception {
        Path config = tmp.resolve("cli.yaml");
        Files.writeString(config, "servr: http://127.0.0.1:1\n");
        Run run = Cli.run(Map.of("GATEHOUSE_CLI_CONFIG", config.toString()), "identity", "list");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("error: CLI config " + config + ": unknown key 'servr' (known keys: server, token)");
    }

    @Test
    void tokenIssueTellsWhichTaskItOpenedWithoutDisturbingTheTokenOnStdout() throws Exception {
        var admin = server.client();
        admin.post("v1/identities", Map.of("id", "alice", "kind", "human", "displayName", "Alice", "email", "alice@example.com"));
        admin.post("v1/identities", Map.of("id", "bot", "kind", "agent", "displayName", "Bot", "owner", "alice", "purpose", "p",
                "environment", "dev", "autonomy", "assistive", "scope", Map.of("tools", List.of("crm/*"), "effects", List.of("read"))));
        Path secret = tmp.resolve("secret");
        Files.writeString(secret, admin.post("v1/identities/bot/credentials", Map.of("type", "client_secret")).path("secret").asText());
        Map<String, String> agentEnv = new HashMap<>(env);
        agentEnv.remove("GATEHOUSE_TOKEN");
        Run issued = Cli.run(agentEnv, "token", "issue", "--client-id", "bot", "--secret-file", secret.toString(), "--intent", "triage");
        assertThat(issued.exit()).as(issued.err()).isZero();
        assertThat(issued.out().strip().lines()).hasSize(1);
        assertThat(issued.out().strip()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(issued.err()).startsWith("task task_").contains("scope 'crm/* read'").contains("expires in");
    }

    @Test
    void exportHelpNamesItsRealDefaultFormat() {
        Run help = Cli.run(env, "export", "--help");
        assertThat(help.out()).doesNotContain("table (default)").contains("YAML for export");
    }
}
