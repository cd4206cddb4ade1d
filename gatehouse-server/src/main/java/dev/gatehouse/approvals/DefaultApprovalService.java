package dev.gatehouse.approvals;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.core.Page;
import dev.gatehouse.core.Problem;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.DecisionRequest;
import dev.gatehouse.policy.DecisionService;
import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.registry.ScopePatterns;
import dev.gatehouse.registry.Vocabulary.IdentityKind;
import dev.gatehouse.store.StoreException;
import dev.gatehouse.store.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Approvals over the store. Every state change and its audit record (and webhook notification)
 * commit in one transaction; the audit record is written last, as {@code JdbcAuditLog} requires.
 * Refusals (an ineligible approver, a second decision) are audited after the rollback.
 */
public final class DefaultApprovalService implements ApprovalService {
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern TOOL_PATTERN = Pattern.compile(
            "\\*|[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?/(?:\\*|[A-Za-z0-9_.\\-]{1,128})");
    private static final int MAX_SUMMARY = 4000;

    private final Transactions tx;
    private final ApprovalRepository repo;
    private final RegistryService registry;
    private final AuditLog audit;
    private final ApprovalNotifier notifier;
    private final Clock clock;
    private final Secrets secrets;
    private final ApprovalSettings settings;
    private final DecisionService decisions;
    private final BreakGlassReviews reviews;

    public DefaultApprovalService(Transactions tx, RegistryService registry, AuditLog audit, ApprovalNotifier notifier, Clock clock,
                                  Secrets secrets, ApprovalSettings settings, DecisionService decisions, BreakGlassReviews reviews) {
        this.tx = tx;
        this.repo = new ApprovalRepository(tx);
        this.registry = registry;
        this.audit = audit;
        this.notifier = notifier;
        this.clock = clock;
        this.secrets = secrets;
        this.settings = settings;
        this.decisions = decisions;
        this.reviews = reviews;
    }

    @Override
    public ApprovalRequest hold(HeldCall call) {
        HeldCall c = validate(call);
        try {
            return holdOnce(c);
        } catch (StoreException e) {
            // Another node opened the request for this very call a moment ago: wait on that one.
            if (!e.isUniqueViolation()) throw e;
            return tx.inTransaction(() -> repo.pendingFor(c.taskId(), c.toolId(), c.argumentsDigest(), clock.instant()))
                    .orElseThrow(() -> e);
        }
    }

    private ApprovalRequest holdOnce(HeldCall c) {
        return tx.inTransaction(() -> {
            Instant now = clock.instant();
            Optional<ApprovalRequest> existing = repo.pendingFor(c.taskId(), c.toolId(), c.argumentsDigest(), now);
            if (existing.isPresent()) return existing.get(); // a retry of the same held call waits on the same request
            // A human said no to this exact call in this task: the denial stands (the agent gets its reason) instead
            // of asking the approvers again on every retry. Changed arguments or a new task make a new request.
            Optional<ApprovalRequest> denied = repo.deniedFor(c.taskId(), c.toolId(), c.argumentsDigest(), now);
            if (denied.isPresent()) return denied.get();
            repo.releaseExpiredPending(c.taskId(), c.toolId(), c.argumentsDigest(), now);
            ApprovalRequest request = new ApprovalRequest(secrets.newId("apr_"), c, "pending", now, now.plus(settings.requestTtl()),
                    null, null, null);
            repo.insert(request);
            notifier.notify("approval.requested", notification(request));
            audit.record(event("approval.requested", "hold", "identity:" + c.identity(), request)
                    .withDetail(detail(request, Map.of("expiresAt", request.expiresAt().toString(), "approvers", c.approvers()))));
            return request;
        });
    }

