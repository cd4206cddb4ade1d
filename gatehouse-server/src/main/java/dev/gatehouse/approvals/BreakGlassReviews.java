package dev.gatehouse.approvals;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.core.Problem;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.registry.Vocabulary.IdentityKind;
import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Review items of break-glass grants ({@code breakglass_reviews}): opened with every grant, in its transaction,
 * and closed by an approver other than the one who broke glass. Open past the deadline they read as overdue.
 * A later access-review feature may fold these in; until then they are their own small list.
 */
public final class BreakGlassReviews {
    private static final String COLUMNS = "id, grant_id, identity_id, granted_by, created_at, due_at, status, closed_by, closed_at, outcome, note";
    private static final Set<String> OUTCOMES = Set.of("appropriate", "inappropriate");

    private final Transactions tx;
    private final RegistryService registry;
    private final AuditLog audit;
    private final Clock clock;
    private final Secrets secrets;
    private final Duration window;

    /** @param window how long after a grant its review must be closed ({@code approvals.breakGlassReviewSeconds}) */
    public BreakGlassReviews(Transactions tx, RegistryService registry, AuditLog audit, Clock clock, Secrets secrets, Duration window) {
        this.tx = tx;
        this.registry = registry;
        this.audit = audit;
        this.clock = clock;
        this.secrets = secrets;
        this.window = window;
    }

    /** Opens the review of {@code grant}; must run in the grant's transaction, so no grant exists without one. */
    BreakGlassReview open(BreakGlassGrant grant) {
        String id = secrets.newId("bgr_");
        Instant due = grant.createdAt().plus(window);
        Sql.update(tx.connection(), "INSERT INTO breakglass_reviews (id, grant_id, identity_id, granted_by, created_at, due_at, status) "
                + "VALUES (?, ?, ?, ?, ?, ?, 'open')", id, grant.id(), grant.identity(), grant.grantedBy(), grant.createdAt(), due);
        return new BreakGlassReview(id, grant.id(), grant.identity(), grant.grantedBy(), grant.createdAt(), due, "open", null, null, null, null);
    }

    /** Reviews, oldest deadline first; {@code status} (open, overdue, closed) filters, null lists all. */
    public List<BreakGlassReview> list(String status) {
        if (status != null && !Set.of("open", "overdue", "closed").contains(status)) {
            throw new Problem.Invalid("status", "status must be open, overdue or closed");
        }
        Instant now = clock.instant();
        return tx.inTransaction(() -> Sql.query(tx.connection(), "SELECT " + COLUMNS + " FROM breakglass_reviews ORDER BY due_at, id",
                        r -> review(r, now)))
                .stream().filter(r -> status == null || r.status().equals(status)).toList();
    }

    /** Closes a review as {@code reviewer} (an active human other than the one who broke glass). */
    public BreakGlassReview close(String id, String reviewer, String credential, String outcome, String note) {
        if (outcome == null || !OUTCOMES.contains(outcome)) throw new Problem.Invalid("outcome", "outcome must be appropriate or inappropriate");
        String text = note == null ? "" : note.strip();
        if (text.length() > 2000) throw new Problem.Invalid("note", "note is longer than 2000 characters");
        if ("inappropriate".equals(outcome) && text.length() < 10) {
            throw new Problem.Invalid("note", "an inappropriate break-glass needs a note of at least 10 characters saying why");
        }
        return tx.inTransaction(() -> {
            Instant now = clock.instant();
            BreakGlassReview r = Sql.one(tx.connection(), "SELECT " + COLUMNS + " FROM breakglass_reviews WHERE id = ? FOR UPDATE",
                    row -> review(row, now), id).orElseThrow(() -> new Problem.NotFound("break-glass review '" + id + "' not found"));
            if (r.status().equals("closed")) throw new Problem.Conflict("break-glass review '" + id + "' is already closed", "id");
            Identity human = registry.find(reviewer).orElseThrow(() -> new Problem.Forbidden("'" + reviewer + "' is not a known identity"));
            if (human.kind() != IdentityKind.HUMAN || !human.isActive()) throw new Problem.Forbidden("only an active human may close a review");
            if (reviewer.equals(r.grantedBy())) {
                throw new Problem.Forbidden("the human who broke glass cannot review it; another approver must");
            }
            Sql.update(tx.connection(), "UPDATE breakglass_reviews SET status = 'closed', closed_by = ?, closed_at = ?, outcome = ?, note = ? "
                    + "WHERE id = ?", reviewer, now, outcome, text, id);
            audit.record(AuditEvent.of("breakglass.review.closed", AuditEvent.Category.PRIVILEGED, "success", "human:" + reviewer)
                    .withSubject(r.identity(), null, null).withAction("breakglass.review", r.grant()).withReason(text.isEmpty() ? outcome : text)
                    .withDetail(Map.of("review", id, "grant", r.grant(), "outcome", outcome, "grantedBy", r.grantedBy(),
                            "overdue", r.status().equals("overdue"), "credential", credential == null ? "unknown" : "approver-token:" + credential)));
            return new BreakGlassReview(r.id(), r.grant(), r.identity(), r.grantedBy(), r.createdAt(), r.dueAt(), "closed", reviewer, now,
                    outcome, text);
        });
    }

    private static BreakGlassReview review(Sql.Row r, Instant now) throws SQLException {
        String status = r.string("status");
        Instant due = r.instant("due_at");
        if (status.equals("open") && !due.isAfter(now)) status = "overdue";
        return new BreakGlassReview(r.string("id"), r.string("grant_id"), r.string("identity_id"), r.string("granted_by"),
                r.instant("created_at"), due, status, r.string("closed_by"), r.instant("closed_at"), r.string("outcome"), r.string("note"));
    }
}
