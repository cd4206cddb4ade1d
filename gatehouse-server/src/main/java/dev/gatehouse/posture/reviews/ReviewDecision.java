package dev.gatehouse.posture.reviews;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.gatehouse.core.Problem;
import java.util.Locale;

/** An owner's answer for one identity, or {@code missed} when the review closed without one. */
public enum ReviewDecision {
    /** The access stays as declared. */
    KEEP,
    /** The declared scope becomes the narrower one given (live tokens beyond it stop working). */
    REDUCE,
    /** The identity is retired (its credentials, tasks and tokens are revoked). */
    REVOKE,
    /** Unanswered at the deadline; the review's {@link OnMissed} applies. */
    MISSED;

    @JsonValue
    public String wire() { return name().toLowerCase(Locale.ROOT); }

    @JsonCreator
    public static ReviewDecision parse(String value) {
        for (ReviewDecision d : values()) if (d != MISSED && d.wire().equals(value)) return d;
        throw new Problem.Invalid("decision", "decision must be keep, reduce or revoke");
    }
}