    @Override
    public boolean consumeGrant(String taskId, String toolId, String argumentsDigest) {
        if (taskId == null || toolId == null || argumentsDigest == null) return false;
        String digest = argumentsDigest.toLowerCase(Locale.ROOT);
        try {
            return tx.inTransaction(() -> {
                Instant now = clock.instant();
                for (String id : repo.usableGrants(taskId, toolId, digest, now)) {
                    if (repo.markUsed(id, now)) {
                        ApprovalRequest used = repo.find(id, now, false).orElseThrow();
                        audit.record(event("approval.grant.consumed", "success", "identity:" + used.call().identity(), used)
                                .withReason("one-time grant used").withDetail(detail(used, Map.of("decidedBy", used.decidedBy()))));
                        return true;
                    }
                }
                return false;
            });
        } catch (StoreException e) {
            // An engine that reports a concurrent update of the same row instead of waiting: the other consumer won.
            if (isConcurrentUpdate(e)) return false;
            throw e;
        }
    }

    @Override
    public boolean breakGlassCovers(String identityId, String toolId) {
        if (identityId == null || toolId == null) return false;
        return tx.inTransaction(() -> {
            Instant now = clock.instant();
            for (BreakGlassGrant g : repo.activeGrants(identityId, now)) {
                // Emergency access lives only as long as the standing of the human who gave it: suspending or
                // retiring that person (e.g. a compromised account) ends their grants on the next call.
                boolean giverActive = registry.find(g.grantedBy()).map(Identity::isActive).orElse(false);
                if (giverActive && g.scope().stream().anyMatch(p -> covers(p, toolId))) {
                    audit.record(AuditEvent.of("breakglass.used", AuditEvent.Category.PRIVILEGED, "success", "identity:" + identityId)
                            .withSubject(identityId, null, null).withAction("breakglass.use", toolId)
                            .withReason("break-glass grant " + g.id() + " by " + g.grantedBy())
                            .withDetail(Map.of("grant", g.id(), "grantedBy", g.grantedBy(), "expiresAt", g.expiresAt().toString())));
                    return true;
                }
            }
            return false;
        });
    }

    @Override
    public ApprovalRequest get(String id) {
        return tx.inTransaction(() -> repo.find(id, clock.instant(), false))
                .orElseThrow(() -> new Problem.NotFound("approval request '" + id + "' not found"));
    }

    @Override
    public Page<ApprovalRequest> list(ApprovalQuery query) {
        if (query.status() != null && !ApprovalQuery.STATUSES.contains(query.status())) {
            throw new Problem.Invalid("status", "status must be one of pending, approved, denied, expired, used");
        }
        if (query.limit() < 1 || query.limit() > 1000) throw new Problem.Invalid("limit", "limit must be between 1 and 1000");
        List<ApprovalRequest> rows = tx.inTransaction(() -> repo.list(query, clock.instant()));
        if (rows.size() <= query.limit()) return new Page<>(rows, null);
        List<ApprovalRequest> page = rows.subList(0, query.limit());
        return new Page<>(List.copyOf(page), page.get(page.size() - 1).id());
    }

    @Override
    public List<ApprovalRequest> decidableBy(String human) {
        return tx.inTransaction(() -> {
            List<ApprovalRequest> out = new ArrayList<>();
            for (ApprovalRequest r : repo.list(new ApprovalQuery("pending", null, null, null, 1000, null), clock.instant())) {
                try {
                    checkEligible(r, human);
                    out.add(r);
                } catch (Problem.Forbidden notEligible) {
                    // not this person's to decide
                }
            }
            return out.size() > 1000 ? List.copyOf(out.subList(0, 1000)) : out;
        });
    }

    @Override
    public ApprovalRequest approve(String id, String approver, ApproverProof proof, String reason) {
        return decide(id, approver, proof, "approved", clean(reason, false));
    }

    @Override
    public ApprovalRequest deny(String id, String approver, ApproverProof proof, String reason) {
        return decide(id, approver, proof, "denied", clean(reason, true));
    }

