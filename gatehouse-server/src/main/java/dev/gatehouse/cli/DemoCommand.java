package dev.gatehouse.cli;

import dev.gatehouse.demo.Demo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ServeCommand.configureLogging(new dev.gatehouse.config.GatehouseConfig.Log("text", "warn"));
        return new Demo(data, spec.commandLine().getOut()).run() ? 0 : 1;
    }
}
