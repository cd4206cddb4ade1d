package dev.gatehouse.cli;

import dev.gatehouse.client.GatehouseClient;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gatehouse toolserver upstream-credential …}: the static credential the gateway injects when it forwards to a
 * tool server — server-wide, or bound to one identity ({@code --identity}) or to the human an assistive agent acts for
 * ({@code --owner}). The secret is read from an environment variable, never from the command line (where other users
 * of the machine could read it from the process list).
 */
@Command(name = "upstream-credential", mixinStandardHelpOptions = true,
        description = "Set, show, list or remove the credentials the gateway injects upstream (agents never hold them).",
        subcommands = {UpstreamCredentialCommand.Set.class, UpstreamCredentialCommand.Show.class, UpstreamCredentialCommand.ListCmd.class,
                UpstreamCredentialCommand.Remove.class})
final class UpstreamCredentialCommand {
    static final String[] FIELDS = {"server", "identity", "owner", "type", "headerName", "tokenUrl", "clientId", "scope", "version", "updatedAt",
            "updatedBy"};

    /** Whom a credential is bound to; neither: the whole server. */
    static final class Bound {
        @Option(names = "--identity", description = "Bind to this workload or agent (used for its tasks).") String identity;
        @Option(names = "--owner", description = "Bind to this human (used for the assistive agents acting for them).") String owner;

        static String query(Bound b) {
            if (b == null) return "";
            return b.identity != null ? "?identity=" + GatehouseClient.segment(b.identity) : "?owner=" + GatehouseClient.segment(b.owner);
        }
    }

    private static String path(String server) { return "v1/tool-servers/" + GatehouseClient.segment(server) + "/upstream-credential"; }

    static final class Kind {
        @Option(names = "--header", required = true, description = "Static header name, e.g. X-Api-Key.") String header;
        @Option(names = "--oauth-token-url", required = true, description = "Token endpoint of the upstream's authorization server (client credentials).")
        String tokenUrl;
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Set (or rotate) a tool server's upstream credential.")
    static final class Set extends ClientCommand {
        @Parameters(paramLabel = "SERVER") String server;
        @ArgGroup(exclusive = true, multiplicity = "1") Kind kind;
        @Option(names = "--client-id", description = "OAuth client id (with --oauth-token-url).") String clientId;
        @Option(names = "--scope", description = "OAuth scope to request (with --oauth-token-url).") String scope;
        @Option(names = "--secret-env", required = true, paramLabel = "VAR",
                description = "Environment variable holding the header value or the OAuth client secret.") String secretEnv;
        @ArgGroup(exclusive = true) Bound bound;

        @Override
        public Integer call() {
            String secret = ClientOptions.ENVIRONMENT.get().get(secretEnv);
            if (secret == null || secret.isEmpty()) throw new IllegalArgumentException("environment variable " + secretEnv + " is not set");
            Map<String, Object> body = new LinkedHashMap<>();
            if (kind.header != null) {
                body.put("type", "header");
                body.put("headerName", kind.header);
            } else {
                if (clientId == null) throw new IllegalArgumentException("--client-id is required with --oauth-token-url");
                body.put("type", "oauth_client_credentials");
                body.put("tokenUrl", kind.tokenUrl);
                body.put("clientId", clientId);
                if (scope != null) body.put("scope", scope);
            }
            if (bound != null) {
                body.put("identity", bound.identity);
                body.put("owner", bound.owner);
                body.values().removeIf(v -> v == null);
            }
            body.put("secret", secret);
            printObject(client().put(path(server), body), FIELDS);
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Describe a tool server's upstream credential (never the secret).")
    static final class Show extends ClientCommand {
        @Parameters(paramLabel = "SERVER") String server;
        @ArgGroup(exclusive = true) Bound bound;

        @Override
        public Integer call() {
            printObject(client().get(path(server) + Bound.query(bound)), FIELDS);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a tool server's upstream credentials, bound and server-wide.")
    static final class ListCmd extends ClientCommand {
        @Parameters(paramLabel = "SERVER") String server;

        @Override
        public Integer call() {
            printItems(client().get("v1/tool-servers/" + GatehouseClient.segment(server) + "/upstream-credentials"), "identity", "owner", "type",
                    "headerName", "version", "updatedAt");
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a tool server's upstream credential.")
    static final class Remove extends ClientCommand {
        @Parameters(paramLabel = "SERVER") String server;
        @ArgGroup(exclusive = true) Bound bound;

        @Override
        public Integer call() {
            client().delete(path(server) + Bound.query(bound));
            out().println("removed the upstream credential of " + server
                    + (bound == null ? "" : bound.identity != null ? " for identity " + bound.identity : " for owner " + bound.owner));
            out().flush();
            return 0;
        }
    }
}
