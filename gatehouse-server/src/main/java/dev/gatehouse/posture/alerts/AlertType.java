package dev.gatehouse.posture.alerts;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.gatehouse.core.Problem;
import java.util.Locale;

/** What an identity did that its baseline did not predict. The audit event of each is {@code anomaly.<wire>}. */
public enum AlertType {
    /** A governed object (tool, resource, prompt) it never used before. */
    NEW_TOOL("medium"),
    /** A tool server it never called before. */
    NEW_SERVER("medium"),
    /** A destination class (internal / external) it never sent to before. */
    NEW_DESTINATION("high"),
    /** More calls in an hour than its baseline's median + k·MAD of active hours. */
    VOLUME("high"),
    /** The first read of data classified higher than anything it read before. */
    CLASSIFICATION_ESCALATION("high"),
    /** Activity at an hour of the day (UTC) it was never active at in its baseline. */
    UNUSUAL_HOUR("low");

    private final String severity;

    AlertType(String severity) { this.severity = severity; }

    public String severity() { return severity; }

    @JsonValue
    public String wire() { return name().toLowerCase(Locale.ROOT); }

    public String auditType() { return "anomaly." + wire(); }

    public static AlertType parse(String field, String value) {
        for (AlertType t : values()) if (t.wire().equals(value)) return t;
        throw new Problem.Invalid(field, field + " must be one of new_tool, new_server, new_destination, volume, classification_escalation, unusual_hour");
    }
}
