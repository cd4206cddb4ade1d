package dev.gatehouse.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The auditor's four answers for one task, token or identity, derived only from audit records
 * (so they carry the chain's guarantees): who requested access, which identity type, what policy
 * decided, and how access ended.
 *
 * @param about  what {@code id} named
 * @param events the records the answers were drawn from, oldest first
 */
public record Trace(String id, About about, Who who, List<PolicyUse> policy, Ending ending, List<ObjectNode> events) {

    /** Which kind of id was traced. */
    public enum About {
        TASK, TOKEN, IDENTITY;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** The acting identity, its kind and owner, the human it acted for and the delegation chain. */
    public record Who(String identity, String identityKind, String owner, String onBehalfOf, List<String> chain, String startedBy) {}

    /**
     * One application of policy: in which {@code step} (a {@code tool call} as the gateway enforced it, an {@code http call} through a proxy's ext_authz, the
     * {@code scope check} of token issuance, a {@code delegation}, or a {@code decision} an application asked
     * for), what was asked, the outcome, which policies determined it, which version.
     */
    public record PolicyUse(long seq, String time, String step, String principal, String action, String resource, String decision,
                            List<String> policies, String policyVersion) {}

    /** How access ended, or that it has not: {@code ended} tells the two apart on the wire. */
    public sealed interface Ending permits Ended, StillActive {
        @com.fasterxml.jackson.annotation.JsonProperty("ended")
        boolean ended();
    }

    /** Access ended at {@code time} with the {@code event}, performed by {@code by}, for {@code why}. */
    public record Ended(String time, String event, String by, String why) implements Ending {
        @Override public boolean ended() { return true; }
    }

    /** Nothing has ended the access yet; it lapses at {@code expiresAt} when one is known. */
    public record StillActive(String expiresAt) implements Ending {
        @Override public boolean ended() { return false; }
    }

    /** Event types after which a traced task or token no longer exists. */
    static final Set<String> TERMINAL = Set.of("task.completed", "task.expired", "task.revoked", "token.revoked",
            "token.expired", "identity.suspend", "identity.retire");

    /** An identity's access ends only with its own lifecycle: one of its tasks or tokens ending is not the identity's end. */
    static final Set<String> IDENTITY_TERMINAL = Set.of("identity.suspend", "identity.retire");

    /** Builds the answers from {@code records} (seq order), which hold the traced object's events and its identities' lifecycle. */
    static Trace of(String id, About about, List<ObjectNode> records) {
        String identity = about == About.IDENTITY ? id : null;
        String kind = null, owner = null, onBehalfOf = null, startedBy = null;
        List<String> chain = List.of();
        for (ObjectNode r : records) {
            if (!isOwn(id, about, r)) continue;
            if (identity == null) identity = text(r, "subject");
            if (id.equals(text(r, "subject")) || identity != null && identity.equals(text(r, "subject"))) {
                if (text(r, "subjectKind") != null) kind = text(r, "subjectKind");
                if (text(r, "owner") != null) owner = text(r, "owner");
            }
            if (onBehalfOf == null) onBehalfOf = text(r, "onBehalfOf");
            if (chain.isEmpty() && r.has("chain") && r.get("chain").size() > 0) {
                List<String> c = new ArrayList<>();
                r.get("chain").forEach(n -> c.add(n.asText()));
                chain = List.copyOf(c);
            }
            String type = text(r, "type");
            if (startedBy == null && ("task.started".equals(type) || "token.issued".equals(type) || "identity.create".equals(type))) {
                startedBy = text(r, "actor");
            }
        }

        List<PolicyUse> policy = new ArrayList<>();
        for (ObjectNode r : records) {
            String step = step(r);
            if (step == null) continue;
            List<String> ids = new ArrayList<>();
            if (r.has("policies")) r.get("policies").forEach(n -> ids.add(n.asText()));
            policy.add(new PolicyUse(r.get("seq").asLong(), text(r, "time"), step, text(r, "subject"), text(r, "action"),
                    text(r, "resource"), text(r, "outcome"), ids, text(r, "policyVersion")));
        }

        Ending ending = null;
        String expiresAt = null;
        long started = Long.MAX_VALUE;
        for (ObjectNode r : records) {
            if (isOwn(id, about, r)) started = Math.min(started, r.get("seq").asLong());
        }
        for (ObjectNode r : records) {
            // A task or token cannot have been ended by what happened to its identity before it existed.
            if (about != About.IDENTITY && r.get("seq").asLong() < started) continue;
            String type = text(r, "type");
            JsonNode detail = r.get("detail");
            if (detail != null && detail.hasNonNull("expiresAt")) expiresAt = detail.get("expiresAt").asText();
            boolean aboutSubject = identity != null && identity.equals(text(r, "subject"));
            boolean aboutOwner = owner != null && owner.equals(text(r, "subject"));
            boolean terminal = about == About.IDENTITY
                    ? IDENTITY_TERMINAL.contains(type) && (aboutSubject || aboutOwner)
                    : TERMINAL.contains(type) && (aboutSubject || aboutOwner || id.equals(text(r, "task")) || id.equals(text(r, "tokenId")));
            if (about == About.IDENTITY && aboutSubject && "identity.reactivate".equals(type)) {
                ending = null; // a suspension ended access only until this reactivation
                continue;
            }
            if (terminal && (ending == null || about == About.IDENTITY && aboutSubject)) {
                if (aboutOwner && !type.equals("identity.retire")) continue; // an owner's suspension is not an offboarding
                String why = aboutOwner ? "owner " + owner + " offboarded" + reasonSuffix(r) : text(r, "reason");
                ending = new Ended(text(r, "time"), type, text(r, "actor"), why);
            }
        }
        if (ending == null) ending = new StillActive(expiresAt);
        return new Trace(id, about, new Who(identity, kind, owner, onBehalfOf, chain, startedBy), policy, ending, records);
    }

    /**
     * Which step of the loop applied policy in this record, or null when it is not listed: the gateway's
     * per-hop decisions (and its tools/list filtering) are summed up by the {@code gateway.call} record of
     * the call, which states what actually happened to it.
     */
    private static String step(ObjectNode r) {
        String type = text(r, "type");
        if ("gateway.call".equals(type)) return "tool call";
        if ("http.call".equals(type)) return "http call";
        if (!"policy.decision".equals(type)) return null;
        String purpose = r.path("detail").path("purpose").asText("");
        if (purpose.equals("scope_check")) return "scope check";
        if (purpose.equals("delegation")) return "delegation";
        return "system".equals(text(r, "actor")) ? null : "decision";
    }

    private static boolean isOwn(String id, About about, ObjectNode r) {
        return switch (about) {
            case TASK -> id.equals(text(r, "task"));
            case TOKEN -> id.equals(text(r, "tokenId"));
            case IDENTITY -> id.equals(text(r, "subject"));
        };
    }

    private static String reasonSuffix(ObjectNode r) {
        String reason = text(r, "reason");
        return reason == null ? "" : " (" + reason + ")";
    }

    private static String text(JsonNode r, String field) {
        JsonNode v = r.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
