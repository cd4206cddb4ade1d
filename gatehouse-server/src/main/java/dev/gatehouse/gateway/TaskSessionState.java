package dev.gatehouse.gateway;

import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import java.time.Clock;

/**
 * The per-task session state every gateway node shares through the store: the task's taint (the
 * highest classification level it has read through any tool; it only rises) and its call count.
 */
public final class TaskSessionState {
    /** What policies see as {@code context.session}. */
    public record State(int taintLevel, long calls) {
        static final State NONE = new State(0, 0);
    }

    private final Transactions tx;
    private final Clock clock;

    public TaskSessionState(Transactions tx, Clock clock) {
        this.tx = tx;
        this.clock = clock;
    }

    public State get(String taskId) {
        return tx.inTransaction(() -> Sql.one(tx.connection(), "SELECT taint_level, calls FROM gateway_task_state WHERE task_id = ?",
                r -> new State((int) r.longOr("taint_level", 0), r.longOr("calls", 0)), taskId).orElse(State.NONE));
    }

    /** Raises the taint to {@code level} if higher and counts one tool call if {@code countCall}; returns the new state. */
    State recordCall(String taskId, int level, boolean countCall) {
        return tx.inTransaction(() -> {
            // Locking the task row serialises concurrent calls of one task, so the first insert cannot race.
            Sql.one(tx.connection(), "SELECT id FROM tasks WHERE id = ? FOR UPDATE", r -> r.string("id"), taskId);
            State current = Sql.one(tx.connection(), "SELECT taint_level, calls FROM gateway_task_state WHERE task_id = ?",
                    r -> new State((int) r.longOr("taint_level", 0), r.longOr("calls", 0)), taskId).orElse(null);
            State next = new State(Math.max(level, current == null ? 0 : current.taintLevel()), (current == null ? 0 : current.calls()) + (countCall ? 1 : 0));
            if (current == null) {
                Sql.update(tx.connection(), "INSERT INTO gateway_task_state (task_id, taint_level, calls, updated_at) VALUES (?, ?, ?, ?)",
                        taskId, next.taintLevel(), next.calls(), clock.instant());
            } else {
                Sql.update(tx.connection(), "UPDATE gateway_task_state SET taint_level = ?, calls = ?, updated_at = ? WHERE task_id = ?",
                        next.taintLevel(), next.calls(), clock.instant(), taskId);
            }
            return next;
        });
    }
}
