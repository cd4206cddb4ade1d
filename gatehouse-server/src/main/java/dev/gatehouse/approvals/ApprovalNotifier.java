package dev.gatehouse.approvals;

import java.util.Map;

/**
 * Tells the outside world (chat, ticketing) that an approval was requested or decided, or that
 * glass was broken. Called inside the transaction of the event, so a notification exists exactly
 * when the event committed.
 */
@FunctionalInterface
public interface ApprovalNotifier {
    /** No webhook configured. */
    ApprovalNotifier NONE = (event, data) -> {};

    /** {@code event}: approval.requested | approval.approved | approval.denied | breakglass.granted | breakglass.revoked. */
    void notify(String event, Map<String, Object> data);
}
