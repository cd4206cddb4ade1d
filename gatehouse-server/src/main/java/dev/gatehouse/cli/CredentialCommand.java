package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
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

/** {@code gatehouse credential add|list|rotate|revoke}: client credentials of workloads and agents. */
@Command(name = "credential", mixinStandardHelpOptions = true, description = "Client credentials of workloads and agents.",
        subcommands = {CredentialCommand.Add.class, CredentialCommand.ListCredentials.class, CredentialCommand.Rotate.class,
                CredentialCommand.Revoke.class})
public final class CredentialCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a credential. A client secret is printed once; only its hash is kept.")
    static final class Add implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "IDENTITY") String identity;
        @Option(names = "--type", required = true, description = "client_secret, private_key_jwt or federated.") String type;
        @Option(names = "--jwk-file", description = "private_key_jwt: file with the client's PUBLIC key as a JWK.") Path jwkFile;
        @Option(names = "--issuer", description = "federated: the trusted external issuer.") String issuer;
        @Option(names = "--subject", description = "federated: the external subject (e.g. system:serviceaccount:ns:name).") String subject;
        @Option(names = "--expires-at", description = "Expiry (ISO-8601 instant); client secrets default to 90 days.") String expiresAt;

        @Override
        public Integer call() throws IOException {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", type);
            if (jwkFile != null) body.put("jwk", JSON.readTree(Files.readString(jwkFile)));
            if (issuer != null) body.put("issuer", issuer);
            if (subject != null) body.put("subject", subject);
            if (expiresAt != null) body.put("expiresAt", expiresAt);
            JsonNode created = client.client().post("v1/identities/" + identity + "/credentials", body);
            PrintWriter out = spec.commandLine().getOut();
            if (client.json()) {
                ClientOptions.printJson(out, created);
                return 0;
            }
            out.println("credential " + created.path("id").asText() + " (" + created.path("type").asText() + ") added to " + identity);
            out.println("client_id: " + created.path("clientId").asText());
            if (created.hasNonNull("secret")) {
                out.println("secret:    " + created.get("secret").asText());
                out.println("The secret is shown only now; Gatehouse keeps only its hash.");
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List an identity's credentials (never secrets).")
    static final class ListCredentials implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "IDENTITY") String identity;

        @Override
        public Integer call() {
            JsonNode list = client.client().get("v1/identities/" + identity + "/credentials");
            PrintWriter out = spec.commandLine().getOut();
            if (client.json()) {
                ClientOptions.printJson(out, list);
                return 0;
            }
            Table t = new Table("ID", "TYPE", "STATUS", "CREATED", "EXPIRES", "LAST USED", "DETAIL");
            for (JsonNode c : list.path("items")) {
                String detail = c.hasNonNull("issuer") ? c.get("issuer").asText() + " " + c.path("subject").asText()
                        : c.hasNonNull("jwkThumbprint") ? "jwk " + c.get("jwkThumbprint").asText() : null;
                t.row(c.path("id").asText(), c.path("type").asText(), c.path("status").asText(), c.path("createdAt").asText(),
                        text(c, "expiresAt"), text(c, "lastUsed"), detail);
            }
            t.print(out);
            return 0;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Rotate: a new secret (the old one works for the overlap window) or a new public key.")
    static final class Rotate implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "IDENTITY") String identity;
        @Parameters(index = "1", paramLabel = "CREDENTIAL") String credential;
        @Option(names = "--overlap", description = "Seconds the previous secret keeps working (default: server setting).") Integer overlap;
        @Option(names = "--jwk-file", description = "private_key_jwt: the new PUBLIC key as a JWK.") Path jwkFile;

        @Override
        public Integer call() throws IOException {
            Map<String, Object> body = new LinkedHashMap<>();
            if (overlap != null) body.put("overlapSeconds", overlap);
            if (jwkFile != null) body.put("jwk", JSON.readTree(Files.readString(jwkFile)));
            JsonNode rotated = client.client().post("v1/identities/" + identity + "/credentials/" + credential + "/rotate", body);
            PrintWriter out = spec.commandLine().getOut();
            if (client.json()) {
                ClientOptions.printJson(out, rotated);
                return 0;
            }
            out.println("credential " + credential + " rotated");
            if (rotated.hasNonNull("secret")) {
                out.println("secret:    " + rotated.get("secret").asText());
                if (rotated.hasNonNull("previousValidUntil")) {
                    out.println("The previous secret keeps working until " + rotated.get("previousValidUntil").asText() + ".");
                }
                out.println("The secret is shown only now; Gatehouse keeps only its hash.");
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a credential at once.")
    static final class Revoke implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "IDENTITY") String identity;
        @Parameters(index = "1", paramLabel = "CREDENTIAL") String credential;

        @Override
        public Integer call() {
            JsonNode revoked = client.client().post("v1/identities/" + identity + "/credentials/" + credential + "/revoke", Map.of());
            PrintWriter out = spec.commandLine().getOut();
            if (client.json()) {
                ClientOptions.printJson(out, revoked);
            } else {
                out.println("credential " + credential + " revoked");
                out.flush();
            }
            return 0;
        }
    }

    private static String text(JsonNode n, String field) { return n.hasNonNull(field) ? n.get(field).asText() : null; }
}
