package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.client.ClientAssertions;
import dev.gatehouse.client.GatehouseClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gatehouse token issue|introspect|revoke}. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Task tokens: obtain, inspect, revoke.",
        subcommands = {TokenCommand.Issue.class, TokenCommand.Exchange.class, TokenCommand.Introspect.class, TokenCommand.Revoke.class})
public final class TokenCommand {

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Obtain a task token as a workload or agent (client_credentials). Prints the token; -o json for the full response.")
    static final class Issue implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;
        @Option(names = "--client-id", required = true, description = "The identity id.") String clientId;
        @Option(names = "--secret-file", description = "File holding the client secret (default: GATEHOUSE_CLIENT_SECRET).") Path secretFile;
        @Option(names = "--key-file", description = "private_key_jwt: file holding the client's PRIVATE key as a JWK.") Path keyFile;
        @Option(names = "--intent", required = true, description = "What the task is for.") String intent;
        @Option(names = "--scope", description = "Tool patterns and effects, e.g. \"github/list_issues read\" (default: the declared scope).") String scope;
        @Option(names = "--ttl", description = "Lifetime in seconds (default 600, capped by the server).") Integer ttl;

        @Override
        public Integer call() throws IOException {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "client_credentials");
            form.put("task_intent", intent);
            form.put("scope", scope);
            form.put("ttl", ttl == null ? null : ttl.toString());
            printIssued(spec, client, postAsClient(client.client(), clientId, secretFile, keyFile, form));
            return 0;
        }
    }

    @Command(name = "exchange", mixinStandardHelpOptions = true,
            description = "Delegate a task token to another workload or agent (RFC 8693 token exchange), authenticating as that actor. "
                    + "Prints the delegated token; -o json for the full response.")
    static final class Exchange implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;
        @Option(names = "--client-id", required = true, description = "The actor: the identity the task is delegated to.") String clientId;
        @Option(names = "--secret-file", description = "File holding the actor's client secret (default: GATEHOUSE_CLIENT_SECRET).") Path secretFile;
        @Option(names = "--key-file", description = "private_key_jwt: file holding the actor's PRIVATE key as a JWK.") Path keyFile;
        @Option(names = "--subject-token-file", required = true, description = "File holding the task token being delegated ('-': standard input).")
        Path subjectTokenFile;
        @Option(names = "--scope", description = "Part of the subject token's scope to delegate (default: all the actor may have).") String scope;
        @Option(names = "--ttl", description = "Lifetime in seconds (never beyond the subject token or the task).") Integer ttl;

        @Override
        public Integer call() throws IOException {
            String subject = (subjectTokenFile.toString().equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : readSecretFile(subjectTokenFile, "--subject-token-file")).strip();
            if (subject.isEmpty()) throw new IllegalArgumentException("--subject-token-file is empty");
            Map<String, String> form = new LinkedHashMap<>(GatehouseClient.exchangeForm(subject, scope, ttl));
            printIssued(spec, client, postAsClient(client.client(), clientId, secretFile, keyFile, form));
            return 0;
        }
    }

    /** Posts a token request authenticated as {@code clientId}: a client secret (file or GATEHOUSE_CLIENT_SECRET) or a private-key assertion. */
    static JsonNode postAsClient(GatehouseClient api, String clientId, Path secretFile, Path keyFile, Map<String, String> form) {
        if (keyFile != null) {
            String tokenEndpoint = api.get(".well-known/oauth-authorization-server").path("token_endpoint").asText();
            form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
            try {
                form.put("client_assertion", ClientAssertions.sign(clientId, tokenEndpoint, readSecretFile(keyFile, "--key-file")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--key-file: " + e.getMessage());
            }
            return new GatehouseClient(api.base(), null).postForm("oauth2/token", form, null, null);
        }
        String secret = secretFile != null ? readSecretFile(secretFile, "--secret-file").strip()
                : ClientOptions.ENVIRONMENT.get().get("GATEHOUSE_CLIENT_SECRET");
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("give the client secret with --secret-file or GATEHOUSE_CLIENT_SECRET (never on the command line)");
        }
        return api.postForm("oauth2/token", form, clientId, secret);
    }

    private static String readSecretFile(Path file, String option) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(option + " " + file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + file + ": cannot read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The token alone on stdout ({@code TOKEN=$(gatehouse token …)}); what it is for goes to stderr, for the person. */
    static void printIssued(CommandSpec spec, ClientOptions client, JsonNode response) {
        PrintWriter out = spec.commandLine().getOut();
        if (client.json()) {
            ClientOptions.printJson(out, response);
            return;
        }
        out.println(response.path("access_token").asText());
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        err.println("task " + response.path("task_id").asText() + ", scope '" + response.path("scope").asText()
                + "', expires in " + response.path("expires_in").asLong() + " s");
        err.flush();
    }

    @Command(name = "introspect", mixinStandardHelpOptions = true, description = "Is this token live? (RFC 7662, admin token)")
    static final class Introspect implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "TOKEN") String token;

        @Override
        public Integer call() {
            JsonNode result = client.client().postForm("oauth2/introspect", Map.of("token", token), null, null);
            PrintWriter out = spec.commandLine().getOut();
            if (client.json()) {
                ClientOptions.printJson(out, result);
                return 0;
            }
            Table t = new Table("CLAIM", "VALUE");
            result.properties().forEach(e -> t.row(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
            t.print(out);
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a token and every token delegated from it (RFC 7009), a whole task (--task), or everything an identity holds (--identity; a human: everything they own).")
    static final class Revoke implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;
        @Parameters(index = "0", arity = "0..1", paramLabel = "TOKEN") String token;
        @Option(names = "--task", description = "Complete this task, revoking all its tokens.") String task;
        @Option(names = "--identity", description = "Revoke every task, token and credential of this identity.") String identity;
        @Option(names = "--reason", description = "Why (recorded; required with --identity).") String reason;

        @Override
        public Integer call() {
            int given = (token != null ? 1 : 0) + (task != null ? 1 : 0) + (identity != null ? 1 : 0);
            if (given != 1) throw new IllegalArgumentException("give exactly one of TOKEN, --task or --identity");
            PrintWriter out = spec.commandLine().getOut();
            if (token != null) {
                client.client().postForm("oauth2/revoke", Map.of("token", token), null, null);
                out.println("revoked");
            } else if (task != null) {
                Map<String, String> body = new LinkedHashMap<>();
                if (reason != null) body.put("reason", reason);
                client.client().post("v1/tasks/" + task + "/complete", body);
                out.println("task " + task + " completed; its tokens are revoked");
            } else {
                Map<String, String> body = new LinkedHashMap<>();
                body.put("reason", reason);
                JsonNode counts = client.client().post("v1/identities/" + identity + "/revoke-all", body);
                out.println("revoked " + counts.path("tasks").asInt() + " tasks, " + counts.path("tokens").asInt() + " tokens, "
                        + counts.path("credentials").asInt() + " credentials of " + identity);
            }
            out.flush();
            return 0;
        }
    }
}
