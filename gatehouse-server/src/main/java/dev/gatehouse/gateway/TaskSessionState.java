package dev.gatehouse.gateway;

import dev.gatehouse.registry.Vocabulary.Effect;
import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

/**
 * The session state every gateway node shares through the store: a task's taint (the highest
 * classification level it has read through any tool, resource or prompt; it only rises) and its
 * calls — in all, by effect, and of each object — and the taint that follows identities across
 * their tasks, so an agent that read a card number in one task cannot send it out from a second one,
 * nor through a delegate.
 */
public final class TaskSessionState {
    /**
     * What policies see as {@code context.session}, before the call being decided.
     *
     * @param objectCalls calls this task made of the object being decided ({@code toolCalls})
     */
    public record State(int taintLevel, int identityTaintLevel, long calls, long reads, long writes, long executes, long objectCalls) {
        static final State NONE = new State(0, 0, 0, 0, 0, 0, 0);
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

    /** The state of a task for a use of {@code objectId}, with the taint of the identities of its chain (every hop). */
    public State get(String taskId, List<String> chain, String objectId) {
        return tx.inTransaction(() -> {
            State task = task(taskId);
            long objectCalls = Sql.one(tx.connection(), "SELECT calls FROM gateway_task_object_calls WHERE task_id = ? AND object_id = ?",
                    r -> r.longOr("calls", 0), taskId, objectId).orElse(0L);
            return new State(task.taintLevel(), identityTaint(chain), task.calls(), task.reads(), task.writes(), task.executes(), objectCalls);
        });
    }

    private State task(String taskId) {
        return Sql.one(tx.connection(), "SELECT taint_level, calls, read_calls, write_calls, execute_calls FROM gateway_task_state WHERE task_id = ?",
                r -> new State((int) r.longOr("taint_level", 0), 0, r.longOr("calls", 0), r.longOr("read_calls", 0),
                        r.longOr("write_calls", 0), r.longOr("execute_calls", 0), 0), taskId).orElse(State.NONE);
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
     * Records an executed use of {@code objectId} whose result was of {@code level}: raises the task's
     * taint, counts the call (in all, by effect, of the object), and, for a sensitive level, marks
     * every identity of the chain. Takes only the task row's lock and the gateway's own rows (lock
     * order: tasks, then gateway state), and joins a caller's transaction when there is one.
     */
    State record(String taskId, List<String> chain, int level, Effect effect, String objectId) {
        return tx.inTransaction(() -> {
            // Locking the task row serialises concurrent calls of one task, so the first inserts cannot race.
            Sql.one(tx.connection(), "SELECT id FROM tasks WHERE id = ? FOR UPDATE", r -> r.string("id"), taskId);
            boolean known = Sql.one(tx.connection(), "SELECT task_id FROM gateway_task_state WHERE task_id = ?", r -> r.string("task_id"), taskId)
                    .isPresent();
            State current = known ? task(taskId) : State.NONE;
            Instant now = clock.instant();
            int taint = Math.max(level, current.taintLevel());
            State next = new State(taint, 0, current.calls() + 1, current.reads() + (effect == Effect.READ ? 1 : 0),
                    current.writes() + (effect == Effect.WRITE ? 1 : 0), current.executes() + (effect == Effect.EXECUTE ? 1 : 0), 0);
            if (!known) {
                Sql.update(tx.connection(), "INSERT INTO gateway_task_state (task_id, taint_level, calls, read_calls, write_calls, execute_calls, "
                        + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", taskId, taint, next.calls(), next.reads(), next.writes(), next.executes(), now);
            } else {
                Sql.update(tx.connection(), "UPDATE gateway_task_state SET taint_level = ?, calls = ?, read_calls = ?, write_calls = ?, "
                        + "execute_calls = ?, updated_at = ? WHERE task_id = ?", taint, next.calls(), next.reads(), next.writes(), next.executes(),
                        now, taskId);
            }
            long objectCalls = Sql.one(tx.connection(), "SELECT calls FROM gateway_task_object_calls WHERE task_id = ? AND object_id = ?",
                    r -> r.longOr("calls", 0), taskId, objectId).map(n -> n + 1).orElse(-1L);
            if (objectCalls < 0) {
                objectCalls = 1;
                Sql.update(tx.connection(), "INSERT INTO gateway_task_object_calls (task_id, object_id, calls) VALUES (?, ?, 1)", taskId, objectId);
            } else {
                Sql.update(tx.connection(), "UPDATE gateway_task_object_calls SET calls = ? WHERE task_id = ? AND object_id = ?",
                        objectCalls, taskId, objectId);
            }
            if (level > 0) {
                // Append-only: concurrent tasks of one identity never contend for a row.
                Sql.batch(tx.connection(), "INSERT INTO gateway_identity_taint (identity_id, level, raised_at, task_id) VALUES (?, ?, ?, ?)",
                        chain.stream().distinct().map(id -> new Object[] {id, level, now, taskId}).toList());
            }
            return new State(taint, Math.max(level, identityTaint(chain)), next.calls(), next.reads(), next.writes(), next.executes(),
                    objectCalls);
        });
    }

    /** Forgets identity taint older than the window (run by the gateway's sweeper). */
    void expire() {
        tx.run(() -> Sql.update(tx.connection(), "DELETE FROM gateway_identity_taint WHERE raised_at <= ?", clock.instant().minus(identityWindow)));
    }
}
