package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.client.GatehouseClient;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse approvals list|show|approve|deny|token}. Approve and deny act as the human whose
 * approver token is in GATEHOUSE_TOKEN; {@code token} is the admin side (issue, list, revoke).
 */
@Command(name = "approvals", mixinStandardHelpOptions = true, description = "Held calls awaiting a human decision.",
        subcommands = {ApprovalsCommand.ListApprovals.class, ApprovalsCommand.Show.class, ApprovalsCommand.Approve.class,
                ApprovalsCommand.Deny.class, ApprovalsCommand.Token.class})
public final class ApprovalsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List approval requests, newest first.")
    static final class ListApprovals implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;
        @Option(names = "--status", description = "pending, approved, denied, expired or used.") String status;
        @Option(names = "--identity", description = "Only requests of this identity.") String identity;
        @Option(names = "--task", description = "Only requests of this task.") String task;
        @Option(names = "--tool", description = "Only requests for this tool (server/tool).") String tool;
        @Option(names = "--limit", description = "At most this many (default 100).") Integer limit;
        @Option(names = "--mine", description = "Only pending requests you may decide (approver token).") boolean mine;

        @Override
        public Integer call() {
            Map<String, String> q = new LinkedHashMap<>();
            if (mine) q.put("decidableBy", "me");
            q.put("status", status);
            q.put("identity", identity);
            q.put("task", task);
            q.put("tool", tool);
            q.put("limit", limit == null ? null : limit.toString());
            JsonNode page = client.client().get("v1/approvals", q);
            PrintWriter out = spec.commandLine().getOut();
            if (client.json()) {
                ClientOptions.printJson(out, page);
                return 0;
            }
            Table t = new Table("ID", "STATUS", "IDENTITY", "TOOL", "RISK", "TASK", "EXPIRES", "SUMMARY");
            for (JsonNode a : page.path("items")) {
                JsonNode c = a.path("call");
                t.row(a.path("id").asText(), a.path("status").asText(), c.path("identity").asText(), c.path("toolId").asText(),
                        c.path("risk").asText(""), c.path("taskId").asText(), a.path("expiresAt").asText(), c.path("summary").asText(""));
            }
            t.print(out);
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one approval request.")
    static final class Show implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "ID") String id;

        @Override
        public Integer call() {
            print(spec.commandLine().getOut(), client, client.client().get("v1/approvals/" + GatehouseClient.segment(id)));
            return 0;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve a held call as yourself (GATEHOUSE_TOKEN = your approver token): that exact call may run once.")
    static final class Approve implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "ID") String id;
        @Option(names = "--reason", description = "Why (recorded, e.g. a change ticket).") String reason;

        @Override
        public Integer call() {
            Map<String, String> body = new LinkedHashMap<>();
            if (reason != null) body.put("reason", reason);
            print(spec.commandLine().getOut(), client, client.client().post("v1/approvals/" + GatehouseClient.segment(id) + "/approve", body));
            return 0;
        }
    }

    @Command(name = "deny", mixinStandardHelpOptions = true,
            description = "Deny a held call as yourself (GATEHOUSE_TOKEN = your approver token); the agent receives the reason.")
    static final class Deny implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "ID") String id;
        @Option(names = "--reason", required = true, description = "Why (required; the agent is told).") String reason;

        @Override
        public Integer call() {
            print(spec.commandLine().getOut(), client,
                    client.client().post("v1/approvals/" + GatehouseClient.segment(id) + "/deny", Map.of("reason", reason)));
            return 0;
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true, description = "A human's approver tokens (admin).",
            subcommands = {IssueToken.class, ListTokens.class, RevokeToken.class})
    static final class Token {}

    @Command(name = "issue", mixinStandardHelpOptions = true, description = "Issue an approver token for a human; printed once.")
    static final class IssueToken implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "HUMAN") String human;
        @Option(names = "--name", description = "A label (e.g. the device).") String name;
        @Option(names = "--ttl", description = "Lifetime in seconds (default approvals.approverTokenTtlSeconds).") Integer ttl;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            if (name != null) body.put("name", name);
            if (ttl != null) body.put("ttlSeconds", ttl);
            JsonNode issued = client.client().post("v1/identities/" + GatehouseClient.segment(human) + "/approver-tokens", body);
            PrintWriter out = spec.commandLine().getOut();
            if (client.json()) {
                ClientOptions.printJson(out, issued);
                return 0;
            }
            out.println(issued.path("token").asText());
            spec.commandLine().getErr().println("approver token " + issued.path("info").path("id").asText() + " for " + human
                    + ", expires " + issued.path("info").path("expiresAt").asText() + "; it is shown only now");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a human's approver tokens (never their values).")
    static final class ListTokens implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "HUMAN") String human;

        @Override
        public Integer call() {
            JsonNode list = client.client().get("v1/identities/" + GatehouseClient.segment(human) + "/approver-tokens");
            PrintWriter out = spec.commandLine().getOut();
            if (client.json()) {
                ClientOptions.printJson(out, list);
                return 0;
            }
            Table t = new Table("ID", "NAME", "CREATED", "EXPIRES", "REVOKED", "LAST USED");
            for (JsonNode k : list.path("items")) {
                t.row(k.path("id").asText(), k.path("name").asText(), k.path("createdAt").asText(), k.path("expiresAt").asText(),
                        k.path("revokedAt").asText(""), k.path("lastUsed").asText(""));
            }
            t.print(out);
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a human's approver token.")
    static final class RevokeToken implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "HUMAN") String human;
        @Parameters(index = "1", paramLabel = "TOKEN_ID") String tokenId;

        @Override
        public Integer call() {
            JsonNode t = client.client().post("v1/identities/" + GatehouseClient.segment(human) + "/approver-tokens/"
                    + GatehouseClient.segment(tokenId) + "/revoke", Map.of());
            if (client.json()) ClientOptions.printJson(spec.commandLine().getOut(), t);
            else spec.commandLine().getOut().println("revoked approver token " + tokenId + " of " + human);
            return 0;
        }
    }

    static void print(PrintWriter out, ClientOptions client, JsonNode a) {
        if (client.json()) {
            ClientOptions.printJson(out, a);
            return;
        }
        JsonNode c = a.path("call");
        Table t = new Table("FIELD", "VALUE");
        t.row("id", a.path("id").asText());
        t.row("status", a.path("status").asText());
        t.row("identity", c.path("identity").asText());
        t.row("chain", String.join(" -> ", iterable(c.path("chain"))));
        if (c.hasNonNull("onBehalfOf")) t.row("onBehalfOf", c.path("onBehalfOf").asText());
        t.row("task", c.path("taskId").asText());
        if (c.hasNonNull("intent")) t.row("intent", c.path("intent").asText());
        t.row("tool", c.path("toolId").asText());
        if (c.hasNonNull("risk")) t.row("risk", c.path("risk").asText());
        t.row("summary", c.path("summary").asText(""));
        t.row("argumentsDigest", c.path("argumentsDigest").asText());
        t.row("policies", String.join(", ", iterable(c.path("policies"))));
        t.row("approvers", String.join(", ", iterable(c.path("approvers"))));
        t.row("createdAt", a.path("createdAt").asText());
        t.row("expiresAt", a.path("expiresAt").asText());
        for (String f : new String[] {"decidedBy", "decidedAt", "reason"}) {
            if (a.hasNonNull(f)) t.row(f, a.get(f).asText());
        }
        t.print(out);
    }

    private static java.util.List<String> iterable(JsonNode array) {
        java.util.List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
