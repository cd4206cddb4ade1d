package dev.gatehouse.posture;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/posture}: every live finding, each OWASP NHI Top 10 and Agentic Top 10 item with the
 * controls that address it and the findings against it, and the figures the HTML report charts.
 */
public record PostureReport(Instant generatedAt, List<Finding> findings, Map<String, OwaspStatus> owaspNhi,
                            Map<String, OwaspStatus> owaspAgentic, Summary summary) {

    /** {@code status}: {@code fail} (a high or critical finding), {@code warn} (other findings) or {@code pass}. */
    public record OwaspStatus(String name, String status, List<String> controls, List<FindingRef> findings) {}

    public record FindingRef(FindingType type, String identity, Severity severity) {}

    /**
     * @param credentialAges every active credential (and upstream credential) with its age in days
     * @param usage          per workload and agent: granted patterns, objects used and patterns unused in the window
     */
    public record Summary(int identities, int discoveredUnmanaged, int usageDays, Map<String, Integer> bySeverity, Map<String, Integer> byOwner,
                          Map<String, Integer> byType, List<CredentialAge> credentialAges, List<UsageFigure> usage) {}

    public record CredentialAge(String identity, String owner, String credential, String type, long ageDays, Instant lastUsed) {}

    public record UsageFigure(String identity, String owner, int granted, int used, int unused) {}
}
