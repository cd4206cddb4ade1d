package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.Cli;
import dev.gatehouse.testing.Cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `gatehouse policy test DIR` on the shipped starter pack: it passes, and fails when one expectation is flipped. */
class PolicyTestCommandTest {
    private static final Path STARTER = Path.of("..", "policies", "starter");

    @TempDir
    Path tmp;

    private static Run gatehouse(String... args) {
        return Cli.run(java.util.Map.of(), args);
    }

    @Test
    void theStarterPackPassesItsOwnTests() {
        Run run = gatehouse("policy", "test", STARTER.toString());
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).containsPattern("(?m)^\\d+ passed, 0 failed$").doesNotContain("FAIL");
    }

    @Test
    void applicationEntitiesCanBeTestedToo() {
        Path todo = Path.of("..", "examples", "authzen-todo");
        Run run = gatehouse("policy", "test", todo.resolve("policies").toString(), "--entities", todo.resolve("entities.json").toString());
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("5 passed, 0 failed");
    }

    @Test
    void aFlippedExpectationFailsWithANonZeroExit() throws Exception {
        Path copy = copyStarter();
        Path approvals = copy.resolve("tests/approvals.yaml");
        String original = Files.readString(approvals);
        Files.writeString(approvals, original.replaceFirst("expect: hold", "expect: allow"));

        Run run = gatehouse("policy", "test", copy.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("FAIL  approvals.yaml › an autonomous agent's high-risk call is held for its owner: expected allow, got hold")
                .containsPattern("(?m)^\\d+ passed, 1 failed$");
    }

    @Test
    void aPolicyTypeErrorIsReportedWithItsLocation() throws Exception {
        Path copy = copyStarter();
        Files.writeString(copy.resolve("production.cedar"), Files.readString(copy.resolve("production.cedar"))
                .replace("principal.environment", "principal.enviroment"));
        Run run = gatehouse("policy", "test", copy.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("production.cedar:5:").contains("enviroment");
    }

    private Path copyStarter() throws Exception {
        Path target = tmp.resolve("starter");
        try (Stream<Path> walk = Files.walk(STARTER)) {
            for (Path p : walk.toList()) {
                Path dest = target.resolve(STARTER.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(dest);
                else Files.copy(p, dest);
            }
        }
        return target;
    }
}
