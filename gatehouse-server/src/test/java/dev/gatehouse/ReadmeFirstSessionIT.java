package dev.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's "A first session", run as it is written: the fenced block is taken from README.md and run
 * by bash, line by line as a newcomer would paste it, with the real launcher script next to the
 * packaged jar, against `serve` on a fresh store. Only the token placeholder is filled in, with the
 * bootstrap token `serve` printed. When the README drifts from the product, this test fails.
 */
class ReadmeFirstSessionIT {
    private static final Path README = Path.of("..", "README.md");
    private static final Path LAUNCHER = Path.of("..", "gatehouse");

    @TempDir
    Path tmp;

    static String firstSessionBlock() throws Exception {
        String readme = Files.readString(README);
        int section = readme.indexOf("## A first session");
        assertThat(section).as("README has a first session").isNotNegative();
        Matcher block = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find(section)).isTrue();
        return block.group(1);
    }

    @Test
    void theReadmesFirstSessionRunsAsWritten() throws Exception {
        String block = firstSessionBlock();
        assertThat(block).contains("<the bootstrap token>");

        // The launcher as shipped, beside the packaged jar: it finds the jar up to date and runs it.
        Path work = Files.createDirectories(tmp.resolve("checkout"));
        Files.copy(LAUNCHER, work.resolve("gatehouse"));
        work.resolve("gatehouse").toFile().setExecutable(true);
        Path target = Files.createDirectories(work.resolve("gatehouse-server/target"));
        Files.createSymbolicLink(target.resolve("gatehouse.jar"), ServerProcess.jar().toAbsolutePath());

        try (ServerProcess server = ServerProcess.start(Map.of(), "--port", "0", "--data", tmp.resolve("data").toString());
             AutoCloseable unlink = () -> Files.deleteIfExists(target.resolve("gatehouse.jar"))) { // the link, never the jar
            String token = server.stdout().stream().filter(l -> l.startsWith("Bootstrap admin token")).findFirst().orElseThrow()
                    .replaceAll(".*: ", "");
            Path script = work.resolve("first-session.sh");
            Files.writeString(script, "set -euo pipefail\n" + block.replace("<the bootstrap token>", token));
            ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).directory(work.toFile()).redirectErrorStream(true);
            pb.environment().keySet().removeIf(k -> k.startsWith("GATEHOUSE_"));
            pb.environment().put("HOME", tmp.toString()); // no personal CLI config
            pb.environment().put("GATEHOUSE_SERVER", server.baseUri().toString()); // as the block's first comment says
            pb.environment().put("GATEHOUSE_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).doesNotContain("building").as("the launcher used the packaged jar");
            assertThat(out).contains("triage-bot").contains("would update identity triage-bot (displayName)")
                    .contains("0 created, 1 updated").contains("How access ended").contains("identity.suspend");
            assertThat(Files.readString(work.resolve("inventory.yaml"))).contains("Triage bot").contains("zendesk/*");
            assertThat(String.join("\n", List.of(out))).doesNotContain(token);
        }
    }
}
