package dev.gatehouse.cli;

import dev.gatehouse.demo.Demo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gatehouse demo}: the whole story on the embedded store, narrated, with no set-up. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the end-to-end story: inventory, task token, tool calls through the gateway, taint, approval, trace, verify.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--data", description = "Data directory the demo creates and leaves for inspection (default ./gatehouse-demo).")
    Path data = Path.of("gatehouse-demo");

    @Option(names = "--keep", description = "Leave Gatehouse and the demo tool server running afterwards and print what to try next (Ctrl-C stops).")
    boolean keep;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ServeCommand.configureLogging(new dev.gatehouse.config.GatehouseConfig.Log("text", "warn"));
        Demo demo = new Demo(data, spec.commandLine().getOut());
        if (keep) {
            CountDownLatch done = new CountDownLatch(1);
            // Ctrl-C: stop both servers in order and let the store close cleanly before the JVM ends.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                demo.stop();
                try {
                    done.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }, "gatehouse-demo-stop"));
            try {
                return demo.run(true) ? 0 : 1;
            } finally {
                done.countDown();
            }
        }
        return demo.run() ? 0 : 1;
    }
}
