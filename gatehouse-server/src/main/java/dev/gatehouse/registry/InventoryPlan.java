package dev.gatehouse.registry;

import java.util.List;

/**
 * What an apply did (or, on a dry run, would do): one entry per declared object, in the order
 * they are applied. {@code changed} is false exactly when every entry is {@code unchanged}.
 */
public record InventoryPlan(boolean dryRun, boolean changed, List<Change> changes) {
    public enum Action {
        CREATE, UPDATE, UNCHANGED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** @param fields the fields that differ (for updates), empty otherwise */
    public record Change(Action action, String type, String id, List<String> fields) {}

    public static InventoryPlan of(boolean dryRun, List<Change> changes) {
        return new InventoryPlan(dryRun, changes.stream().anyMatch(c -> c.action() != Action.UNCHANGED), List.copyOf(changes));
    }
}
