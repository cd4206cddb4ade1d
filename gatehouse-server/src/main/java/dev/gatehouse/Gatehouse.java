package dev.gatehouse;

import dev.gatehouse.admin.AdminRoutes;
import dev.gatehouse.admin.AdminTokenService;
import dev.gatehouse.approvals.ApprovalNotifier;
import dev.gatehouse.approvals.ApprovalRoutes;
import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.ApprovalSettings;
import dev.gatehouse.approvals.ApprovalWebhook;
import dev.gatehouse.approvals.ApproverTokens;
import dev.gatehouse.approvals.BreakGlassReviews;
import dev.gatehouse.approvals.DefaultApprovalService;
import dev.gatehouse.audit.AdminAuthAudit;
import dev.gatehouse.audit.AuditRoutes;
import dev.gatehouse.audit.RegistryAuditListener;
import dev.gatehouse.audit.WebhookSink;
import dev.gatehouse.audit.AuditTrail;
import dev.gatehouse.audit.Checkpoints;
import dev.gatehouse.audit.JdbcAuditLog;
import dev.gatehouse.audit.JdbcAuditTrail;
import dev.gatehouse.audit.LocalKeyCheckpointSigner;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.core.StartupFailure;
import dev.gatehouse.console.ConsoleRoutes;
import dev.gatehouse.console.ConsoleSessions;
import dev.gatehouse.console.PolicyChecks;
import dev.gatehouse.console.signin.SignInPolicy;
import dev.gatehouse.console.signin.SingleSignOn;
import dev.gatehouse.console.stepup.StepUpFactors;
import dev.gatehouse.credentials.BrokerSettings;
import dev.gatehouse.credentials.CallTokens;
import dev.gatehouse.credentials.ClientAuthenticator;
import dev.gatehouse.credentials.CredentialRoutes;
import dev.gatehouse.credentials.CredentialService;
import dev.gatehouse.credentials.DefaultCredentialService;
import dev.gatehouse.credentials.DefaultSigningKeys;
import dev.gatehouse.credentials.FederatedIssuers;
import dev.gatehouse.credentials.KeyEncryption;
import dev.gatehouse.credentials.KeyRoutes;
import dev.gatehouse.credentials.Revocations;
import dev.gatehouse.credentials.SigningKeys;
import dev.gatehouse.credentials.TaskBroker;
import dev.gatehouse.credentials.TaskRoutes;
import dev.gatehouse.credentials.TaskTokenAuthenticator;
import dev.gatehouse.credentials.TokenEndpoint;
import dev.gatehouse.credentials.TokenRoutes;
import dev.gatehouse.gateway.McpGateway;
import dev.gatehouse.gateway.StdioCommand;
import dev.gatehouse.gateway.UpstreamRules;
import dev.gatehouse.outbound.Destinations;
import dev.gatehouse.outbound.OutboundHttp;
import dev.gatehouse.gateway.McpRoutes;
import dev.gatehouse.gateway.UpstreamCredentialRoutes;
import dev.gatehouse.gateway.UpstreamAuthentication;
import dev.gatehouse.gateway.UpstreamCredentials;
import dev.gatehouse.gateway.UpstreamOAuth;
import dev.gatehouse.gateway.Upstreams;
import dev.gatehouse.http.Authenticator;
import dev.gatehouse.httpapi.ExtAuthzRoutes;
import dev.gatehouse.httpapi.HttpApiAuthorizer;
import dev.gatehouse.httpapi.HttpApis;
import dev.gatehouse.inspection.Inspector;
import dev.gatehouse.inspection.Inspectors;
import dev.gatehouse.policy.DecisionService;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.http.HttpServer;
import dev.gatehouse.http.PemKeyStore;
import dev.gatehouse.http.Router;
import dev.gatehouse.http.SystemRoutes;
import dev.gatehouse.policy.ApplicationEntities;
import dev.gatehouse.policy.AuthZenRoutes;
import dev.gatehouse.policy.CedarPolicyEngine;
import dev.gatehouse.policy.DecisionService;
import dev.gatehouse.policy.DefaultDecisionService;
import dev.gatehouse.policy.GatehousePolicyEngine;
import io.micrometer.core.instrument.Counter;
import dev.gatehouse.policy.InventoryEntities;
import dev.gatehouse.policy.PolicyRoutes;
import dev.gatehouse.policy.PolicyVersions;
import dev.gatehouse.registry.DefaultRegistryService;
import dev.gatehouse.registry.InventoryService;
import dev.gatehouse.registry.RegistryRoutes;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.posture.LifecyclePolicy;
import dev.gatehouse.posture.LifecycleSweeper;
import dev.gatehouse.posture.PostureRoutes;
import dev.gatehouse.posture.PostureScheduler;
import dev.gatehouse.posture.PostureService;
import dev.gatehouse.posture.UpstreamSecrets;
import dev.gatehouse.posture.activity.ActivityLedger;
import dev.gatehouse.posture.activity.UsageRoutes;
import dev.gatehouse.posture.activity.UsageService;
import dev.gatehouse.posture.alerts.AlertRoutes;
import dev.gatehouse.posture.alerts.AlertService;
import dev.gatehouse.posture.alerts.AlertType;
import dev.gatehouse.posture.alerts.Thresholds;
import dev.gatehouse.posture.discovery.DiscoveryRoutes;
import dev.gatehouse.posture.discovery.DiscoveryService;
import dev.gatehouse.posture.notify.Notices;
import dev.gatehouse.posture.reviews.ReviewRoutes;
import dev.gatehouse.posture.reviews.ReviewService;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.store.Budgets;
import dev.gatehouse.store.ChangeFeed;
import dev.gatehouse.store.Database;
import dev.gatehouse.webhook.Notifier;
import dev.gatehouse.webhook.WebhookOutbox;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wiring: builds every service once, in dependency order, with explicit constructors, and
 * starts the HTTP server. The only place that knows all features.
 */
