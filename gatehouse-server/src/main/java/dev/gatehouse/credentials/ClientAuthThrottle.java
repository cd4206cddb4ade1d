package dev.gatehouse.credentials;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.store.Budgets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed client authentications per minute, per claimed client id and per source address (a cluster-wide
 * count, see {@link Budgets}). Past a limit, further attempts are refused with 429 before any credential is
 * checked, until the minute ends: guessing secrets gets slow and cheap to refuse.
 *
 * <p>Each refused authentication up to the limit is audited as {@code token.refused}, as before; the throttle
 * itself is one {@code token.throttled} event when it engages in a minute (per node), not one per attempt.
 * A per-client limit lets anyone who knows a client id delay that client's own logins for the rest of a
 * minute; secrets are 256-bit, so the limit is about load, and the per-address limit is the tighter one.
 */
final class ClientAuthThrottle {
    private final Budgets budgets;
    private final Clock clock;
    private final AuditLog audit;
    private final int perClient;
    private final int perAddress;

    ClientAuthThrottle(Budgets budgets, Clock clock, AuditLog audit, int perClient, int perAddress) {
        this.budgets = budgets;
        this.clock = clock;
        this.audit = audit;
        this.perClient = perClient;
        this.perAddress = perAddress;
    }

    /** Throws 429 when the client id or the address has no failures left this minute. */
    void check(String clientId, String address) {
        long minute = minute();
        if (perClient > 0 && named(clientId) && budgets.exhausted(clientKey(clientId), minute)
                || perAddress > 0 && budgets.exhausted(addressKey(address), minute)) {
            throw OAuthException.throttled(secondsLeft());
        }
    }

    /** Counts one failed authentication; the failure that uses up a limit engages the throttle (and is audited once). */
    void failed(String clientId, String address) {
        long minute = minute();
        if (named(clientId)) count("client", clientKey(clientId), clientId, perClient, minute);
        count("address", addressKey(address), address, perAddress, minute);
    }

    private void count(String scope, String key, String value, int limit, long minute) {
        if (limit <= 0 || budgets.exhausted(key, minute)) return;
        // The limit-th failure of the minute is the one that cannot be taken: it engages the throttle, so the next
        // attempt is refused before its credential is checked.
        if (!budgets.tryTake(key, minute, limit - 1, 1)) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("scope", scope);
            detail.put(scope, value);
            detail.put("failuresPerMinute", limit);
            detail.put("retryAfterSeconds", secondsLeft());
            audit.record(AuditEvent.of("token.throttled", AuditEvent.Category.PRIVILEGED, "failure",
                            scope.equals("client") ? "anonymous" : "address:" + value)
                    .withReason("too many failed client authentications").withDetail(detail));
        }
    }

    /** Requests that name no client id (or an unusable one) share no per-client count: only their address counts. */
    private static boolean named(String clientId) { return clientId != null && !clientId.equals("(none)"); }

    private long minute() { return clock.millis() / 60_000; }

    private long secondsLeft() { return Math.max(1, (60_000 - clock.millis() % 60_000 + 999) / 1000); }

    private static String clientKey(String clientId) { return "auth:client:" + clientId; }

    private static String addressKey(String address) { return "auth:address:" + address; }
}
