package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code gatehouse keys list|rotate}. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Token signing keys.",
        subcommands = {KeysCommand.ListKeys.class, KeysCommand.Rotate.class})
public final class KeysCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List signing keys (public parts and lifecycle).")
    static final class ListKeys implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            JsonNode keys = client.client().get("v1/keys");
            PrintWriter out = spec.commandLine().getOut();
            if (client.json()) {
                ClientOptions.printJson(out, keys);
                return 0;
            }
            Table t = new Table("KID", "ALG", "STATUS", "CREATED", "VERIFIES UNTIL");
            for (JsonNode k : keys.path("items")) {
                t.row(k.path("kid").asText(), k.path("alg").asText(), k.path("status").asText(), k.path("createdAt").asText(),
                        k.hasNonNull("verifyUntil") ? k.get("verifyUntil").asText() : null);
            }
            t.print(out);
            return 0;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Rotate: a new key signs from now on; earlier keys verify until their last token expires.")
    static final class Rotate implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            JsonNode key = client.client().post("v1/keys/rotate", Map.of());
            PrintWriter out = spec.commandLine().getOut();
            if (client.json()) {
                ClientOptions.printJson(out, key);
            } else {
                out.println("new signing key " + key.path("kid").asText() + " (" + key.path("alg").asText() + ") is active");
                out.flush();
            }
            return 0;
        }
    }
}
