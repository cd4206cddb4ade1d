package dev.gatehouse.posture.reviews;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.core.Problem;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.credentials.ClientCredential;
import dev.gatehouse.credentials.CredentialService;
import dev.gatehouse.posture.activity.UsageService;
import dev.gatehouse.posture.notify.Notices;
import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.IdentityUpdate;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.registry.Scope;
import dev.gatehouse.registry.ScopePatterns;
import dev.gatehouse.registry.Vocabulary.IdentityKind;
import dev.gatehouse.registry.Vocabulary.IdentityStatus;
import dev.gatehouse.store.Transactions;
import dev.gatehouse.webhook.Notifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Access reviews (periodic recertification): every workload and agent in scope becomes an item its
 * owner answers — keep, reduce (the new scope applies at once) or revoke (the identity is retired).
 * At the deadline, or when an admin closes the review, unanswered items are missed and get the
 * review's {@link OnMissed}. Owners answer with their own approver token (an admin may answer for
 * anyone); every step is audited and owners are told through the posture webhook.
 */
public final class ReviewService {
    public static final String SYSTEM = "system:posture";
    private static final int USAGE_DAYS = 30;
    private static final Duration MAX_DURATION = Duration.ofDays(366);

    private final Transactions tx;
    private final ReviewRepository repo;
    private final RegistryService registry;
    private final CredentialService credentials;
    private final UsageService usage;
    private final AuditLog audit;
    private final Notifier notifier;
    private final Notices notices;
    private final Secrets secrets;
    private final Clock clock;
    private final Duration reminderBeforeDue;

    public ReviewService(Transactions tx, RegistryService registry, CredentialService credentials, UsageService usage, AuditLog audit,
                         Notifier notifier, Notices notices, Secrets secrets, Clock clock, Duration reminderBeforeDue) {
        this.tx = tx;
        this.repo = new ReviewRepository(tx);
        this.registry = registry;
        this.credentials = credentials;
        this.usage = usage;
        this.audit = audit;
        this.notifier = notifier;
        this.notices = notices;
        this.secrets = secrets;
        this.clock = clock;
        this.reminderBeforeDue = reminderBeforeDue;
    }

    // --- opening

    public AccessReview create(ReviewSpec spec, String actor) {
        if (spec == null) throw new Problem.Invalid(null, "a review is required: {name, scope, dueAt, onMissed}");
        String name = spec.name() == null ? "" : spec.name().strip();
        if (name.isEmpty() || name.length() > 200) throw new Problem.Invalid("name", "name is required (at most 200 characters)");
        ReviewScope scope = spec.scope() == null ? new ReviewScope(null, null, null) : spec.scope();
        if (scope.kinds().contains(IdentityKind.HUMAN)) {
            throw new Problem.Invalid("scope.kinds", "reviews cover workloads and agents (their owners answer for them); humans have no owner");
        }
        Instant now = clock.instant();
        if (spec.dueAt() == null || !spec.dueAt().isAfter(now)) throw new Problem.Invalid("dueAt", "dueAt is required and must be in the future");
        if (spec.dueAt().isAfter(now.plus(MAX_DURATION))) throw new Problem.Invalid("dueAt", "dueAt must be within a year");
        if (spec.onMissed() == null) throw new Problem.Invalid("onMissed", "onMissed is required: suspend or none");
        String id = secrets.newId("rev_");
        return tx.inTransaction(() -> {
            List<Identity> covered = new ArrayList<>();
            for (Identity i : registry.listAll()) {
                if (i.status() != IdentityStatus.RETIRED && scope.covers(i)) covered.add(i);
            }
            if (covered.isEmpty()) throw new Problem.Invalid("scope", "no active or suspended workload or agent matches this scope");
            repo.insert(new ReviewRepository.Row(id, name, scope, spec.dueAt(), spec.onMissed(), "open", now, actor, null, null));
            Map<String, List<String>> byOwner = new TreeMap<>();
            for (Identity i : covered) {
                repo.insertItem(id, i.id(), i.owner());
                byOwner.computeIfAbsent(i.owner() == null ? "" : i.owner(), k -> new ArrayList<>()).add(i.id());
            }
            audit.record(AuditEvent.of("review.created", AuditEvent.Category.PRIVILEGED, "success", actor).withAction("review.create", id)
                    .withDetail(Map.of("name", name, "items", covered.size(), "dueAt", spec.dueAt().toString(), "onMissed", spec.onMissed().wire())));
            byOwner.forEach((owner, ids) -> notifier.notify("review.assigned", notice(id, name, spec.dueAt(), owner, ids)));
            return view(repo.find(id).orElseThrow(), null);
        });
    }

