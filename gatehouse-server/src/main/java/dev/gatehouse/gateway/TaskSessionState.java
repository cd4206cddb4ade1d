package dev.gatehouse.gateway;

import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

/**
 * The session state every gateway node shares through the store: a task's taint (the highest
 * classification level it has read through any tool, resource or prompt; it only rises) and call
 * count, and the taint that follows identities across their tasks — so an agent that read a card
 * number in one task cannot send it out from a second one, nor through a delegate.
 */
final class TaskSessionState {
    /** What policies see as {@code context.session}. */
    record State(int taintLevel, int identityTaintLevel, long calls) {
        static final State NONE = new State(0, 0, 0);
    }

    private final Transactions tx;
    private final Clock clock;
    private final Duration identityWindow;

    /** @param identityWindow how long a read keeps tainting the identities that made it (across their tasks) */
    TaskSessionState(Transactions tx, Clock clock, Duration identityWindow) {
        this.tx = tx;
        this.clock = clock;
        this.identityWindow = identityWindow;
    }

    /** The state of a task, with the taint of the identities of its chain (every hop, the holder included). */
    State get(String taskId, List<String> chain) {
        return tx.inTransaction(() -> {
            State task = Sql.one(tx.connection(), "SELECT taint_level, calls FROM gateway_task_state WHERE task_id = ?",
                    r -> new State((int) r.longOr("taint_level", 0), 0, r.longOr("calls", 0)), taskId).orElse(State.NONE);
            return new State(task.taintLevel(), identityTaint(chain), task.calls());
        });
    }

    private int identityTaint(List<String> chain) {
        if (chain.isEmpty()) return 0;
        String marks = String.join(", ", Collections.nCopies(chain.size(), "?"));
        Object[] params = new Object[chain.size() + 1];
        for (int i = 0; i < chain.size(); i++) params[i] = chain.get(i);
        params[chain.size()] = clock.instant().minus(identityWindow);
        return Sql.one(tx.connection(), "SELECT MAX(level) AS level FROM gateway_identity_taint WHERE identity_id IN (" + marks
                + ") AND raised_at > ?", r -> (int) r.longOr("level", 0), params).orElse(0);
    }

    /**
     * Records a used feature whose result (or request payload) was of {@code level}: raises the task's
     * taint, counts a call if {@code countCall}, and, for a sensitive level, marks every identity of the
     * chain. Takes only the task row's lock and the gateway's own rows (lock order: tasks, then gateway
     * state), and never the audit head: the call's record is written on its own.
     */
    State record(String taskId, List<String> chain, int level, boolean countCall) {
        return tx.inTransaction(() -> {
            // Locking the task row serialises concurrent calls of one task, so the first insert cannot race.
            Sql.one(tx.connection(), "SELECT id FROM tasks WHERE id = ? FOR UPDATE", r -> r.string("id"), taskId);
            State current = Sql.one(tx.connection(), "SELECT taint_level, calls FROM gateway_task_state WHERE task_id = ?",
                    r -> new State((int) r.longOr("taint_level", 0), 0, r.longOr("calls", 0)), taskId).orElse(null);
            Instant now = clock.instant();
            int taint = Math.max(level, current == null ? 0 : current.taintLevel());
            long calls = (current == null ? 0 : current.calls()) + (countCall ? 1 : 0);
            if (current == null) {
                Sql.update(tx.connection(), "INSERT INTO gateway_task_state (task_id, taint_level, calls, updated_at) VALUES (?, ?, ?, ?)",
                        taskId, taint, calls, now);
            } else {
                Sql.update(tx.connection(), "UPDATE gateway_task_state SET taint_level = ?, calls = ?, updated_at = ? WHERE task_id = ?",
                        taint, calls, now, taskId);
            }
            if (level > 0) {
                // Append-only: concurrent tasks of one identity never contend for a row.
                Sql.batch(tx.connection(), "INSERT INTO gateway_identity_taint (identity_id, level, raised_at, task_id) VALUES (?, ?, ?, ?)",
                        chain.stream().distinct().map(id -> new Object[] {id, level, now, taskId}).toList());
            }
            return new State(taint, Math.max(level, identityTaint(chain)), calls);
        });
    }

    /** Forgets identity taint older than the window (run by the gateway's sweeper). */
    void expire() {
        tx.run(() -> Sql.update(tx.connection(), "DELETE FROM gateway_identity_taint WHERE raised_at <= ?", clock.instant().minus(identityWindow)));
    }
}
