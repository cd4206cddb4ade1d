package dev.gatehouse.posture.activity;

import dev.gatehouse.registry.Scope;
import java.time.Instant;
import java.util.List;

/**
 * What an identity was granted and what it really used over a window of days, from the audit of
 * its allowed gateway calls.
 *
 * @param granted        the declared scope
 * @param used           the objects and effects used: {@code tools} are concrete scope ids
 * @param calls          per object used: its effect, how many allowed calls, and the last day of use
 * @param unused         the declared patterns that covered none of the objects used, and the effects never used
 * @param suggestedScope the scope that would have sufficed: what was used, a whole server ({@code <server>/*}) where
 *                       every usable object of it was used
 */
public record Usage(String identity, int days, Instant since, Scope granted, Scope used, List<Call> calls, Scope unused,
                    Scope suggestedScope) {

    public record Call(String tool, String effect, long calls, String lastDay) {}

    /** True when something granted went unused: the identity holds more than its work needed. */
    public boolean overPrivileged() { return !unused.tools().isEmpty() || !unused.effects().isEmpty(); }
}
