package dev.gatehouse.webhook;

import java.util.Map;

/**
 * Tells the outside world (chat, ticketing, a SIEM) that something happened. Called inside the
 * transaction of the event, so a notification exists exactly when the event committed.
 */
@FunctionalInterface
public interface Notifier {
    /** No webhook configured. */
    Notifier NONE = (event, data) -> {};

    void notify(String event, Map<String, Object> data);
}
