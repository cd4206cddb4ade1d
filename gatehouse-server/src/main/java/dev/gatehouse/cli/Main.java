package dev.gatehouse.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gatehouse}: the server and its command-line client in one jar. */
@Command(name = "gatehouse", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Governs what humans, workloads and AI agents may do at the moment they act.",
        subcommands = {ServeCommand.class, DemoCommand.class, IdentityCommand.class, GroupCommand.class, ToolServerCommand.class,
                AdminTokenCommand.class, ApplyCommand.class, ExportCommand.class, PolicyCommand.class, EntitiesCommand.class,
                CredentialCommand.class, TokenCommand.class, TaskCommand.class, KeysCommand.class, McpCommand.class,
                AuditCommand.class, TraceCommand.class, InspectCommand.class, ApprovalsCommand.class, BreakGlassCommand.class,
                ReviewCommand.class, DiscoveryCommand.class, PostureCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code. */
    public static int run(String... args) {
        return run(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs a command line with the given environment and streams (tests run the CLI in-process this way). */
    public static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new Failures());
        cli.setParameterExceptionHandler(new Failures());
        ClientOptions.ENVIRONMENT.set(env);
        try {
            return cli.execute(args);
        } finally {
            ClientOptions.ENVIRONMENT.remove();
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"gatehouse " + (v == null ? "dev" : v)};
        }
    }
}