    private ApprovalRequest decide(String id, String approver, ApproverProof proof, String outcome, String reason) {
        String actor = "human:" + approver;
        try {
            return tx.inTransaction(() -> {
                Instant now = clock.instant();
                requireFresh(proof, now);
                ApprovalRequest request = repo.find(id, now, true)
                        .orElseThrow(() -> new Problem.NotFound("approval request '" + id + "' not found"));
                if (!request.status().equals("pending")) {
                    throw new Problem.Conflict("approval request '" + id + "' is " + request.status() + ", not pending", "id");
                }
                checkEligible(request, approver);
                Instant expires = outcome.equals("approved") ? now.plus(settings.grantTtl()) : request.expiresAt();
                repo.decide(id, outcome, approver, reason, now, expires);
                ApprovalRequest decided = new ApprovalRequest(id, request.call(), outcome, request.createdAt(), expires, approver, reason, now);
                notifier.notify("approval." + outcome, notification(decided));
                audit.record(event("approval." + outcome, "success", actor, decided).withReason(reason)
                        .withDetail(detail(decided, outcome.equals("approved")
                                ? Map.of("grantExpiresAt", expires.toString(), "credential", proof.credential(), "factor", proof.factor())
                                : Map.of("credential", proof.credential(), "factor", proof.factor()))));
                return decided;
            });
        } catch (Problem.Forbidden | Problem.Conflict e) {
            audit.record(AuditEvent.of("approval.decision.refused", AuditEvent.Category.PRIVILEGED, "failure", actor)
                    .withAction("approval." + (outcome.equals("approved") ? "approve" : "deny"), id).withReason(e.getMessage())
                    .withDetail(proofDetail(proof)));
            throw e;
        }
    }

    /**
     * Four-eyes: an active human, named by one of the request's approvers (any one suffices), who is
     * neither the requester, any identity of its delegation chain, nor the human it acts for.
     */
    private void checkEligible(ApprovalRequest request, String approverId) {
        Identity approver = registry.find(approverId).orElseThrow(() -> new Problem.Forbidden("approver '" + approverId + "' is not a known identity"));
        if (approver.kind() != IdentityKind.HUMAN || !approver.isActive()) {
            throw new Problem.Forbidden("only an active human may decide an approval request");
        }
        HeldCall call = request.call();
        if (approverId.equals(call.identity()) || call.chain().contains(approverId)) {
            throw new Problem.Forbidden("the requester cannot approve its own call (four-eyes)");
        }
        if (approverId.equals(call.onBehalfOf())) {
            throw new Problem.Forbidden("the human on whose behalf the call is made cannot approve it (four-eyes)");
        }
        List<String> closure = null;
        for (String spec : call.approvers()) {
            if (spec.equals("owner")) {
                String owner = registry.find(call.identity()).map(Identity::owner).orElse(null);
                if (approverId.equals(owner)) return;
            } else if (spec.startsWith("group:")) {
                if (closure == null) closure = registry.groupClosure(approverId);
                if (closure.contains(spec.substring("group:".length()))) return;
            } else if (spec.equals(approverId)) {
                return;
            }
        }
        throw new Problem.Forbidden("'" + approverId + "' is not an approver of this request (approvers: " + String.join(", ", call.approvers()) + ")");
    }

