package dev.gatehouse.posture.reviews;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.gatehouse.core.Problem;
import java.util.Locale;

/** What happens to an identity whose owner did not answer by the review's deadline. */
public enum OnMissed {
    /** Suspended (audited, with the review named as the reason): access stops until someone vouches for it. */
    SUSPEND,
    /** Recorded as missed, nothing more. */
    NONE;

    @JsonValue
    public String wire() { return name().toLowerCase(Locale.ROOT); }

    @JsonCreator
    public static OnMissed parse(String value) {
        for (OnMissed m : values()) if (m.wire().equals(value)) return m;
        throw new Problem.Invalid("onMissed", "onMissed must be suspend or none");
    }
}
