package dev.gatehouse.posture.activity;

/**
 * Sees each new activity before the rollups count it (so {@code history} is the past without it),
 * inside the ingest's transaction: what it writes commits with the cursor that consumed the record.
 */
@FunctionalInterface
public interface ActivityObserver {
    ActivityObserver NONE = (activity, history) -> {};

    void observe(Activity activity, ActivityHistory history);
}
