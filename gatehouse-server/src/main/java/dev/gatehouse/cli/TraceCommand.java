package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse trace <task-id | token-jti | identity-id>}: the auditor's four questions,
 * answered from the audit trail: who, which identity type, what policy, how access ended.
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Who requested access, which identity type, what policy applied and how access ended.")
public final class TraceCommand implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Spec CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", paramLabel = "ID", description = "A task id, token id (jti) or identity id.") String id;

    @Override
    public Integer call() {
        JsonNode t = client.client().get("v1/audit/trace/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8));
        PrintWriter out = spec.commandLine().getOut();
        if (client.json()) {
            ClientOptions.printJson(out, t);
            return 0;
        }
        JsonNode who = t.path("who");
        out.println("Trace of " + t.path("about").asText() + " " + t.path("id").asText() + " (" + t.path("events").size() + " audit events)");
        out.println();
        out.println("Who requested access");
        out.println("  identity:      " + or(who, "identity"));
        out.println("  owner:         " + or(who, "owner"));
        out.println("  on behalf of:  " + or(who, "onBehalfOf"));
        out.println("  delegation:    " + (who.path("chain").size() == 0 ? "none" : join(who.path("chain"))));
        out.println("  started by:    " + or(who, "startedBy"));
        out.println();
        out.println("Which identity type");
        out.println("  " + or(who, "identityKind"));
        out.println();
        out.println("What policy was applied");
        if (t.path("policy").size() == 0) {
            out.println("  no policy decisions recorded");
        } else {
            Table table = new Table("SEQ", "TIME", "STEP", "PRINCIPAL", "ACTION", "RESOURCE", "DECISION", "POLICIES", "VERSION");
            for (JsonNode p : t.path("policy")) {
                table.row(p.path("seq").asText(), p.path("time").asText(), AuditCommand.text(p, "step"), AuditCommand.text(p, "principal"),
                        AuditCommand.text(p, "action"), AuditCommand.text(p, "resource"), AuditCommand.text(p, "decision"),
                        p.path("policies").size() == 0 ? "-" : join(p.path("policies")), AuditCommand.text(p, "policyVersion"));
            }
            table.print(out);
        }
        out.println();
        out.println("How access ended");
        JsonNode end = t.path("ending");
        if (end.path("ended").asBoolean()) {
            out.println("  when:  " + or(end, "time"));
            out.println("  how:   " + or(end, "event"));
            out.println("  by:    " + or(end, "by"));
            out.println("  why:   " + or(end, "why"));
        } else {
            out.println("  still active" + (end.hasNonNull("expiresAt") ? ", expires at " + end.get("expiresAt").asText() : ""));
        }
        out.flush();
        return 0;
    }

    private static String or(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : "-";
    }

    private static String join(JsonNode array) {
        StringBuilder sb = new StringBuilder();
        array.forEach(v -> sb.append(sb.length() == 0 ? "" : " -> ").append(v.asText()));
        return sb.toString();
    }
}
