package dev.gatehouse.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.approvals.ApprovalRequest;
import dev.gatehouse.audit.Trace;
import dev.gatehouse.console.stepup.Factor;
import dev.gatehouse.console.stepup.StepUpFactors;
import dev.gatehouse.credentials.ClientCredential;
import dev.gatehouse.policy.PolicyVersion;
import dev.gatehouse.policy.ShadowDisagreement;
import dev.gatehouse.posture.reviews.AccessReview;
import dev.gatehouse.registry.Identity;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * What each console page shows, as plain values for its jte template ({@code src/main/jte}). Templates
 * format and escape; everything a page knows is decided in {@link ConsoleRoutes} before it renders.
 */
public final class Views {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private Views() {}

    /** The frame of every page: who is signed in, the navigation their roles reach, the session's CSRF token. */
    public record Chrome(String title, String section, ConsoleUser user, String csrf, List<NavItem> nav, String notice, String error,
                         boolean steppedUp, Instant now) {}

    public record NavItem(String href, String label, String section) {}

    public record SignInPage(Chrome chrome, boolean sso, boolean tokenForm, String formToken) {}

    /** One identity in the inventory with its credentials summarised (never a secret). */
    public record InventoryRow(Identity identity, int credentials, Long oldestCredentialDays, Instant credentialLastUsed) {}

    public record InventoryPage(Chrome chrome, String kind, List<InventoryRow> rows, boolean ownOnly) {}

    /** One step of an identity's timeline, from the audit trail. */
    public record TimelineEntry(long seq, String time, String type, String outcome, String actor, String resource, String detail) {}

    /**
     * {@code manage}: the user may act for this identity — its owner (role owner) or an admin: revoke credentials,
     * narrow the declared scope, answer its open review items.
     */
    public record IdentityPage(Chrome chrome, Identity identity, List<ClientCredential> credentials, Trace trace, List<TimelineEntry> timeline,
                               boolean manage, List<OpenReviewItem> reviews) {}

    /** An access review item waiting for this identity's owner. */
    public record OpenReviewItem(String review, String name, Instant dueAt) {}

    /** A held call as the approver reads it. */
    public record HeldItem(ApprovalRequest request, String agentName, String owner, String classification, List<String> findings,
                           boolean decidable) {}

    public record ApprovalsPage(Chrome chrome, List<HeldItem> pending, List<ApprovalRequest> recent, boolean approver, boolean humanWithFactor,
                                String returnTo) {}

    public record AuditFilters(String identity, String type, String outcome, String from, String to) {}

    public record AuditPage(Chrome chrome, AuditFilters filters, List<TimelineEntry> events, String chainStatus, boolean chainIntact) {}

    public record TracePage(Chrome chrome, Trace trace, List<TimelineEntry> timeline) {}

    public record PoliciesPage(Chrome chrome, List<PolicyVersion> versions, Long from, Long to, String diff, List<ShadowDisagreement> disagreements,
                               List<TestResult> tests, String testsSource) {}

    public record TestResult(String file, String name, boolean passed, String detail) {}

    /** Charts are the posture report's own inline SVG ({@code PostureCharts}), rendered unescaped: they escape their labels. */
    public record PosturePage(Chrome chrome, List<String> charts, JsonNode findings, List<AccessReview> reviews) {}

    public record FactorsPage(Chrome chrome, List<Factor> factors, StepUpFactors.TotpEnrolment enrolment, String returnTo) {}

    public record ErrorPage(Chrome chrome, int status, String message) {}

    // --- formatting helpers for templates

    public static String time(Instant at) { return at == null ? "—" : TIME.format(at); }

    public static String ago(Instant at, Instant now) {
        if (at == null) return "never";
        Duration d = Duration.between(at, now);
        if (d.isNegative()) return "just now";
        if (d.toMinutes() < 1) return d.toSeconds() + " s ago";
        if (d.toHours() < 1) return d.toMinutes() + " min ago";
        if (d.toDays() < 1) return d.toHours() + " h ago";
        return d.toDays() + " d ago";
    }

    public static String orDash(Object value) { return value == null || value.toString().isBlank() ? "—" : value.toString(); }

    public static String join(java.util.Collection<?> values) {
        return values == null || values.isEmpty() ? "—" : String.join(", ", values.stream().map(String::valueOf).toList());
    }

    public static String json(JsonNode node) { return node == null || node.isMissingNode() ? "" : node.toString(); }
}
