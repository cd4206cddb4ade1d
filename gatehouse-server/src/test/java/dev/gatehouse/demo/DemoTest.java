package dev.gatehouse.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.Cli;
import dev.gatehouse.testing.TestGatehouse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `gatehouse demo` plays all seven steps as told, exits 0, and leaves a store one can inspect afterwards. */
class DemoTest {
    @TempDir
    Path tmp;

    @Test
    void theDemoCompletesEveryStepAndLeavesAnInspectableStore() throws Exception {
        Path data = tmp.resolve("gatehouse-demo");
        Cli.Run run = Cli.run(Map.of(), "demo", "--data", data.toString());
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        String out = run.out();
        for (int step = 1; step <= 7; step++) assertThat(out).contains("\n" + step + ". ");
        assertThat(out).doesNotContain("UNEXPECTED").contains("Demo complete: every step behaved as described.");
        assertThat(out).contains("send_email (external) is refused").contains("post_to_pastebin")
                .contains("deploy_service is held").contains("the retried call runs once")
                .contains("a call after completion is refused").contains("How access ended").contains("checkpoints matched");

        // The store it leaves opens with the admin token it printed, and holds the story.
        Matcher token = Pattern.compile("admin token for this demo store \\(inspect with it afterwards\\): (\\S+)").matcher(out);
        assertThat(token.find()).isTrue();
        try (TestGatehouse server = TestGatehouse.start(data)) {
            var identities = server.http("GET", "/v1/identities", null, token.group(1));
            assertThat(identities.statusCode()).isEqualTo(200);
            assertThat(identities.body()).contains("support-agent").contains("maria").contains("nightly-export");
        }

        // A second run replaces its own directory; a directory it did not make is left alone.
        assertThat(Cli.run(Map.of(), "demo", "--data", data.toString()).exit()).isZero();
        Path foreign = Files.createDirectories(tmp.resolve("precious"));
        Files.writeString(foreign.resolve("notes.txt"), "keep me");
        Cli.Run refused = Cli.run(Map.of(), "demo", "--data", foreign.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err().strip()).startsWith("error: ").contains("was not made by the demo");
        assertThat(foreign.resolve("notes.txt")).hasContent("keep me");
    }

    @Test
    void keepLeavesGatehouseAndTheToolServerRunningAndTheCommandsItPrintsWork() throws Exception {
        StringWriter buffer = new StringWriter();
        Demo demo = new Demo(tmp.resolve("kept"), new PrintWriter(buffer, true));
        CompletableFuture<Boolean> run = CompletableFuture.supplyAsync(() -> {
            try {
                return demo.run(true);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!buffer.toString().contains("Ctrl-C stops both") && !run.isDone() && System.nanoTime() < deadline) Thread.sleep(200);
        String out = buffer.toString();
        assertThat(out).as(out).contains("Ctrl-C stops both").contains("./gatehouse mcp tools demo-tools");
        try {
            Matcher exported = Pattern.compile("export GATEHOUSE_SERVER=(\\S+) GATEHOUSE_TOKEN=(\\S+)").matcher(out);
            Matcher key = Pattern.compile("--key-file (\\S+)").matcher(out);
            assertThat(exported.find() && key.find()).isTrue();
            Map<String, String> env = new HashMap<>(Map.of("GATEHOUSE_SERVER", exported.group(1), "GATEHOUSE_TOKEN", exported.group(2),
                    "GATEHOUSE_CLI_CONFIG", "/nonexistent/cli.yaml"));
            Cli.Run issued = Cli.run(env, "token", "issue", "--client-id", "support-agent", "--key-file", key.group(1), "--intent", "look around");
            assertThat(issued.exit()).as(issued.err()).isZero();
            env.put("GATEHOUSE_TASK_TOKEN", issued.out().strip());
            assertThat(Cli.run(env, "mcp", "tools", "demo-tools").out()).contains("search_docs");
            Cli.Run docs = Cli.run(env, "mcp", "call", "demo-tools", "search_docs", "--args", "{\"query\":\"billing\"}");
            assertThat(docs.exit()).as(docs.err()).isZero();
            assertThat(docs.out()).contains("articles match 'billing'");
            assertThat(Cli.run(env, "trace", "support-agent").exit()).isZero();
        } finally {
            demo.stop();
        }
        assertThat(run.get(60, TimeUnit.SECONDS)).isTrue();
    }
}
