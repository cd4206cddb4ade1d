package dev.gatehouse.cli;

import dev.gatehouse.client.GatehouseApiException;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.core.ControlCharacters;
import dev.gatehouse.core.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every failure of a command ends as one line on stderr and a non-zero exit: 2 for usage
 * errors, 1 for everything else. Stack traces only with GATEHOUSE_DEBUG set. The line speaks the
 * command line's words: an API field the user set through a flag is named by that flag.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    /** API fields whose flag has another name; a field not listed is looked up as {@code --<field>}. */
    private static final Map<String, String> FLAG_OF_FIELD = Map.of(
            "displayName", "name", "environment", "env", "scope.tools", "tool", "scope.effects", "effect",
            "tags", "tag", "groups", "group", "parents", "parent", "tools", "tool");

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        String message;
        if (e instanceof GatehouseApiException api) {
            message = inCommandWords(api, cmd.getCommandSpec());
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
        CommandLine cmd = e.getCommandLine();
        // A misspelt option also leaves its real option missing; the misspelling is the news, not the absence.
        String unknown = unknownOption(cmd.getCommandSpec(), args);
        String message = unknown != null ? unknown : e.getMessage();
        cmd.getErr().println("error: " + ControlCharacters.escape(message, true) + " (see --help)");
        return 2;
    }

    /** {@code 400 invalid_request (--name): --name is longer than 200 characters} instead of the API's {@code displayName}. */
    static String inCommandWords(GatehouseApiException api, CommandSpec spec) {
        if (api.field() == null) return api.oneLine();
        String field = api.field().replaceAll("\\[\\d+]", "");
        String name = FLAG_OF_FIELD.getOrDefault(field, field);
        OptionSpec option = spec.findOption("--" + name);
        if (option == null) return api.oneLine();
        String flag = "--" + name;
        // "displayName is required" names an API field the user never typed; "owner 'x' does not exist" reads well as it is.
        String message = !name.equals(field) && api.getMessage().startsWith(field + " ")
                ? flag + api.getMessage().substring(field.length()) : api.getMessage();
        return api.status() + " " + api.error() + " (" + flag + "): " + message;
    }

    /** The first argument that looks like an option this command does not have, with the closest real one. */
    private static String unknownOption(CommandSpec spec, String[] args) {
        CommandSpec command = spec;
        for (String arg : args) {
            if (command.subcommands().containsKey(arg)) {
                command = command.subcommands().get(arg).getCommandSpec();
                continue;
            }
            if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--") || arg.matches("-\\d.*")) continue;
            String name = arg.split("=", 2)[0];
            if (command.findOption(name) != null) continue;
            String closest = closest(name, command);
            return "unknown option '" + name + "'" + (closest == null ? "" : " (did you mean " + closest + "?)");
        }
        return null;
    }

    private static String closest(String name, CommandSpec command) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        List<String> names = new ArrayList<>();
        command.options().forEach(o -> names.addAll(List.of(o.names())));
        for (String candidate : names) {
            int d = distance(name, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= Math.max(2, name.length() / 3) ? best : null;
    }

    /** Optimal string alignment distance: a transposed pair of letters ({@code nmae}) counts as one edit. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
