package dev.gatehouse.approvals;

/**
 * Filters of {@link ApprovalService#list}; null means any. {@code status} is one of pending,
 * approved, denied, expired, used. {@code before} is the {@code next} cursor of the previous page.
 */
public record ApprovalQuery(String status, String identity, String task, String tool, int limit, String before) {
    public static final java.util.Set<String> STATUSES = java.util.Set.of("pending", "approved", "denied", "expired", "used");
}