    @Override
    public BreakGlassGrant breakGlass(BreakGlassSpec spec, String grantedBy, ApproverProof proof) {
        if (spec == null) throw new Problem.Invalid(null, "a break-glass request is required");
        if (spec.identity() == null || spec.identity().isBlank()) throw new Problem.Invalid("identity", "identity is required");
        if (spec.scope() == null || spec.scope().isEmpty()) {
            throw new Problem.Invalid("scope", "scope is required: tool patterns such as server/tool, server/* or *");
        }
        if (spec.scope().size() > 100) throw new Problem.Invalid("scope", "at most 100 tool patterns");
        List<String> scope = new ArrayList<>(new LinkedHashSet<>(spec.scope()));
        for (String p : scope) {
            if (p == null || !TOOL_PATTERN.matcher(p).matches()) {
                throw new Problem.Invalid("scope", "scope items must be tool patterns: server/tool, server/* or *");
            }
        }
        if (spec.ttlSeconds() == null || spec.ttlSeconds() < 1) throw new Problem.Invalid("ttlSeconds", "ttlSeconds is required and must be positive");
        long max = settings.breakGlassMaxTtl().toSeconds();
        if (spec.ttlSeconds() > max) {
            throw new Problem.Invalid("ttlSeconds", "ttlSeconds must be at most " + max + " (approvals.breakGlassMaxTtlSeconds)");
        }
        String justification = spec.justification() == null ? "" : spec.justification().strip();
        if (justification.length() < 10 || justification.length() > 2000) {
            throw new Problem.Invalid("justification", "a justification of 10 to 2000 characters is required");
        }
        requireFresh(proof, clock.instant()); // a stale proof learns nothing, not even what policy would say
        permittedByPolicy(grantedBy, spec.identity(), scope, spec.ttlSeconds(), justification, proof);
        return tx.inTransaction(() -> {
            Identity human = registry.find(grantedBy).orElseThrow(() -> new Problem.Forbidden("'" + grantedBy + "' is not a known identity"));
            if (human.kind() != IdentityKind.HUMAN || !human.isActive()) throw new Problem.Forbidden("only an active human may break glass");
            Identity target = registry.find(spec.identity())
                    .orElseThrow(() -> new Problem.Invalid("identity", "identity '" + spec.identity() + "' does not exist"));
            if (target.id().equals(grantedBy)) throw new Problem.Invalid("identity", "a human cannot break glass for itself");
            if (!target.isActive()) throw new Problem.Invalid("identity", "identity '" + target.id() + "' is not active");
            Instant now = clock.instant();
            BreakGlassGrant grant = new BreakGlassGrant(secrets.newId("bg_"), target.id(), List.copyOf(scope), justification, grantedBy, now,
                    now.plus(Duration.ofSeconds(spec.ttlSeconds())), "active", null, null);
            repo.insertGrant(grant);
            BreakGlassReview review = reviews.open(grant);
            Map<String, Object> data = new LinkedHashMap<>(breakGlassData(grant));
            data.put("review", review.id());
            data.put("reviewDueAt", review.dueAt().toString());
            notifier.notify("breakglass.granted", data);
            Map<String, Object> detail = new LinkedHashMap<>(data);
            detail.put("severity", "critical");
            detail.put("credential", proof.credential());
            detail.put("factor", proof.factor());
            audit.record(AuditEvent.of("breakglass.granted", AuditEvent.Category.PRIVILEGED, "success", "human:" + grantedBy)
                    .withSubject(target.id(), target.kind().name().toLowerCase(Locale.ROOT), target.owner())
                    .withAction("breakglass.grant", target.id()).withReason(justification).withDetail(detail));
            return grant;
        });
    }

    /**
     * Who may break glass for whom is policy: Cedar action {@code breakglass}, the human as principal and the target
     * as resource. Anything but an allow (a hold included: an emergency does not wait in a queue) refuses, and the
     * refusal is audited and notified in its own right, since a refused emergency grant is news for the security team.
     */
    private void permittedByPolicy(String human, String target, List<String> scope, int ttlSeconds, String justification, ApproverProof proof) {
        Identity identity = registry.find(target)
                .orElseThrow(() -> new Problem.Invalid("identity", "identity '" + target + "' does not exist"));
        if (identity.kind() == IdentityKind.HUMAN) {
            throw new Problem.Invalid("identity", "break-glass gives a workload or agent emergency access; '" + target + "' is a human");
        }
        Decision decision = decisions.decide(new DecisionRequest(DecisionRequest.EntityRef.of("human", human), "breakglass",
                DecisionRequest.EntityRef.of(identity.kind().wire(), target),
                Map.of("breakglass", Map.of("scope", scope, "ttlSeconds", (long) ttlSeconds, "ownerAllowed", settings.breakGlassOwnerAllowed()))));
        if (decision instanceof Decision.Allow) return;
        String reason = decision instanceof Decision.Deny d ? d.reason() : "approval_required";
        List<String> policies = decision instanceof Decision.Deny d ? d.policies() : decision instanceof Decision.Hold h ? h.policies() : List.of();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("identity", target);
        data.put("requestedBy", human);
        data.put("scope", scope);
        data.put("ttlSeconds", ttlSeconds);
        data.put("reason", reason);
        data.put("policies", policies);
        Map<String, Object> detail = new LinkedHashMap<>(data);
        detail.put("severity", "critical");
        detail.put("credential", proof.credential());
        detail.put("factor", proof.factor());
        tx.run(() -> {
            notifier.notify("breakglass.refused", data);
            audit.record(AuditEvent.of("breakglass.refused", AuditEvent.Category.PRIVILEGED, "failure", "human:" + human)
                    .withSubject(target, identity.kind().wire(), identity.owner())
                    .withAction("breakglass.grant", target).withReason(justification).withDetail(detail));
        });
        throw new Problem.Forbidden("policy does not let '" + human + "' break glass for '" + target + "' (" + reason + ")");
    }

