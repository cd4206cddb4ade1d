package dev.gatehouse.config;

import java.util.List;
import java.util.Map;

/**
 * Every setting of the server. Loaded from YAML ({@code --config}), then environment variables
 * ({@code GATEHOUSE_<PATH>}, e.g. {@code GATEHOUSE_SERVER_PORT}, {@code GATEHOUSE_DB_PASSWORD}),
 * then command-line flags. Unknown keys are errors. Later features add their own sections here.
 *
 * @param kek key-encryption key for signing keys at rest: base64 of 32 random bytes
 *            ({@code GATEHOUSE_KEK}); empty means a key file {@code <dataDir>/kek} created on first start
 */
public record GatehouseConfig(Server server, String dataDir, Db db, Log log, Inventory inventory, String kek,
                              Credentials credentials, Audit audit, Inspection inspection, Approvals approvals, Gateway gateway,
                              Lifecycle lifecycle, Anomalies anomalies, Policy policy,
                              Outbound outbound, Console console) {

    /**
     * The web console at {@code /} (docs/console.md).
     *
     * @param enabled             serve the console; the API is unaffected either way
     * @param publicUrl           the console's address as browsers reach it (redirect URI, WebAuthn origin and relying
     *                            party id); empty means this server's own base URL
     * @param sessionIdleSeconds  a session unused this long ends
     * @param sessionMaxSeconds   a session ends this long after sign-in however it is used
     * @param secureCookies       mark cookies {@code Secure} (browsers accept them on https and on localhost); turn off
     *                            only for plain http on another host in a lab
     * @param tokenSignIn         admins may sign in with an admin token (first set-up, before single sign-on is configured)
     * @param oidc                single sign-on against the organisation's OpenID provider
     */
    public record Console(boolean enabled, String publicUrl, int sessionIdleSeconds, int sessionMaxSeconds, boolean secureCookies,
                          boolean tokenSignIn, Oidc oidc) {}

    /**
     * OpenID Connect sign-in (authorization code flow with PKCE). A signed-in person is the Gatehouse {@code human}
     * whose email equals the ID token's verified {@code email} claim.
     *
     * @param issuer       the provider's issuer URL (its discovery document is read from there); empty: no single sign-on
     * @param clientId     this console's client id at the provider
     * @param clientSecret its client secret (prefer GATEHOUSE_CONSOLE_OIDC_CLIENT_SECRET); empty: a public client (PKCE only)
     * @param scopes       scopes asked for
     * @param groupsClaim  the ID token claim listing the person's groups at the provider
     * @param roleMapping  {@code provider-group=role} (admin, security, approver, owner, auditor)
     * @param groupMapping {@code provider-group=gatehouse-group}: memberships kept in step at each sign-in
     * @param defaultRoles roles every signed-in human holds whatever the groups say
     * @param provision    register an unknown person as a new human identity instead of refusing them
     */
    public record Oidc(String issuer, String clientId, String clientSecret, List<String> scopes, String groupsClaim,
                       List<String> roleMapping, List<String> groupMapping, List<String> defaultRoles, boolean provision) {
        @Override
        public String toString() { // never print the client secret
            return "Oidc[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret="
                    + (clientSecret == null || clientSecret.isEmpty() ? "" : "***") + ", groupsClaim=" + groupsClaim + "]";
        }
    }

    /**
     * The decision engine: {@code gatehouse} (the pure-Java evaluator, default) or {@code cedar-java} (the Cedar
     * reference engine through JNI). {@code compareEngines}: also run the other engine on every decision and
     * count disagreements (metric {@code gatehouse.policy.engine.disagreements}); the live answer stays the
     * chosen engine's.
     */
    public record Policy(String engine, boolean compareEngines) {}

    /**
     * The HTTP server.
     *
     * @param publicUrl                 the URL clients reach this server at, the same on every node: token issuer, OAuth
     *                                  metadata, MCP resource URLs; required on PostgreSQL (a cluster)
     * @param idleTimeoutSeconds        a connection with no traffic this long is closed
     * @param requestHeadTimeoutSeconds a new connection must send a complete request head within this
     * @param minRequestBytesPerSecond  a request body arriving slower than this is cut off (0: no minimum)
     * @param maxConnections            open connections in total (0: no cap)
     * @param maxConnectionsPerAddress  open connections of one client address (0: no cap)
     * @param maxRequestsPerAddress     requests of one client address handled at once; more wait without a thread (0: no cap)
     */
    public record Server(String bind, int port, long maxBodyBytes, Tls tls, String publicUrl, int idleTimeoutSeconds,
                         int requestHeadTimeoutSeconds, long minRequestBytesPerSecond, int maxConnections,
                         int maxConnectionsPerAddress, int maxRequestsPerAddress) {}

    /** Both paths set: serve HTTPS from PEM files. */
    public record Tls(String certFile, String keyFile) {
        public boolean enabled() { return certFile != null && keyFile != null; }
    }

    /** {@code url} empty means the embedded H2 file store under {@code dataDir}. */
    public record Db(String url, String user, String password, int poolSize) {}

    public record Log(String format, String level) {}

    public record Inventory(List<String> environments) {}

    /**
     * The credential broker.
     *
     * @param issuer              {@code iss} of tokens and RFC 8414 metadata; empty means {@code http(s)://<bind>:<port>}
     * @param trustDomain         SPIFFE trust domain of token subjects ({@code spiffe://<trustDomain>/<kind>/<id>})
     * @param audience            {@code aud} of access tokens (the enforcement points)
     * @param defaultTtlSeconds   task token lifetime when the request names none
     * @param maxTtlSeconds       cap on any task token lifetime
     * @param maxDelegationDepth  longest {@code act} chain token exchange may build
     * @param secretOverlapSeconds how long a rotated client secret keeps working next to its successor
     * @param federation          trusted external issuers (federated workload identity)
     * @param keyActivationDelaySeconds on PostgreSQL, how long a rotated-in signing key is published in every node's
     *                            JWKS before it signs (on the embedded store it signs at once)
     * @param failedAuthPerMinutePerClient failed client authentications per client id per minute before 429 (0: no limit)
     * @param failedAuthPerMinutePerAddress failed client authentications per source address per minute before 429 (0: no limit)
     */
    public record Credentials(String issuer, String trustDomain, String audience, int defaultTtlSeconds, int maxTtlSeconds,
                              int maxDelegationDepth, int secretOverlapSeconds, List<FederatedIssuer> federation,
                              int keyActivationDelaySeconds, int failedAuthPerMinutePerClient, int failedAuthPerMinutePerAddress) {}

    /**
     * An external issuer whose JWTs authenticate workloads (Kubernetes service-account tokens, CI OIDC tokens).
     *
     * @param issuer        exact {@code iss} of its tokens
     * @param audience      the {@code aud} its tokens must carry for Gatehouse
     * @param jwksUri       where its keys are fetched ({@code https://…}, {@code http://…} or {@code file:…})
     * @param identityClaim claim whose value names the Gatehouse identity (default {@code sub})
     * @param mapping       claim value → identity id; when empty, an identity must register a {@code federated} credential
     *                      for the (issuer, claim value) pair
     */
    public record FederatedIssuer(String issuer, String audience, String jwksUri, String identityClaim, Map<String, String> mapping) {}

    /**
     * Audit trail: a signed checkpoint every {@code checkpointEvery} records or
     * {@code checkpointSeconds}, whichever first; {@code signingKeyFile} empty means
     * {@code <dataDir>/keys/audit-checkpoint.jwk}. A token's successful authentication is recorded
     * on first use and then at most once per {@code authSuccessSeconds} per token and access level
     * (0: every request); refusals are always recorded. {@code webhookUrl} set: records are POSTed
     * there in batches of {@code webhookBatchSize}, signed with HMAC-SHA256 under {@code webhookSecret}
     * (prefer GATEHOUSE_AUDIT_WEBHOOK_SECRET).
     */
    public record Audit(long checkpointEvery, long checkpointSeconds, String signingKeyFile, long authSuccessSeconds,
                        String webhookUrl, String webhookSecret, int webhookBatchSize) {
        @Override
        public String toString() { // never print the webhook secret
            return "Audit[checkpointEvery=" + checkpointEvery + ", checkpointSeconds=" + checkpointSeconds + ", webhookUrl="
                    + webhookUrl + ", webhookSecret=" + (webhookSecret == null || webhookSecret.isEmpty() ? "" : "***") + "]";
        }
    }

    /**
     * Content inspection (docs/inspection.md).
     *
     * @param disabled       built-in finding types not to report (e.g. {@code pii.phone})
     * @param classification finding type → {@code public|internal|confidential|restricted}, nested by the
     *                       type's dot: {@code classification.pii.email} ({@code GATEHOUSE_INSPECTION_CLASSIFICATION_PII_EMAIL})
     * @param dictionaries   configured word lists, each with its own finding type and classification
     * @param patterns       configured regular expressions, each with its own finding type and classification
     */
    public record Inspection(List<String> disabled, Map<String, Map<String, String>> classification,
                             List<InspectionDictionary> dictionaries, List<InspectionPattern> patterns) {}

    /** Words or phrases matched as whole words; {@code type} like {@code custom.project_codename}. */
    public record InspectionDictionary(String type, String classification, List<String> words, boolean caseSensitive) {}

    /** A Java regular expression; {@code type} like {@code custom.employee_id}. */
    public record InspectionPattern(String type, String classification, String regex) {}

    /** Defaults of {@link Inspection#classification()}: what {@code DefaultInspector.defaultClassification()} says. */
    private static Map<String, Map<String, String>> defaultInspectionClassification() {
        Map<String, String> secret = new java.util.LinkedHashMap<>();
        for (String t : List.of("aws_access_key", "github_token", "gitlab_token", "slack_token", "slack_webhook", "stripe_key",
                "private_key", "jwt", "generic_high_entropy")) {
            secret.put(t, "restricted");
        }
        Map<String, String> pii = new java.util.LinkedHashMap<>();
        pii.put("email", "confidential");
        pii.put("phone", "confidential");
        pii.put("us_ssn", "restricted");
        pii.put("payment_card", "restricted");
        pii.put("iban", "confidential");
        Map<String, Map<String, String>> all = new java.util.LinkedHashMap<>();
        all.put("secret", secret);
        all.put("pii", pii);
        return all;
    }

    /**
     * Human approval of held calls and break-glass.
     *
     * @param requestTtlSeconds        how long a held call waits for a decision before it expires
     * @param grantTtlSeconds          how long an approval stays usable (once) after it is given
     * @param breakGlassMaxTtlSeconds  cap on the lifetime of a break-glass grant
     * @param approverTokenTtlSeconds  lifetime of a human's approver token
     * @param stepUpMaxAgeSeconds      how recently the human deciding (approve, deny, break glass) must have proved
     *                                 a second factor in the console (WebAuthn or TOTP); an approver token on the API
     *                                 is proved on the request itself
     * @param webhookUrl               where approval and break-glass notifications are POSTed; empty: none
     * @param webhookSecret            HMAC-SHA256 key of those notifications, at least 32 characters
     *                                 (prefer GATEHOUSE_APPROVALS_WEBHOOK_SECRET)
     * @param breakGlassReviewSeconds  how long after a break-glass grant another approver has to close its review
     * @param breakGlassOwnerAllowed   given to policy as context.breakglass.ownerAllowed: the starter pack then lets an
     *                                 owner break glass for what they own
     */
    public record Approvals(int requestTtlSeconds, int grantTtlSeconds, int breakGlassMaxTtlSeconds, int approverTokenTtlSeconds,
                            int stepUpMaxAgeSeconds, String webhookUrl, String webhookSecret, int breakGlassReviewSeconds,
                            boolean breakGlassOwnerAllowed) {
        @Override
        public String toString() { // never print the webhook secret
            return "Approvals[requestTtlSeconds=" + requestTtlSeconds + ", grantTtlSeconds=" + grantTtlSeconds
                    + ", breakGlassMaxTtlSeconds=" + breakGlassMaxTtlSeconds + ", approverTokenTtlSeconds=" + approverTokenTtlSeconds
                    + ", stepUpMaxAgeSeconds=" + stepUpMaxAgeSeconds
                    + ", webhookUrl=" + webhookUrl + ", webhookSecret=" + (webhookSecret == null || webhookSecret.isEmpty() ? "" : "***") + "]";
        }
    }

    /**
     * The MCP gateway ({@code /mcp/{server}}).
     *
     * @param upstreamTimeoutSeconds   how long one upstream request may take before the caller gets a JSON-RPC error
     * @param sessionIdleSeconds       a gateway session (and its stdio process) unused this long is closed
     * @param maxSessions              open gateway sessions at most (each may hold an upstream process)
     * @param callsPerMinutePerIdentity tool calls per identity (token holder) per minute; 0 = unlimited
     * @param callsPerMinutePerTask    tool calls per task per minute; 0 = unlimited
     * @param bytesPerMinutePerIdentity argument + result bytes per identity per minute; 0 = unlimited
     * @param bytesPerMinutePerTask    argument + result bytes per task per minute; 0 = unlimited
     * @param redactServers            tool servers whose results are redacted (findings masked) before the agent sees them
     * @param identityTaintWindowSeconds how long what an identity read taints its other tasks (cross-task laundering)
     * @param stdioCommands            the only programs stdio tool servers may run, by the name the API uses
     * @param upstreamClientId         Gatehouse's OAuth client id at upstream authorization servers ({@code upstreamAuth: oauth});
     *                                 empty: {@code server.publicUrl}
     */
    public record Gateway(int upstreamTimeoutSeconds, int sessionIdleSeconds, int maxSessions, int callsPerMinutePerIdentity,
                          int callsPerMinutePerTask, long bytesPerMinutePerIdentity, long bytesPerMinutePerTask,
                          List<String> redactServers, long identityTaintWindowSeconds,
                          Map<String, StdioCommand> stdioCommands, String upstreamClientId) {}

    /**
     * Identities over time (docs/lifecycle.md): dormancy, credential ages, access reviews, and the
     * posture webhook that carries review reminders, credential warnings and anomaly alerts.
     *
     * @param dormantAfterDays      a workload or agent unseen (no authentication, no tool call) this long is dormant; 0 = never
     * @param suspendDormant        suspend dormant identities (audited, reason {@code dormant}), not only report them
     * @param credentialMaxAgeDays  maximum age of a credential since it was issued or last rotated, per type; 0 = no maximum
     * @param credentialWarnDays    how long before that maximum (or an earlier expiry) a credential is reported and warned about
     * @param enforceMaxAge         revoke client credentials that passed their maximum age (tokens minted with them end too)
     * @param reviewReminderHours   an owner with unanswered review items is reminded this long before the review is due
     * @param usageDays             the window in which unused grants make an identity over-privileged
     * @param sweepSeconds          how often the posture scheduler runs (review deadlines, dormancy, warnings, anomalies)
     * @param webhookUrl            where posture notifications are POSTed; empty: none
     * @param webhookSecret         HMAC-SHA256 key of those notifications, at least 32 characters (prefer GATEHOUSE_LIFECYCLE_WEBHOOK_SECRET)
     */
    public record Lifecycle(int dormantAfterDays, boolean suspendDormant, CredentialMaxAge credentialMaxAgeDays, int credentialWarnDays,
                            boolean enforceMaxAge, int reviewReminderHours, int usageDays, int sweepSeconds, String webhookUrl,
                            String webhookSecret) {
        @Override
        public String toString() { // never print the webhook secret
            return "Lifecycle[dormantAfterDays=" + dormantAfterDays + ", suspendDormant=" + suspendDormant + ", credentialMaxAgeDays="
                    + credentialMaxAgeDays + ", webhookUrl=" + webhookUrl + ", webhookSecret="
                    + (webhookSecret == null || webhookSecret.isEmpty() ? "" : "***") + "]";
        }
    }

    /** Maximum credential age in days per credential type ({@code upstream}: credentials the gateway injects); 0 = no maximum. */
    public record CredentialMaxAge(int clientSecret, int privateKeyJwt, int federated, int upstream) {}

    /**
     * Anomaly alerts from per-identity baselines of the audit trail (docs/lifecycle.md, "Alerts").
     *
     * @param baselineDays      how much history a baseline spans
     * @param learningDays      an identity's first days of activity only build its baseline: no alert before it has this much history
     * @param volumeK           an hour's calls beyond median + volumeK × 1.4826 × MAD of the baseline's active hours is a volume alert
     * @param volumeMinCalls    and only when the hour has at least this many calls
     * @param minActiveHours    unusual-hour alerts need a baseline with at least this many active hours
     * @param suspendOn         alert types that suspend the identity at once (e.g. {@code classification_escalation})
     */
    public record Anomalies(int baselineDays, int learningDays, double volumeK, int volumeMinCalls, int minActiveHours,
                            List<String> suspendOn) {}

    /**
     * A program an operator allows stdio tool servers to run: fixed argv, and environment variables added to the
     * child's minimal environment ({@code PATH}, {@code HOME}, {@code LANG}, {@code LC_ALL}, {@code TMPDIR}).
     */
    public record StdioCommand(List<String> command, Map<String, String> env) {}

    /**
     * Outbound connections (HTTP upstreams, OAuth token URLs, webhooks, federation JWKS): loopback, private,
     * link-local (cloud metadata), shared, multicast and reserved addresses are refused unless listed here.
     *
     * @param allow CIDR ranges ({@code 10.1.0.0/16}, {@code fd00::/8}) or host names ({@code mcp.internal}) that may be reached
     *              even though they resolve to such addresses
     */
    public record Outbound(List<String> allow) {}

    public static GatehouseConfig defaults() {
        return new GatehouseConfig(
                new Server("127.0.0.1", 8080, 1_048_576, new Tls(null, null), "", 30, 10, 1024, 5000, 64, 16),
                "./data",
                new Db(null, null, null, 10),
                new Log("text", "info"),
                new Inventory(List.of("dev", "staging", "prod")),
                null,
                new Credentials(null, "gatehouse.local", "gatehouse", 600, 900, 3, 3600, List.of(), 10, 20, 60),
                new Audit(1000, 60, "", 60, "", "", 100),
                new Inspection(List.of(), defaultInspectionClassification(), List.of(), List.of()),
                new Approvals(900, 900, 3600, 30 * 24 * 3600, 300, "", "", 24 * 3600, false),
                new Gateway(30, 900, 1000, 600, 600, 50_000_000L, 50_000_000L, List.of(), 86_400, Map.of(), ""),
                new Lifecycle(90, false, new CredentialMaxAge(90, 365, 0, 90), 14, false, 48, 30, 60, "", ""),
                new Anomalies(30, 7, 3.5, 20, 24, List.of()),
                new Policy("gatehouse", false),
                new Outbound(List.of()),
                new Console(true, "", 1800, 12 * 3600, true, true,
                        new Oidc("", "", "", List.of("openid", "email", "profile"), "groups", List.of(), List.of(), List.of("owner"), false)));
    }
}
