package dev.gatehouse.posture;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * Every kind of posture finding, with the OWASP Non-Human Identities Top 10 (2025) and Top 10 for
 * Agentic Applications (2026) items it is evidence against.
 */
public enum FindingType {
    /** A workload or agent whose owner was retired or is not active: nobody answers for it. */
    ORPHANED(List.of("NHI1"), List.of("ASI03")),
    /** Unseen (no authentication, no tool call) for {@code lifecycle.dormantAfterDays}. */
    DORMANT(List.of("NHI1"), List.of("ASI10")),
    /** An active credential never used, or unused as long as a dormant identity. */
    UNUSED_CREDENTIAL(List.of("NHI1", "NHI7"), List.of("ASI03")),
    /** Granted patterns or effects unused in the usage window; the detail says what would suffice. */
    OVER_PRIVILEGED(List.of("NHI5"), List.of("ASI02", "ASI03")),
    /** An autonomous agent that may execute critical tools. */
    AUTONOMOUS_EXECUTE(List.of("NHI5"), List.of("ASI05")),
    /** A credential past its maximum age (never rotated, or not since). */
    LONG_LIVED_SECRET(List.of("NHI7"), List.of("ASI03")),
    /** A credential within the warning period of its maximum age or expiry. */
    ROTATION_DUE(List.of("NHI7"), List.of()),
    /** An upstream credential the gateway injects, due for (or past) rotation. */
    UPSTREAM_ROTATION_DUE(List.of("NHI7", "NHI3"), List.of("ASI04")),
    /**
     * A workload or agent that reaches a tool server only through a static upstream secret (server-wide, or bound to it
     * or its owner) where per-call tokens ({@code upstreamAuth: gatehouse-jwt} or {@code oauth}) would leave none standing.
     */
    STATIC_UPSTREAM_SECRET(List.of("NHI7", "NHI9"), List.of("ASI03")),
    /** Several credentials of one identity in use at once: several deployments share the identity. */
    SHARED_IDENTITY(List.of("NHI9"), List.of("ASI03")),
    /** A workload's or agent's token requested with a person's tool (the CLI, curl, a browser). */
    HUMAN_USE_OF_NHI(List.of("NHI10"), List.of("ASI03", "ASI09")),
    /** Secrets (keys, tokens) seen in what the identity sent through the gateway. */
    SECRET_IN_TRAFFIC(List.of("NHI2"), List.of("ASI01")),
    /** A production identity authenticating with shared client secrets only (no key, no federation). */
    SECRET_BASED_AUTHENTICATION(List.of("NHI4"), List.of("ASI03")),
    /** A non-production identity using a tool server production identities use. */
    ENVIRONMENT_CROSSING(List.of("NHI8"), List.of("ASI03")),
    /** A discovered identity nobody adopted: no owner, no purpose, no review. */
    UNMANAGED_IDENTITY(List.of("NHI1", "NHI3"), List.of("ASI04")),
    /** A discovered identity configured insecurely in its cloud (root access keys, auto-mounted legacy tokens). */
    INSECURE_CLOUD_CONFIGURATION(List.of("NHI6"), List.of("ASI03")),
    /** A third-party app with write access to everything it is installed on. */
    THIRD_PARTY_WRITE_ACCESS(List.of("NHI3", "NHI5"), List.of("ASI04")),
    /** A tool server feature never classified (quarantined). */
    UNCLASSIFIED_TOOL(List.of("NHI3"), List.of("ASI04")),
    /** A feature whose definition changed since it was approved (quarantined: a possible rug pull). */
    TOOL_DEFINITION_CHANGED(List.of("NHI3"), List.of("ASI04", "ASI01")),
    /** A classified feature the gateway never saw listed, so its definition is not pinned yet. */
    UNPINNED_TOOL(List.of(), List.of("ASI04")),
    /** A tool server not approved by an admin. */
    UNAPPROVED_TOOL_SERVER(List.of("NHI3"), List.of("ASI04")),
    /** An anomaly alert in the window (the detail names its type). */
    ANOMALY(List.of(), List.of("ASI10"));

    private final List<String> owaspNhi;
    private final List<String> owaspAgentic;

    FindingType(List<String> owaspNhi, List<String> owaspAgentic) {
        this.owaspNhi = owaspNhi;
        this.owaspAgentic = owaspAgentic;
    }

    public List<String> owaspNhi() { return owaspNhi; }

    public List<String> owaspAgentic() { return owaspAgentic; }

    @JsonValue
    public String wire() { return name().toLowerCase(Locale.ROOT); }
}