    @Override
    public List<BreakGlassGrant> breakGlassGrants(String identity, boolean activeOnly) {
        return tx.inTransaction(() -> repo.grants(identity, activeOnly, clock.instant()));
    }

    @Override
    public BreakGlassGrant revokeBreakGlass(String id, String actor) {
        return tx.inTransaction(() -> {
            Instant now = clock.instant();
            BreakGlassGrant g = repo.findGrant(id, now).orElseThrow(() -> new Problem.NotFound("break-glass grant '" + id + "' not found"));
            if (!g.status().equals("active")) throw new Problem.Conflict("break-glass grant '" + id + "' is already " + g.status(), "id");
            repo.revokeGrant(id, now, actor);
            BreakGlassGrant revoked = new BreakGlassGrant(g.id(), g.identity(), g.scope(), g.justification(), g.grantedBy(), g.createdAt(),
                    g.expiresAt(), "revoked", now, actor);
            notifier.notify("breakglass.revoked", breakGlassData(revoked));
            audit.record(AuditEvent.of("breakglass.revoked", AuditEvent.Category.PRIVILEGED, "success", actor)
                    .withSubject(g.identity(), null, null).withAction("breakglass.revoke", g.identity())
                    .withDetail(Map.of("grant", g.id(), "severity", "critical")));
            return revoked;
        });
    }

    /**
     * Deciding for others and breaking glass need a proof of the person no older than the step-up age: a
     * console session signed in hours ago, or a factor proved before the break, is not enough.
     */
    private void requireFresh(ApproverProof proof, Instant now) {
        if (proof == null) throw new Problem.Forbidden("step_up_required", "a second factor is required to decide");
        if (proof.provedAt().isBefore(now.minus(settings.stepUpMaxAge())) || proof.provedAt().isAfter(now.plusSeconds(5))) {
            throw new Problem.Forbidden("step_up_required", "the second factor (" + proof.factor() + ") is older than "
                    + settings.stepUpMaxAge().toSeconds() + " s: prove it again to decide");
        }
    }

    private static Map<String, Object> proofDetail(ApproverProof proof) {
        return proof == null ? Map.of("credential", "none") : Map.of("credential", proof.credential(), "factor", proof.factor());
    }

