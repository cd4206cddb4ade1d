package dev.gatehouse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gatehouse}: the server and its command-line client in one jar. */
@Command(name = "gatehouse", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Governs what humans, workloads and AI agents may do at the moment they act.",
        subcommands = {ServeCommand.class, AuditCommand.class, TraceCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this directly). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new Failures());
        cli.setParameterExceptionHandler(new Failures());
        return cli.execute(args);
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