    // --- reading

    /** The review with every item; for an approver ({@code human} not null), only the items that human owns. */
    public AccessReview get(String id, String human) {
        ReviewRepository.Row row = tx.inTransaction(() -> repo.find(id)).orElseThrow(() -> new Problem.NotFound("review '" + id + "' not found"));
        return view(row, human);
    }

    public List<AccessReview> list(String status, int limit) {
        if (status != null && !status.equals("open") && !status.equals("closed")) throw new Problem.Invalid("status", "status must be open or closed");
        if (limit < 1 || limit > 1000) throw new Problem.Invalid("limit", "limit must be between 1 and 1000");
        return tx.inTransaction(() -> {
            List<AccessReview> out = new ArrayList<>();
            for (ReviewRepository.Row r : repo.list(status, limit)) out.add(summary(r, repo.items(r.id())).withItems(null));
            return out;
        });
    }

    private AccessReview view(ReviewRepository.Row row, String human) {
        List<ReviewRepository.Item> items = tx.inTransaction(() -> repo.items(row.id()));
        List<ReviewItem> out = new ArrayList<>();
        for (ReviewRepository.Item item : items) {
            if (human != null && !human.equals(item.owner())) continue;
            out.add(enrich(item));
        }
        return summary(row, items).withItems(out);
    }

    private static AccessReview summary(ReviewRepository.Row r, List<ReviewRepository.Item> items) {
        int[] n = new int[5];
        for (ReviewRepository.Item i : items) {
            if (i.decision() == null) n[0]++;
            else n[i.decision().ordinal() + 1]++;
        }
        return new AccessReview(r.id(), r.name(), r.scope(), r.dueAt(), r.onMissed(), r.status(), r.createdAt(), r.createdBy(), r.closedAt(),
                r.closedBy(), new AccessReview.Counts(items.size(), n[0], n[1], n[2], n[3], n[4]), List.of());
    }

    private ReviewItem enrich(ReviewRepository.Item item) {
        Identity i = registry.find(item.identity()).orElse(null);
        if (i == null) {
            return new ReviewItem(item.identity(), null, null, item.owner(), null, "unknown", null, List.of(), null, null, item.decision(),
                    item.scope(), item.comment(), item.decidedBy(), item.decidedAt(), item.outcome());
        }
        Instant now = clock.instant();
        List<ReviewItem.CredentialAge> creds = new ArrayList<>();
        for (ClientCredential c : credentials.list(i.id())) {
            if (c.status().equals("revoked")) continue;
            Instant since = c.rotatedAt() == null ? c.createdAt() : c.rotatedAt();
            creds.add(new ReviewItem.CredentialAge(c.id(), c.type().wire(), c.status(), c.createdAt(), c.rotatedAt(),
                    Duration.between(since, now).toDays(), c.lastUsed(), c.expiresAt()));
        }
        return new ReviewItem(i.id(), i.kind().wire(), i.displayName(), item.owner(), i.environment(), i.status().wire(), i.scope(), creds,
                i.lastSeen(), usage.usage(i.id(), USAGE_DAYS), item.decision(), item.scope(), item.comment(), item.decidedBy(), item.decidedAt(),
                item.outcome());
    }

    // --- answering

