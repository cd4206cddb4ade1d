package dev.gatehouse;

import dev.gatehouse.admin.AdminRoutes;
import dev.gatehouse.admin.AdminTokenService;
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
import dev.gatehouse.core.Secrets;
import dev.gatehouse.http.HttpServer;
import dev.gatehouse.http.PemKeyStore;
import dev.gatehouse.http.Router;
import dev.gatehouse.http.SystemRoutes;
import dev.gatehouse.registry.DefaultRegistryService;
import dev.gatehouse.registry.RegistryRoutes;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.store.Database;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
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
    private final PrometheusMeterRegistry meters;
    private final JdbcAuditLog audit;
    private final Checkpoints checkpoints;
    private final AuditTrail auditTrail;
    private final WebhookSink webhook;
    private final RegistryService registry;
    private final AdminTokenService adminTokens;
    private final Router router = new Router();
    private final HttpServer http;

    public Gatehouse(GatehouseConfig config, Clock clock) {
        this.config = config;
        String url = config.db().url() == null || config.db().url().isBlank()
                ? Database.embeddedUrl(Path.of(config.dataDir()))
                : config.db().url();
        this.database = Database.open(url, config.db().user(), config.db().password(), config.db().poolSize());
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
                        auditConfig.webhookBatchSize(), clock, java.time.Duration.ofSeconds(1), java.time.Duration.ofMinutes(5));

        this.registry = new DefaultRegistryService(database.transactions(), clock, config.inventory().environments());
        registry.addListener(new RegistryAuditListener(audit));
        this.adminTokens = new AdminTokenService(database.transactions(), secrets, clock, audit);

        new SystemRoutes(database::isReachable, meters).register(router);
        new AdminRoutes(adminTokens).register(router);
        new RegistryRoutes(registry).register(router);
        new AuditRoutes(auditTrail).register(router);

        GatehouseConfig.Tls tls = config.server().tls();
        this.http = new HttpServer(new HttpServer.Settings(config.server().bind(), config.server().port(),
                config.server().maxBodyBytes(),
                tls.enabled() ? PemKeyStore.load(Path.of(tls.certFile()), Path.of(tls.keyFile())) : null),
                router, adminTokens, new AdminAuthAudit(audit, clock, java.time.Duration.ofSeconds(auditConfig.authSuccessSeconds())),
                meters);
    }

    /** Creates the bootstrap admin token on an empty store; returns its value when one was created. */
    public Optional<String> bootstrap(String presetToken) {
        return adminTokens.bootstrap(presetToken);
    }

    public void start() throws Exception {
        http.start();
        if (webhook != null) webhook.start();
        log.info("gatehouse listening on {}://{}:{} (store: {})", config.server().tls().enabled() ? "https" : "http",
                config.server().bind(), http.port(), database.isPostgres() ? "postgresql" : "embedded h2");
    }

    public int port() { return http.port(); }

    public Router router() { return router; }

    public RegistryService registry() { return registry; }

    public AdminTokenService adminTokens() { return adminTokens; }

    public Database database() { return database; }

    public JdbcAuditLog audit() { return audit; }

    public Checkpoints checkpoints() { return checkpoints; }

    public AuditTrail auditTrail() { return auditTrail; }

    public void join() throws InterruptedException { http.join(); }

    @Override
    public void close() throws Exception {
        try {
            http.close();
        } finally {
            if (webhook != null) webhook.close();
            checkpoints.close();
            audit.close();
            database.close();
            meters.close();
        }
    }
}
