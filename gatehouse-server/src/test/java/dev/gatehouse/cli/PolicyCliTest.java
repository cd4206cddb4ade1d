package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.Cli;
import dev.gatehouse.testing.Cli.Run;
import dev.gatehouse.testing.TestGatehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy lifecycle through `gatehouse policy …` against a real server. */
class PolicyCliTest {
    @TempDir
    Path tmp;
    TestGatehouse server;

    @BeforeEach
    void start() throws Exception {
        server = TestGatehouse.start(tmp.resolve("data"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private Run gatehouse(String... args) {
        return Cli.run(Cli.adminEnv(server), args);
    }

    private Path dir(String name, String policy) throws Exception {
        Path d = tmp.resolve(name);
        Files.createDirectories(d);
        Files.writeString(d.resolve("main.cedar"), policy);
        Files.writeString(d.resolve("README.md"), "not a policy; ignored");
        return d;
    }

    @Test
    void pushVersionsDiffActivateRollbackAndShadow() throws Exception {
        Path v1 = dir("v1", "@id(\"reads\")\npermit(principal, action == Gatehouse::Action::\"read\", resource);\n");
        Path v2 = dir("v2", "@id(\"reads\")\npermit(principal, action == Gatehouse::Action::\"read\", resource);\n"
                + "@id(\"writes\")\npermit(principal, action == Gatehouse::Action::\"write\", resource);\n");
        Path broken = dir("broken", "permit(principal, action, resource is Gatehouse::Tool)\nwhen { resource.owner == \"x\" };\n");

        assertThat(gatehouse("policy", "push", v1.toString(), "-m", "first").exit()).isZero();
        Run bad = gatehouse("policy", "push", broken.toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("main.cedar:2:8:").contains("nothing stored");
        assertThat(gatehouse("policy", "push", v2.toString(), "-m", "writes", "--no-activate").exit()).isZero();

        Run versions = gatehouse("policy", "versions");
        assertThat(versions.out()).containsPattern("(?m)^2\\s+-\\s").containsPattern("(?m)^1\\s+active\\s");
        assertThat(gatehouse("policy", "diff", "1", "2").out()).contains("+@id(\"writes\")");
        assertThat(gatehouse("policy", "activate", "2").out()).containsPattern("active\\s+true");
        assertThat(gatehouse("policy", "rollback").out()).containsPattern("version\\s+1");
        assertThat(gatehouse("policy", "shadow", "2").out()).containsPattern("shadow\\s+true");
        assertThat(gatehouse("policy", "shadow", "--report").exit()).isZero();
        assertThat(gatehouse("policy", "show", "2").out()).contains("==> main.cedar <==").contains("@id(\"writes\")");
        assertThat(gatehouse("policy", "schema").out()).contains("namespace Gatehouse").contains("entity Agent in [Group]");
        assertThat(gatehouse("policy", "push", v1.toString(), "--shadow", "--no-activate").exit()).isEqualTo(2);
    }
}
