package dev.gatehouse.cli;

import dev.gatehouse.client.GatehouseApiException;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.core.ControlCharacters;
import dev.gatehouse.core.Problem;
import picocli.CommandLine;

/**
 * Every failure of a command ends as one line on stderr and a non-zero exit: 2 for usage
 * errors, 1 for everything else. Stack traces only with GATEHOUSE_DEBUG set.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        String message;
        if (e instanceof GatehouseApiException api) {
            message = api.oneLine();
        } else if (e instanceof Problem p) {
            message = p.field() == null ? p.getMessage() : p.field() + ": " + p.getMessage();
        } else if (e instanceof ConfigException || e instanceof IllegalArgumentException || e instanceof dev.gatehouse.core.StartupFailure) {
            message = e.getMessage();
        } else if (e instanceof java.io.UncheckedIOException) {
            message = e.getMessage() + " (is `gatehouse serve` running? set --server or GATEHOUSE_SERVER)";
        } else if (e instanceof java.net.ConnectException) {
            message = "cannot reach the server (is `gatehouse serve` running? set --server or GATEHOUSE_SERVER)";
        } else {
            message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        // The message may quote stored names or an upstream's words: escaped, it cannot drive the terminal.
        cmd.getErr().println("error: " + ControlCharacters.escape(message, true));
        if (System.getenv("GATEHOUSE_DEBUG") != null) e.printStackTrace(cmd.getErr());
        return 1;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        e.getCommandLine().getErr().println("error: " + ControlCharacters.escape(e.getMessage(), true) + " (see --help)");
        return 2;
    }
}
