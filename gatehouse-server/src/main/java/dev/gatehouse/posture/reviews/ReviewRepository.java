package dev.gatehouse.posture.reviews;

import dev.gatehouse.core.Json;
import dev.gatehouse.registry.Scope;
import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** SQL of access reviews and their items; used inside the caller's transaction. */
final class ReviewRepository {
    private static final String REVIEW = "id, name, scope_json, due_at, on_missed, status, created_at, created_by, closed_at, closed_by";
    private static final String ITEM = "review_id, identity_id, owner_id, decision, scope_json, comment, decided_by, decided_at, outcome";

    /** A review row without its items. */
    record Row(String id, String name, ReviewScope scope, Instant dueAt, OnMissed onMissed, String status, Instant createdAt,
               String createdBy, Instant closedAt, String closedBy) {}

    /** An item row as stored. */
    record Item(String reviewId, String identity, String owner, ReviewDecision decision, Scope scope, String comment, String decidedBy,
                Instant decidedAt, String outcome) {}

    private final Transactions tx;

    ReviewRepository(Transactions tx) { this.tx = tx; }

    void insert(Row r) {
        Sql.update(tx.connection(), "INSERT INTO access_reviews (" + REVIEW + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", r.id(), r.name(),
                Json.write(r.scope()), r.dueAt(), r.onMissed().wire(), r.status(), r.createdAt(), r.createdBy(), null, null);
    }

    void insertItem(String reviewId, String identity, String owner) {
        Sql.update(tx.connection(), "INSERT INTO access_review_items (review_id, identity_id, owner_id) VALUES (?, ?, ?)", reviewId, identity, owner);
    }

    Optional<Row> find(String id) {
        return Sql.one(tx.connection(), "SELECT " + REVIEW + " FROM access_reviews WHERE id = ?", ReviewRepository::row, id);
    }

    List<Row> list(String status, int limit) {
        return status == null
                ? Sql.query(tx.connection(), "SELECT " + REVIEW + " FROM access_reviews ORDER BY created_at DESC, id LIMIT " + limit, ReviewRepository::row)
                : Sql.query(tx.connection(), "SELECT " + REVIEW + " FROM access_reviews WHERE status = ? ORDER BY created_at DESC, id LIMIT " + limit,
                        ReviewRepository::row, status);
    }

    List<Row> openDueBy(Instant at) {
        return Sql.query(tx.connection(), "SELECT " + REVIEW + " FROM access_reviews WHERE status = 'open' AND due_at <= ? ORDER BY due_at, id",
                ReviewRepository::row, at);
    }

    List<Item> items(String reviewId) {
        return Sql.query(tx.connection(), "SELECT " + ITEM + " FROM access_review_items WHERE review_id = ? ORDER BY identity_id",
                ReviewRepository::item, reviewId);
    }

    Optional<Item> item(String reviewId, String identity) {
        return Sql.one(tx.connection(), "SELECT " + ITEM + " FROM access_review_items WHERE review_id = ? AND identity_id = ?",
                ReviewRepository::item, reviewId, identity);
    }

    /** Records an answer; false when the item was answered first by someone else. */
    boolean decide(String reviewId, String identity, ReviewDecision decision, Scope scope, String comment, String actor, Instant at, String outcome) {
        return Sql.update(tx.connection(), "UPDATE access_review_items SET decision = ?, scope_json = ?, comment = ?, decided_by = ?, decided_at = ?, "
                + "outcome = ? WHERE review_id = ? AND identity_id = ? AND decision IS NULL", decision.wire(), scope == null ? null : Json.write(scope),
                comment, actor, at, outcome, reviewId, identity) == 1;
    }

    /** Closes an open review; false when it was closed already (by another node, an admin, or the deadline). */
    boolean close(String id, Instant at, String actor) {
        return Sql.update(tx.connection(), "UPDATE access_reviews SET status = 'closed', closed_at = ?, closed_by = ? WHERE id = ? AND status = 'open'",
                at, actor, id) == 1;
    }

    /** Marks every unanswered item missed, with the outcome to reach; returns their identities. */
    List<String> markMissed(String reviewId, Instant at, String actor, String outcome) {
        List<String> missed = Sql.query(tx.connection(), "SELECT identity_id FROM access_review_items WHERE review_id = ? AND decision IS NULL "
                + "ORDER BY identity_id", r -> r.string("identity_id"), reviewId);
        Sql.update(tx.connection(), "UPDATE access_review_items SET decision = 'missed', decided_by = ?, decided_at = ?, outcome = ? "
                + "WHERE review_id = ? AND decision IS NULL", actor, at, outcome, reviewId);
        return missed;
    }

    /** Missed items whose suspension has not happened yet, across closed reviews. */
    List<Item> pendingMissed() {
        return Sql.query(tx.connection(), "SELECT " + ITEM + " FROM access_review_items WHERE decision = 'missed' AND outcome = 'pending' "
                + "ORDER BY review_id, identity_id LIMIT 500", ReviewRepository::item);
    }

    boolean settle(String reviewId, String identity, String outcome) {
        return Sql.update(tx.connection(), "UPDATE access_review_items SET outcome = ? WHERE review_id = ? AND identity_id = ? AND outcome = 'pending'",
                outcome, reviewId, identity) == 1;
    }

    private static Row row(Sql.Row r) throws SQLException {
        return new Row(r.string("id"), r.string("name"), Json.read(r.string("scope_json"), ReviewScope.class), r.instant("due_at"),
                OnMissed.parse(r.string("on_missed")), r.string("status"), r.instant("created_at"), r.string("created_by"),
                r.instant("closed_at"), r.string("closed_by"));
    }

    private static Item item(Sql.Row r) throws SQLException {
        String decision = r.string("decision");
        String scope = r.string("scope_json");
        return new Item(r.string("review_id"), r.string("identity_id"), r.string("owner_id"),
                decision == null ? null : decision.equals("missed") ? ReviewDecision.MISSED : ReviewDecision.parse(decision),
                scope == null ? null : Json.read(scope, Scope.class), r.string("comment"), r.string("decided_by"), r.instant("decided_at"),
                r.string("outcome"));
    }
}