    /**
     * Records an owner's answer and applies it in the same transaction. {@code human} is the answering person
     * (approver token), null for an admin; only the item's owner may answer as a person.
     */
    public ReviewItem decide(String reviewId, String identityId, ItemAnswer answer, String human, String actor) {
        if (answer == null || answer.decision() == null) throw new Problem.Invalid("decision", "decision is required: keep, reduce or revoke");
        String comment = answer.comment() == null || answer.comment().isBlank() ? null : answer.comment().strip();
        if (comment != null && comment.length() > 2000) throw new Problem.Invalid("comment", "comment is longer than 2000 characters");
        if (answer.decision() == ReviewDecision.REDUCE) {
            if (answer.scope() == null) throw new Problem.Invalid("scope", "reduce needs the new scope: {tools, effects}");
            Scope.validated(answer.scope());
        } else if (answer.scope() != null) {
            throw new Problem.Invalid("scope", "scope goes with reduce only");
        }
        if (answer.decision() == ReviewDecision.REVOKE && comment == null) {
            throw new Problem.Invalid("comment", "revoking retires the identity: say why in comment");
        }
        return tx.inTransaction(() -> {
            ReviewRepository.Row review = repo.find(reviewId).orElseThrow(() -> new Problem.NotFound("review '" + reviewId + "' not found"));
            ReviewRepository.Item item = repo.item(reviewId, identityId)
                    .orElseThrow(() -> new Problem.NotFound("identity '" + identityId + "' is not an item of review '" + reviewId + "'"));
            if (human != null && !human.equals(item.owner())) {
                throw new Problem.Forbidden("only the owner of '" + identityId + "' (or an admin) may answer for it");
            }
            if (!review.status().equals("open")) throw new Problem.Conflict("review '" + reviewId + "' is closed", "status");
            if (item.decision() != null) throw new Problem.Conflict("'" + identityId + "' was already answered: " + item.decision().wire(), "decision");
            Identity identity = registry.get(identityId);
            String why = "access review '" + review.name() + "'" + (comment == null ? "" : ": " + comment);
            String outcome = switch (answer.decision()) {
                case KEEP -> identity.status() == IdentityStatus.RETIRED ? "skipped: retired" : "kept";
                case REDUCE -> {
                    requireNarrowing(identity.scope(), answer.scope());
                    registry.update(identityId, new IdentityUpdate(null, null, null, null, null, answer.scope(), null, null, null, null, null), actor);
                    yield "scope_reduced";
                }
                case REVOKE -> {
                    registry.retire(identityId, why, actor);
                    yield "retired";
                }
                case MISSED -> throw new IllegalStateException();
            };
            Instant now = clock.instant();
            if (!repo.decide(reviewId, identityId, answer.decision(), answer.scope(), comment, actor, now, outcome)) {
                throw new Problem.Conflict("'" + identityId + "' was answered concurrently", "decision");
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("review", reviewId);
            detail.put("decision", answer.decision().wire());
            detail.put("outcome", outcome);
            if (answer.scope() != null) detail.put("scope", answer.scope());
            audit.record(AuditEvent.of("review.decided", AuditEvent.Category.PRIVILEGED, "success", actor)
                    .withSubject(identity.id(), identity.kind().wire(), identity.owner()).withAction("review.decide", reviewId)
                    .withReason(comment).withDetail(detail));
            return enrich(repo.item(reviewId, identityId).orElseThrow());
        });
    }

    /** A reduction may only narrow: every new pattern inside a declared one, and no new effect. */
    private static void requireNarrowing(Scope declared, Scope reduced) {
        Scope current = declared == null ? new Scope(List.of(), null) : declared;
        for (int n = 0; n < reduced.tools().size(); n++) {
            String p = reduced.tools().get(n);
            if (current.tools().stream().noneMatch(d -> ScopePatterns.covers(d, p))) {
                throw new Problem.Invalid("scope.tools[" + n + "]", "'" + p + "' is not inside the declared scope; a review can only reduce");
            }
        }
        if (!current.effects().containsAll(reduced.effects())) {
            throw new Problem.Invalid("scope.effects", "a review can only reduce: effects must be among " + current.effects());
        }
    }

    // --- closing

    /** Closes an open review now: unanswered items are missed and get the review's onMissed. */
    public AccessReview close(String id, String actor) {
        boolean closed = tx.inTransaction(() -> {
            ReviewRepository.Row review = repo.find(id).orElseThrow(() -> new Problem.NotFound("review '" + id + "' not found"));
            if (!repo.close(id, clock.instant(), actor)) throw new Problem.Conflict("review '" + id + "' is already closed", "status");
            List<String> missed = repo.markMissed(id, clock.instant(), actor, review.onMissed() == OnMissed.SUSPEND ? "pending" : "none");
            for (String identity : missed) {
                Identity i = registry.find(identity).orElse(null);
                audit.record(AuditEvent.of("review.missed", AuditEvent.Category.PRIVILEGED, "success", actor)
                        .withSubject(identity, i == null ? null : i.kind().wire(), i == null ? null : i.owner())
                        .withAction("review.close", id).withReason("no answer by " + review.dueAt())
                        .withDetail(Map.of("review", id, "onMissed", review.onMissed().wire())));
            }
            audit.record(AuditEvent.of("review.closed", AuditEvent.Category.PRIVILEGED, "success", actor).withAction("review.close", id)
                    .withDetail(Map.of("name", review.name(), "missed", missed.size(), "onMissed", review.onMissed().wire())));
            return true;
        });
        if (closed) applyMissed();
        return get(id, null);
    }

    /** Closes every open review past its deadline (the scheduler; safe on several nodes at once). Returns how many it closed. */
    public int closeDue() {
        int n = 0;
        for (ReviewRepository.Row r : tx.inTransaction(() -> repo.openDueBy(clock.instant()))) {
            try {
                close(r.id(), SYSTEM);
                n++;
            } catch (Problem.Conflict alreadyClosed) {
                // another node (or an admin) closed it first
            }
        }
        applyMissed();
        return n;
    }

    /**
     * Suspends the identities of missed items of {@code suspend} reviews, each in its own transaction (the
     * identity is locked before posture rows, as everywhere); retried by the scheduler until settled.
     */
    public int applyMissed() {
        int suspended = 0;
        for (ReviewRepository.Item item : tx.inTransaction(repo::pendingMissed)) {
            String name = tx.inTransaction(() -> repo.find(item.reviewId())).map(ReviewRepository.Row::name).orElse(item.reviewId());
            String outcome;
            try {
                outcome = tx.inTransaction(() -> {
                    registry.suspend(item.identity(), "access review '" + name + "' missed its deadline", item.decidedBy());
                    return repo.settle(item.reviewId(), item.identity(), "suspended") ? "suspended" : "raced";
                });
                if (outcome.equals("suspended")) suspended++;
            } catch (Problem.Conflict | Problem.NotFound moot) {
                String status = registry.find(item.identity()).map(i -> i.status().wire()).orElse("unknown");
                tx.run(() -> repo.settle(item.reviewId(), item.identity(), "skipped: " + status));
            }
        }
        return suspended;
    }

    // --- reminders

    /** Reminds each owner with unanswered items once, when an open review is within the reminder period of its deadline. */
    public int remind() {
        Instant now = clock.instant();
        int sent = 0;
        for (ReviewRepository.Row r : tx.inTransaction(() -> repo.openDueBy(now.plus(reminderBeforeDue)))) {
            Map<String, List<String>> pending = new TreeMap<>();
            for (ReviewRepository.Item i : tx.inTransaction(() -> repo.items(r.id()))) {
                if (i.decision() == null) pending.computeIfAbsent(i.owner() == null ? "" : i.owner(), k -> new ArrayList<>()).add(i.identity());
            }
            for (Map.Entry<String, List<String>> e : pending.entrySet()) {
                boolean first = tx.inTransaction(() -> {
                    if (!notices.firstTime("review:" + r.id() + ":reminder:" + e.getKey())) return false;
                    audit.record(AuditEvent.of("review.reminded", AuditEvent.Category.ACCESS, "success", SYSTEM)
                            .withSubject(e.getKey().isEmpty() ? null : e.getKey(), e.getKey().isEmpty() ? null : "human", null)
                            .withAction("review.remind", r.id()).withDetail(Map.of("items", e.getValue().size(), "dueAt", r.dueAt().toString())));
                    notifier.notify("review.reminder", notice(r.id(), r.name(), r.dueAt(), e.getKey(), e.getValue()));
                    return true;
                });
                if (first) sent++;
            }
        }
        return sent;
    }

    private static Map<String, Object> notice(String id, String name, Instant dueAt, String owner, List<String> identities) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("review", id);
        data.put("name", name);
        data.put("dueAt", dueAt.toString());
        data.put("owner", owner.isEmpty() ? null : owner);
        data.put("identities", identities);
        data.values().removeIf(v -> v == null);
        return data;
    }

}