    private static HeldCall validate(HeldCall c) {
        if (c == null) throw new Problem.Invalid(null, "a held call is required");
        require(c.identity(), "identity");
        require(c.taskId(), "taskId");
        require(c.toolId(), "toolId");
        String digest = c.argumentsDigest() == null ? null : c.argumentsDigest().toLowerCase(Locale.ROOT);
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw new Problem.Invalid("argumentsDigest", "argumentsDigest must be a hex SHA-256");
        }
        if (c.approvers() == null || c.approvers().isEmpty() || c.approvers().stream().anyMatch(a -> a == null || a.isBlank())) {
            throw new Problem.Invalid("approvers", "a held call needs at least one approver (owner, group:<id> or a human id)");
        }
        List<String> chain = c.chain() == null || c.chain().isEmpty() ? List.of(c.identity()) : List.copyOf(c.chain());
        String summary = clip(c.summary() == null ? "" : c.summary(), MAX_SUMMARY);
        String intent = c.intent() == null ? null : clip(c.intent(), 2000);
        if (c.toolId().length() > 300) throw new Problem.Invalid("toolId", "toolId must be at most 300 characters");
        if (String.join(",", c.approvers()).length() > 3000 || (c.policies() != null && String.join(",", c.policies()).length() > 7000)) {
            throw new Problem.Invalid("policies", "too many or too long policy ids or approvers");
        }
        return new HeldCall(c.identity(), chain, c.onBehalfOf() == null || c.onBehalfOf().isBlank() ? null : c.onBehalfOf(), c.taskId(),
                intent, c.toolId(), digest, summary, c.risk(), c.policies() == null ? List.of() : List.copyOf(c.policies()),
                List.copyOf(new LinkedHashSet<>(c.approvers())));
    }

    /** Shortens text shown to people (summary, intent) instead of refusing the held call over its length. */
    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) throw new Problem.Invalid(field, field + " is required");
    }

    private static String clean(String reason, boolean required) {
        String r = reason == null ? "" : reason.strip();
        if (required && r.isEmpty()) throw new Problem.Invalid("reason", "a reason is required to deny: the agent is told it");
        if (r.length() > 2000) throw new Problem.Invalid("reason", "reason must be at most 2000 characters");
        return r.isEmpty() ? null : r;
    }

    /** Same pattern semantics as declared scopes: {@code *}, {@code server/*}, or an exact tool id. */
    static boolean covers(String pattern, String toolId) {
        return ScopePatterns.covers(pattern, toolId);
    }

    private static boolean isConcurrentUpdate(StoreException e) {
        Throwable t = e.getCause();
        if (t instanceof java.sql.SQLException s) {
            // H2: 90131 concurrent update; PostgreSQL: 40001 serialization failure, 40P01 deadlock.
            return s.getErrorCode() == 90131 || "40001".equals(s.getSQLState()) || "40P01".equals(s.getSQLState());
        }
        return false;
    }

    /** An event about a request; the subject's kind and owner come from the inventory so audit queries by owner find it. */
    private AuditEvent event(String type, String outcome, String actor, ApprovalRequest r) {
        HeldCall c = r.call();
        Optional<Identity> subject = registry.find(c.identity());
        return AuditEvent.of(type, AuditEvent.Category.PRIVILEGED, outcome, actor)
                .withSubject(c.identity(), subject.map(i -> i.kind().name().toLowerCase(Locale.ROOT)).orElse(null),
                        subject.map(Identity::owner).orElse(null))
                .withDelegation(c.onBehalfOf(), c.chain())
                .withTask(c.taskId(), null)
                .withAction(type, c.toolId())
                .withPolicy(c.policies(), null);
    }

    /** Identifies the exact call by digest; never raw arguments or the summary text. */
    private static Map<String, Object> detail(ApprovalRequest r, Map<String, Object> extra) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("approval", r.id());
        d.put("argumentsDigest", r.call().argumentsDigest());
        if (r.call().risk() != null) d.put("risk", r.call().risk());
        d.putAll(extra);
        return d;
    }

    private static Map<String, Object> notification(ApprovalRequest r) {
        HeldCall c = r.call();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("approval", r.id());
        d.put("status", r.status());
        d.put("identity", c.identity());
        d.put("chain", c.chain());
        d.put("onBehalfOf", c.onBehalfOf());
        d.put("task", c.taskId());
        d.put("intent", c.intent());
        d.put("tool", c.toolId());
        d.put("argumentsDigest", c.argumentsDigest());
        d.put("summary", c.summary());
        d.put("risk", c.risk());
        d.put("policies", c.policies());
        d.put("approvers", c.approvers());
        d.put("createdAt", r.createdAt().toString());
        d.put("expiresAt", r.expiresAt().toString());
        d.put("decidedBy", r.decidedBy());
        d.put("reason", r.reason());
        d.put("link", "/v1/approvals/" + r.id());
        return d;
    }

    private static Map<String, Object> breakGlassData(BreakGlassGrant g) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("grant", g.id());
        d.put("identity", g.identity());
        d.put("scope", g.scope());
        d.put("justification", g.justification());
        d.put("grantedBy", g.grantedBy());
        d.put("createdAt", g.createdAt().toString());
        d.put("expiresAt", g.expiresAt().toString());
        d.put("status", g.status());
        if (g.revokedBy() != null) d.put("revokedBy", g.revokedBy());
        return d;
    }
}