public final class Gatehouse implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gatehouse.class);

    private final GatehouseConfig config;
    private final Database database;
    private final ChangeFeed changes;
    private final OutboundHttp outbound;
    private final PrometheusMeterRegistry meters;
    private final JdbcAuditLog audit;
    private final Checkpoints checkpoints;
    private final AuditTrail auditTrail;
    private final WebhookSink webhook;
    private final RegistryService registry;
    private final AdminTokenService adminTokens;
    private final PolicyVersions policyVersions;
    private final DefaultDecisionService decisions;
    private final SigningKeys signingKeys;
    private final KeyEncryption kek;
    private final CredentialService credentials;
    private final TaskBroker tasks;
    private final Inspector inspector;
    private final ApprovalWebhook approvalWebhook;
    private final ApprovalService approvals;
    private final ApproverTokens approverTokens;
    private final BreakGlassReviews breakGlassReviews;
    private final Upstreams upstreams;
    private final McpGateway gateway;
    private final WebhookOutbox postureWebhook;
    private final ActivityLedger activity;
    private final UsageService usage;
    private final AlertService alerts;
    private final DiscoveryService discovery;
    private final ReviewService reviews;
    private final PostureService posture;
    private final LifecycleSweeper lifecycle;
    private final PostureScheduler postureScheduler;
    private final Router router = new Router();
    private final HttpServer http;

    public Gatehouse(GatehouseConfig config, Clock clock) {
        this.config = config;
        // Configuration errors surface before anything is opened.
        GatehouseConfig.Credentials creds = config.credentials();
        Optional<String> publicUrl = publicUrl(config);
        Supplier<String> issuer = () -> publicUrl.orElseGet(() -> ownUrl(config));
        BrokerSettings brokerSettings = BrokerSettings.from(creds, issuer);
        FederatedIssuers federation;
        this.inspector = Inspectors.fromConfig(config.inspection());
        GatehouseConfig.Approvals approvalConfig = config.approvals();
        ApprovalSettings approvalSettings = new ApprovalSettings(Duration.ofSeconds(approvalConfig.requestTtlSeconds()),
                Duration.ofSeconds(approvalConfig.grantTtlSeconds()), Duration.ofSeconds(approvalConfig.breakGlassMaxTtlSeconds()),
                approvalConfig.breakGlassOwnerAllowed(), Duration.ofSeconds(approvalConfig.stepUpMaxAgeSeconds()));
        if (approvalConfig.breakGlassReviewSeconds() < 60) throw new ConfigException("approvals.breakGlassReviewSeconds must be at least 60");
        if (approvalConfig.approverTokenTtlSeconds() < 60) throw new IllegalArgumentException("approvals.approverTokenTtlSeconds must be at least 60");
        Destinations destinations;
        Map<String, StdioCommand> stdioCommands = new java.util.LinkedHashMap<>();
        try {
            destinations = Destinations.allowing(config.outbound().allow());
            config.gateway().stdioCommands().forEach((name, c) -> stdioCommands.put(name, new StdioCommand(c.command(), c.env())));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage().startsWith("outbound.") ? e.getMessage() : "gateway.stdioCommands: " + e.getMessage());
        }
        UpstreamRules upstreamRules = new UpstreamRules(stdioCommands, destinations);
        this.outbound = new OutboundHttp(destinations);
        federation = new FederatedIssuers(creds.federation(), clock, outbound);
        dev.gatehouse.webhook.SignedWebhook approvalEndpoint = approvalConfig.webhookUrl() == null || approvalConfig.webhookUrl().isBlank()
                ? null : new dev.gatehouse.webhook.SignedWebhook(java.net.URI.create(approvalConfig.webhookUrl()), approvalConfig.webhookSecret(),
                        "approvals.webhook", outbound);
        GatehouseConfig.Lifecycle lifecycleConfig = config.lifecycle();
        LifecyclePolicy lifecyclePolicy = LifecyclePolicy.from(lifecycleConfig);
        GatehouseConfig.Anomalies anomalyConfig = config.anomalies();
        Thresholds thresholds = new Thresholds(Duration.ofDays(anomalyConfig.baselineDays()), anomalyConfig.learningDays(),
                anomalyConfig.volumeK(), anomalyConfig.volumeMinCalls(), anomalyConfig.minActiveHours(),
                anomalyConfig.suspendOn().stream().map(t -> AlertType.parse("anomalies.suspendOn", t)).collect(java.util.stream.Collectors.toSet()));
        dev.gatehouse.webhook.SignedWebhook postureEndpoint = lifecycleConfig.webhookUrl() == null || lifecycleConfig.webhookUrl().isBlank()
                ? null : new dev.gatehouse.webhook.SignedWebhook(java.net.URI.create(lifecycleConfig.webhookUrl()), lifecycleConfig.webhookSecret(),
                        "lifecycle.webhook", outbound);
        GatehouseConfig.Console consoleConfig = config.console();
        GatehouseConfig.Oidc oidc = consoleConfig.oidc();
        SignInPolicy.Mapping signInMapping = SignInPolicy.Mapping.parse(oidc.roleMapping(), oidc.groupMapping(), oidc.defaultRoles());
        SingleSignOn.Provider idp = new SingleSignOn.Provider(oidc.issuer(), oidc.clientId(), oidc.clientSecret(), oidc.scopes(), oidc.groupsClaim());
        String url = config.db().url() == null || config.db().url().isBlank()
                ? Database.embeddedUrl(Path.of(config.dataDir()))
                : config.db().url();
        this.database = Database.open(url, config.db().user(), config.db().password(), config.db().poolSize());
        this.changes = new ChangeFeed(database, clock);
        Budgets budgets = Budgets.forStore(database, clock);
        this.meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        SecureRandom random = new SecureRandom();
        Secrets secrets = new Secrets(random);

        this.audit = new JdbcAuditLog(database.transactions(), clock);
        GatehouseConfig.Audit auditConfig = config.audit();
        Path keyFile = auditConfig.signingKeyFile() == null || auditConfig.signingKeyFile().isBlank()
                ? Path.of(config.dataDir(), "keys", "audit-checkpoint.jwk")
                : Path.of(auditConfig.signingKeyFile());
        this.checkpoints = new Checkpoints(database.transactions(), LocalKeyCheckpointSigner.loadOrCreate(keyFile), clock,
                auditConfig.checkpointEvery(), java.time.Duration.ofSeconds(auditConfig.checkpointSeconds()));
        checkpoints.start(audit);
        this.auditTrail = new JdbcAuditTrail(database.transactions(), checkpoints);
        this.webhook = auditConfig.webhookUrl() == null || auditConfig.webhookUrl().isBlank() ? null
                : new WebhookSink(database.transactions(), java.net.URI.create(auditConfig.webhookUrl()), auditConfig.webhookSecret(),
                        auditConfig.webhookBatchSize(), clock, java.time.Duration.ofSeconds(1), java.time.Duration.ofMinutes(5), outbound);

        this.registry = new DefaultRegistryService(database.transactions(), clock, config.inventory().environments(), upstreamRules, changes);
        registry.addListener(new RegistryAuditListener(audit));
        this.adminTokens = new AdminTokenService(database.transactions(), secrets, clock, audit, changes);
        InventoryEntities inventoryEntities = new InventoryEntities(registry);
        this.policyVersions = new PolicyVersions(database.transactions(), new GatehousePolicyEngine(new CedarPolicyEngine(inventoryEntities::inputType),
                GatehousePolicyEngine.Evaluator.parse(config.policy().engine()), config.policy().compareEngines()
                ? Counter.builder("gatehouse.policy.engine.disagreements").description("Decisions on which the two engines disagreed").register(meters)
                : null), clock, audit, changes);
        ApplicationEntities applicationEntities = new ApplicationEntities(database.transactions(), policyVersions, clock, changes);
        this.decisions = new DefaultDecisionService(policyVersions, inventoryEntities, applicationEntities, audit, clock, meters);

        if (database.isPostgres() && (config.kek() == null || config.kek().isBlank())) {
            log.warn("no GATEHOUSE_KEK set: signing keys are sealed with {}/kek; every node of a cluster needs the same key file",
                    config.dataDir());
        }
        try {
            this.kek = KeyEncryption.load(config.kek(), Path.of(config.dataDir()), random);
            this.signingKeys = new DefaultSigningKeys(database.transactions(), kek, clock, random,
                    () -> Duration.ofSeconds(creds.maxTtlSeconds()),
                    database.isPostgres() ? Duration.ofSeconds(creds.keyActivationDelaySeconds()) : Duration.ZERO, changes);
        } catch (RuntimeException e) {
            // A wrong or unreadable key-encryption key stops the start; release the store so nothing stays locked.
            if (webhook != null) webhook.close();
            checkpoints.close();
            audit.close();
            database.close();
            meters.close();
            outbound.close();
            throw e;
        }
        DefaultCredentialService clientCredentials = new DefaultCredentialService(database.transactions(), registry, secrets, clock,
                audit, Duration.ofSeconds(creds.secretOverlapSeconds()), federation.issuers());
        this.credentials = clientCredentials;
        this.tasks = new TaskBroker(database.transactions(), registry, signingKeys, decisions, audit, clock, secrets, brokerSettings, changes);
        clientCredentials.onCredentialsChanged(tasks::tokensEnding);
        Revocations revocations = new Revocations(tasks, clientCredentials);
        registry.addListener(revocations.listener());
        this.discovery = new DiscoveryService(database.transactions(), registry, credentials, audit, secrets, clock);
        ClientAuthenticator clients = new ClientAuthenticator(database.transactions(), registry, federation, clock, issuer, discovery);
        this.approvalWebhook = approvalEndpoint == null ? null : new ApprovalWebhook(database.transactions(), approvalEndpoint, secrets, clock,
                new dev.gatehouse.webhook.Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)));
        this.breakGlassReviews = new BreakGlassReviews(database.transactions(), registry, audit, clock, secrets,
                Duration.ofSeconds(approvalConfig.breakGlassReviewSeconds()));
        this.approvals = new DefaultApprovalService(database.transactions(), registry, audit,
                approvalWebhook == null ? ApprovalNotifier.NONE : approvalWebhook, clock, secrets, approvalSettings, decisions, breakGlassReviews);
        this.approverTokens = new ApproverTokens(database.transactions(), registry, secrets, clock, audit,
                Duration.ofSeconds(approvalConfig.approverTokenTtlSeconds()));
        Authenticator bearer = new TaskTokenAuthenticator(tasks, id -> registry.touch(id, clock.instant()));
        Authenticator callers = token -> adminTokens.authenticate(token).or(() -> bearer.authenticate(token))
                .or(() -> approverTokens.authenticate(token));

        GatehouseConfig.Gateway gw = config.gateway();
        UpstreamCredentials upstreamCredentials = new UpstreamCredentials(database.transactions(), kek, registry, audit, clock, outbound);
        // Per-call tokens for upstreams: signed by the same keys as task tokens, published in the same JWKS.
        CallTokens callTokens = new CallTokens(signingKeys, issuer, clock, secrets);
        Supplier<String> upstreamClientId = gw.upstreamClientId() == null || gw.upstreamClientId().isBlank() ? issuer : gw::upstreamClientId;
        this.upstreams = new Upstreams(new UpstreamAuthentication(upstreamCredentials, callTokens,
                new UpstreamOAuth(outbound, callTokens, upstreamClientId, clock)), upstreamRules, outbound);
        this.gateway = new McpGateway(registry, tasks, tasks, decisions, inspector, approvals, audit, database.transactions(), clock, secrets,
                new McpGateway.Settings(Duration.ofSeconds(gw.upstreamTimeoutSeconds()), Duration.ofSeconds(gw.sessionIdleSeconds()),
                        gw.maxSessions(), new McpGateway.Limits(gw.callsPerMinutePerIdentity(), gw.callsPerMinutePerTask(),
                        gw.bytesPerMinutePerIdentity(), gw.bytesPerMinutePerTask(), budgets), java.util.Set.copyOf(gw.redactServers()),
                        Duration.ofSeconds(gw.identityTaintWindowSeconds())),
                upstreams);

        // Posture: identities over time. Everything here reads the audit trail after the fact, never on the gateway's path.
        this.postureWebhook = postureEndpoint == null ? null : new WebhookOutbox(database.transactions(), "posture_notifications",
                postureEndpoint, secrets, clock, new dev.gatehouse.webhook.Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)));
        Notifier postureNotifier = postureWebhook == null ? Notifier.NONE : postureWebhook;
        Notices notices = new Notices(database.transactions(), clock);
        this.activity = new ActivityLedger(database.transactions(), auditTrail, clock);
        this.usage = new UsageService(registry, activity, clock);
        this.alerts = new AlertService(database.transactions(), registry, audit, postureNotifier, notices, secrets, clock, thresholds);
        this.reviews = new ReviewService(database.transactions(), registry, credentials, usage, audit, postureNotifier, notices, secrets, clock,
                Duration.ofHours(lifecycleConfig.reviewReminderHours()));
        UpstreamSecrets upstreamSecrets = () -> upstreamCredentials.listAll().stream()
                .map(d -> new UpstreamSecrets.UpstreamSecret(d.server(), d.identity(), d.owner(), d.type(), d.version(), d.updatedAt())).toList();
        this.posture = new PostureService(registry, credentials, usage, activity, alerts, discovery, upstreamSecrets, lifecyclePolicy, clock);
        this.lifecycle = new LifecycleSweeper(registry, credentials, upstreamSecrets, postureNotifier, notices, lifecyclePolicy, clock);
        this.postureScheduler = new PostureScheduler(activity, alerts, reviews, lifecycle, Duration.ofSeconds(lifecycleConfig.sweepSeconds()));

        new SystemRoutes(database::isReachable, meters).register(router);
        new AdminRoutes(adminTokens).register(router);
        new RegistryRoutes(registry, new InventoryService(registry, database.transactions())).register(router);
        new PolicyRoutes(policyVersions, applicationEntities, decisions).register(router);
        new AuthZenRoutes(decisions, config.server().tls().enabled()).register(router);
        new KeyRoutes(signingKeys, issuer, audit).register(router);
        new CredentialRoutes(credentials).register(router);
        new TokenRoutes(new TokenEndpoint(clients, tasks, adminTokens, audit, budgets, clock, creds.failedAuthPerMinutePerClient(),
                creds.failedAuthPerMinutePerAddress())).register(router);
        new TaskRoutes(tasks, revocations).register(router);
        new AuditRoutes(auditTrail).register(router);
        new ApprovalRoutes(approvals, approverTokens, breakGlassReviews, clock).register(router);
        new McpRoutes(gateway, issuer, issuer).register(router);
        new UpstreamCredentialRoutes(upstreamCredentials).register(router);
        new UsageRoutes(usage).register(router);
        new AlertRoutes(alerts).register(router);
        new DiscoveryRoutes(discovery).register(router);
        new ReviewRoutes(reviews).register(router);
        new PostureRoutes(posture).register(router);
        HttpApis httpApis = new HttpApis(database.transactions(), registry, audit);
        new ExtAuthzRoutes(new HttpApiAuthorizer(httpApis, registry, tasks, gateway, inspector, audit), httpApis)
                .register(router);
        if (consoleConfig.enabled()) {
            Supplier<java.net.URI> consoleUrl = () -> consoleUrl(config);
            ConsoleSessions consoleSessions = new ConsoleSessions(database.transactions(), registry, audit, secrets, random, clock,
                    Duration.ofSeconds(consoleConfig.sessionIdleSeconds()), Duration.ofSeconds(consoleConfig.sessionMaxSeconds()));
            new ConsoleRoutes(new ConsoleRoutes.Services(registry, credentials, approvals, auditTrail, policyVersions,
                    new PolicyChecks(policyVersions, config.inventory().environments()), posture, reviews, adminTokens),
                    consoleSessions, new SingleSignOn(idp, () -> consoleUrl.get().resolve("/console/auth/callback"), database.transactions(), clock),
                    new SignInPolicy(registry, audit, signInMapping, oidc.provision()),
                    new StepUpFactors(database.transactions(), kek, audit, secrets, random, clock, consoleUrl),
                    consoleUrl, consoleConfig.secureCookies(), consoleConfig.tokenSignIn(), Duration.ofSeconds(approvalConfig.stepUpMaxAgeSeconds()),
                    clock).register(router);
        }

        GatehouseConfig.Tls tls = config.server().tls();
        GatehouseConfig.Server server = config.server();
        this.http = new HttpServer(new HttpServer.Settings(server.bind(), server.port(), server.maxBodyBytes(),
                tls.enabled() ? PemKeyStore.load(Path.of(tls.certFile()), Path.of(tls.keyFile())) : null,
                new HttpServer.Limits(Duration.ofSeconds(server.idleTimeoutSeconds()), Duration.ofSeconds(server.requestHeadTimeoutSeconds()),
                        server.minRequestBytesPerSecond(), server.maxConnections(), server.maxConnectionsPerAddress(),
                        server.maxRequestsPerAddress())),
                router, callers, new AdminAuthAudit(audit, clock, Duration.ofSeconds(auditConfig.authSuccessSeconds())), meters);
    }

    /**
     * {@code server.publicUrl} (or the older {@code credentials.issuer}, which means the same), without a trailing
     * slash. Every node of a cluster must issue and accept tokens under one issuer, so on PostgreSQL it is required.
     */
    private static Optional<String> publicUrl(GatehouseConfig config) {
        String fromServer = trimSlash(config.server().publicUrl());
        String fromCredentials = trimSlash(config.credentials().issuer());
        if (!fromServer.isEmpty() && !fromCredentials.isEmpty() && !fromServer.equals(fromCredentials)) {
            throw new ConfigException("server.publicUrl and credentials.issuer differ; set server.publicUrl only");
        }
        String url = fromServer.isEmpty() ? fromCredentials : fromServer;
        if (!url.isEmpty()) {
            java.net.URI uri;
            try {
                uri = java.net.URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("server.publicUrl is not a URL: " + url);
            }
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getQuery() != null || uri.getFragment() != null) {
                throw new ConfigException("server.publicUrl must be an http(s) URL without query or fragment, e.g. https://gatehouse.example.com");
            }
            return Optional.of(url);
        }
        if (config.db().url() != null && config.db().url().startsWith("jdbc:postgresql:")) {
            throw new ConfigException("server.publicUrl is required with PostgreSQL: every node must issue and accept tokens under "
                    + "the same URL (e.g. GATEHOUSE_SERVER_PUBLIC_URL=https://gatehouse.example.com)");
        }
        return Optional.empty();
    }

    private static String trimSlash(String url) {
        if (url == null || url.isBlank()) return "";
        String u = url.strip();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    /** Without a public URL (one node, embedded store): the bind address and the bound port. */
    private String ownUrl(GatehouseConfig config) {
        return (config.server().tls().enabled() ? "https" : "http") + "://" + config.server().bind() + ":" + http.port();
    }

    /**
     * Offline recovery of admin access ({@code gatehouse admin-token reset}): opens the store alone (no port,
     * no keys, no background work), revokes every admin-role token and creates a new one, audited. An
     * embedded store held by a running server refuses with one line; a data directory without a store is
     * refused rather than created.
     */
    public static AdminTokenService.Reset resetAdminTokens(GatehouseConfig config, Clock clock, String operatingSystemUser) {
        boolean embedded = config.db().url() == null || config.db().url().isBlank();
        Path dataDir = Path.of(config.dataDir()).toAbsolutePath();
        if (embedded && !Files.exists(dataDir.resolve("gatehouse.mv.db"))) {
            throw new StartupFailure("no Gatehouse store in " + dataDir + " (give the --data directory of serve)", null);
        }
        Database database;
        try {
            database = Database.open(embedded ? Database.embeddedUrl(dataDir) : config.db().url(), config.db().user(),
                    config.db().password(), 2);
        } catch (StartupFailure e) {
            if (e.getMessage().contains("in use by another")) {
                throw new StartupFailure("the store in " + dataDir + " is in use by a running Gatehouse server: stop it first "
                        + "(admin-token reset works on a stopped server)", e);
            }
            throw e;
        }
        try (JdbcAuditLog audit = new JdbcAuditLog(database.transactions(), clock)) {
            // The feed is only written here: running nodes of a PostgreSQL cluster forget the revoked tokens through it.
            return new AdminTokenService(database.transactions(), new Secrets(new SecureRandom()), clock, audit, new ChangeFeed(database, clock))
                    .reset("system:admin-token-reset", operatingSystemUser);
        } finally {
            database.close();
        }
    }

    /**
     * Where browsers reach the console: {@code console.publicUrl} when set, else this server's own address — with
     * {@code localhost} for a loopback or wildcard bind, because WebAuthn accepts a host name, never an IP address,
     * as its relying party id.
     */
    private java.net.URI consoleUrl(GatehouseConfig config) {
        String configured = config.console().publicUrl();
        if (configured != null && !configured.isBlank()) {
            return java.net.URI.create(configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured);
        }
        String bind = config.server().bind();
        String host = bind.startsWith("127.") || bind.equals("::1") || bind.equals("0.0.0.0") || bind.equals("::") ? "localhost" : bind;
        return java.net.URI.create((config.server().tls().enabled() ? "https" : "http") + "://" + host + ":" + http.port());
    }

    /** Creates the bootstrap admin token on an empty store; returns its value when one was created. */
    public Optional<String> bootstrap(String presetToken) {
        return adminTokens.bootstrap(presetToken);
    }

    /** On a store that never had a policy version, activates the starter pack shipped in the jar. */
    public Optional<dev.gatehouse.policy.PolicyVersion> seedStarterPolicies() {
        return policyVersions.seedIfEmpty(StarterPolicies.load(), "starter policy pack", "system");
    }

    public void start() throws Exception {
        changes.start();
        http.start();
        if (webhook != null) webhook.start();
        if (approvalWebhook != null) approvalWebhook.start();
        if (postureWebhook != null) postureWebhook.start();
        postureScheduler.start();
        log.info("gatehouse listening on {}://{}:{} (store: {})", config.server().tls().enabled() ? "https" : "http",
                config.server().bind(), http.port(), database.isPostgres() ? "postgresql" : "embedded h2");
    }

    public int port() { return http.port(); }

    public Router router() { return router; }

    public RegistryService registry() { return registry; }

    public AdminTokenService adminTokens() { return adminTokens; }

    public PolicyVersions policyVersions() { return policyVersions; }

    public DecisionService decisions() { return decisions; }

    public Database database() { return database; }

    /** Changes every node of a cluster hears about within milliseconds (signing keys today). */
    public ChangeFeed changes() { return changes; }

    public SigningKeys signingKeys() { return signingKeys; }

    public CredentialService credentials() { return credentials; }

    /** Tokens and tasks: the gateway calls {@code tokens().check(token)} on every request. */
    public TaskBroker tokens() { return tasks; }

    public JdbcAuditLog audit() { return audit; }

    /** Content inspection (classification and redaction of tool arguments and results), built from {@code inspection}. */
    public Inspector inspector() { return inspector; }

    public Checkpoints checkpoints() { return checkpoints; }

    public McpGateway gateway() { return gateway; }

    /** The key-encryption key (signing keys, upstream credentials at rest). */
    public KeyEncryption keyEncryption() { return kek; }

    public AuditTrail auditTrail() { return auditTrail; }

    /** Held calls, one-time grants and break-glass: the gateway calls {@code hold}, {@code consumeGrant} and {@code breakGlassCovers}. */
    public ApprovalService approvals() { return approvals; }

    public ApproverTokens approverTokens() { return approverTokens; }

    /** Posture's scheduled work (ingest and alerts, review deadlines, reminders, lifecycle sweep); tests run it by hand. */
    public PostureScheduler postureScheduler() { return postureScheduler; }

    public ActivityLedger activity() { return activity; }

    public AlertService alerts() { return alerts; }

    public ReviewService reviews() { return reviews; }

    public DiscoveryService discovery() { return discovery; }

    public PostureService posture() { return posture; }

    public LifecycleSweeper lifecycle() { return lifecycle; }

    public void join() throws InterruptedException { http.join(); }

    @Override
    public void close() throws Exception {
        try {
            http.close();
        } finally {
            if (approvalWebhook != null) approvalWebhook.close();
            postureScheduler.close();
            if (postureWebhook != null) postureWebhook.close();
            changes.close();
            gateway.close();
            upstreams.close();
            outbound.close();
            if (webhook != null) webhook.close();
            checkpoints.close();
            audit.close();
            database.close();
            meters.close();
        }
    }
}
