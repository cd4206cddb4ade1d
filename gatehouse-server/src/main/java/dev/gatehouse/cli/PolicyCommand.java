package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gatehouse policy …}: Cedar policies as code (schema, push, versions, activation, shadow, tests). */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Manage Cedar policy versions.",
        subcommands = {PolicyCommand.SchemaCmd.class, PolicyCommand.Push.class, PolicyCommand.Versions.class,
                PolicyCommand.Show.class, PolicyCommand.Diff.class, PolicyCommand.Activate.class,
                PolicyCommand.Rollback.class, PolicyCommand.Shadow.class, PolicyTestCommand.class})
final class PolicyCommand {
    private PolicyCommand() {}

    /** Shared client plumbing of the policy subcommands. */
    abstract static class Base implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;

        PrintWriter out() { return spec.commandLine().getOut(); }

        void printVersion(JsonNode v) {
            if (client.json()) {
                ClientOptions.printJson(out(), v);
                return;
            }
            new Table("FIELD", "VALUE").row("version", v.path("version").asText()).row("author", v.path("author").asText())
                    .row("message", v.path("message").asText()).row("createdAt", v.path("createdAt").asText())
                    .row("contentHash", v.path("contentHash").asText()).row("policies", v.path("policyCount").asText())
                    .row("active", v.path("active").asText()).row("shadow", v.path("shadow").asText()).print(out());
        }
    }

    /** Reads every {@code .cedar} and {@code .cedarschema} file under {@code dir}, keyed by '/'-separated relative path. */
    static Map<String, String> readPolicyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + ": not a directory");
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted().toList()) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p) && (name.endsWith(".cedar") || name.endsWith(".cedarschema"))) {
                    files.put(dir.relativize(p).toString().replace('\\', '/'), Files.readString(p));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(dir + ": cannot read (" + e.getClass().getSimpleName() + ")");
        }
        if (files.isEmpty()) throw new IllegalArgumentException(dir + ": no .cedar files found");
        return files;
    }

    @Command(name = "schema", mixinStandardHelpOptions = true, description = "Print the Cedar schema Gatehouse generates (plus active fragments).")
    static final class SchemaCmd extends Base {
        @Override
        public Integer call() {
            JsonNode r = client.client().get("v1/policies/schema");
            if (client.json()) ClientOptions.printJson(out(), r);
            else out().print(r.path("schema").asText());
            out().flush();
            return 0;
        }
    }

    @Command(name = "push", mixinStandardHelpOptions = true,
            description = "Validate a directory of .cedar files and store it as a new immutable version (activated unless --shadow or "
                    + "--no-activate). Activation never drops active rules unless --replace; --add keeps them beside DIR's files.")
    static final class Push extends Base {
        @Parameters(paramLabel = "DIR") Path dir;
        @Option(names = {"-m", "--message"}, description = "Why this version exists.") String message;

        @ArgGroup(exclusive = true) Mode mode;
        @Option(names = "--add", description = "Add DIR's files to the active version's (same path replaces), e.g. an application's "
                + "policies beside the guardrails.") boolean add;
        @Option(names = "--replace", description = "Allow activation to drop rules that are active now (refused otherwise).") boolean replace;

        static final class Mode {
            @Option(names = "--shadow", description = "Evaluate the new version beside the active one instead of activating it.") boolean shadow;
            @Option(names = "--no-activate", description = "Store the version without activating it.") boolean noActivate;
        }

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("files", readPolicyDirectory(dir));
            if (message != null) body.put("message", message);
            body.put("mode", mode == null ? "activate" : mode.shadow ? "shadow" : "store");
            body.put("add", add);
            body.put("replace", replace);
            printVersion(client.client().post("v1/policies", body));
            return 0;
        }
    }

    @Command(name = "versions", mixinStandardHelpOptions = true, description = "List policy versions, newest first.")
    static final class Versions extends Base {
        @Override
        public Integer call() {
            JsonNode r = client.client().get("v1/policies/versions");
            if (client.json()) {
                ClientOptions.printJson(out(), r);
                return 0;
            }
            Table t = new Table("VERSION", "STATE", "CREATED", "AUTHOR", "POLICIES", "HASH", "MESSAGE");
            for (JsonNode v : r.path("items")) {
                String state = v.path("active").asBoolean() ? "active" : v.path("shadow").asBoolean() ? "shadow" : "-";
                t.row(v.path("version").asText(), state, v.path("createdAt").asText(), v.path("author").asText(),
                        v.path("policyCount").asText(), v.path("contentHash").asText().substring(0, 12), v.path("message").asText());
            }
            t.print(out());
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a version and its files.")
    static final class Show extends Base {
        @Parameters(paramLabel = "VERSION") long version;

        @Override
        public Integer call() {
            JsonNode r = client.client().get("v1/policies/versions/" + version);
            if (client.json()) {
                ClientOptions.printJson(out(), r);
                return 0;
            }
            printVersion(r.path("version"));
            r.path("files").properties().forEach(f -> {
                out().println();
                out().println("==> " + f.getKey() + " <==");
                out().print(f.getValue().asText());
            });
            out().flush();
            return 0;
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true, description = "Line diff between two versions.")
    static final class Diff extends Base {
        @Parameters(index = "0", paramLabel = "FROM") long from;
        @Parameters(index = "1", paramLabel = "TO") long to;

        @Override
        public Integer call() {
            JsonNode r = client.client().get("v1/policies/diff", Map.of("from", Long.toString(from), "to", Long.toString(to)));
            if (client.json()) ClientOptions.printJson(out(), r);
            else out().print(r.path("diff").asText());
            out().flush();
            return 0;
        }
    }

    @Command(name = "activate", mixinStandardHelpOptions = true, description = "Make a version the active one.")
    static final class Activate extends Base {
        @Parameters(paramLabel = "VERSION") long version;

        @Override
        public Integer call() {
            printVersion(client.client().post("v1/policies/versions/" + version + "/activate", Map.of()));
            return 0;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Re-activate the version that was active before the current one.")
    static final class Rollback extends Base {
        @Override
        public Integer call() {
            printVersion(client.client().post("v1/policies/rollback", Map.of()));
            return 0;
        }
    }

    @Command(name = "shadow", mixinStandardHelpOptions = true,
            description = "Run VERSION in shadow beside the active version, --stop it, or --report its disagreements.")
    static final class Shadow extends Base {
        @Parameters(paramLabel = "VERSION", arity = "0..1") Long version;
        @Option(names = "--stop", description = "Stop the shadow evaluation.") boolean stop;
        @Option(names = "--report", description = "List requests on which the candidate disagreed.") boolean report;

        @Override
        public Integer call() {
            if (stop) {
                client.client().delete("v1/policies/shadow");
                out().println("shadow evaluation stopped");
                out().flush();
                return 0;
            }
            if (report) {
                Map<String, String> query = new LinkedHashMap<>();
                if (version != null) query.put("version", version.toString());
                JsonNode r = client.client().get("v1/policies/shadow/disagreements", query);
                if (client.json()) {
                    ClientOptions.printJson(out(), r);
                    return 0;
                }
                Table t = new Table("AT", "ACTIVE", "SHADOW", "PRINCIPAL", "ACTION", "RESOURCE", "DIGEST");
                for (JsonNode d : r.path("items")) {
                    t.row(d.path("at").asText(), "v" + d.path("activeVersion").asText() + " " + d.path("activeDecision").asText(),
                            "v" + d.path("shadowVersion").asText() + " " + d.path("shadowDecision").asText(), d.path("principal").asText(),
                            d.path("action").asText(), d.path("resource").asText(), d.path("requestDigest").asText().substring(0, 12));
                }
                t.print(out());
                return 0;
            }
            if (version == null) throw new IllegalArgumentException("give a VERSION to shadow, --stop or --report");
            printVersion(client.client().post("v1/policies/versions/" + version + "/shadow", Map.of()));
            return 0;
        }
    }
}
