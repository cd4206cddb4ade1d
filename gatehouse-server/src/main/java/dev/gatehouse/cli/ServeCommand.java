package dev.gatehouse.cli;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.http.HttpServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse serve}: runs the server until interrupted. Flags override config file and environment. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the Gatehouse server.")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--config", description = "YAML configuration file (keys also settable as GATEHOUSE_… variables).")
    Path config;

    @Option(names = "--port", description = "HTTP port (default 8080).")
    Integer port;

    @Option(names = "--bind", description = "Address to bind (default 127.0.0.1).")
    String bind;

    @Option(names = "--data", description = "Data directory for the embedded store and key files (default ./data).")
    String data;

    @Option(names = "--db", description = "PostgreSQL JDBC URL (jdbc:postgresql://host:port/db) instead of the embedded store.")
    String db;

    @Option(names = "--db-user", description = "Database user (or GATEHOUSE_DB_USER).")
    String dbUser;

    @Option(names = "--db-password", description = "Database password (prefer GATEHOUSE_DB_PASSWORD).")
    String dbPassword;

    @Option(names = "--log-format", description = "text or json.")
    String logFormat;

    @Override
    public Integer call() throws Exception {
        GatehouseConfig cfg = ConfigLoader.load(config, System.getenv(), flagOverrides());
        if (!cfg.log().format().equals("text") && !cfg.log().format().equals("json")) {
            throw new IllegalArgumentException("log format must be text or json");
        }
        configureLogging(cfg.log());
        // Before anything is created: a taken port must not leave behind a store whose bootstrap token was printed in vain.
        HttpServer.checkCanListen(cfg.server().bind(), cfg.server().port());
        Gatehouse gatehouse = new Gatehouse(cfg, Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                gatehouse.close();
            } catch (Exception ignored) {
                // shutting down
            }
        }, "gatehouse-shutdown"));
        gatehouse.bootstrap(System.getenv("GATEHOUSE_BOOTSTRAP_TOKEN")).ifPresent(token -> {
            if (System.getenv("GATEHOUSE_BOOTSTRAP_TOKEN") == null) {
                // Printed once, to the operator's terminal only (stdout, never the log); only its hash is stored.
                System.out.println("Bootstrap admin token (shown once, store it now): " + token);
                System.out.println("  export GATEHOUSE_TOKEN=" + token);
                System.out.println("  (lost it? stop the server and run: gatehouse admin-token reset "
                        + (cfg.db().url() == null || cfg.db().url().isBlank() ? "--data " + cfg.dataDir() : "with the store options of serve") + ")");
            } else {
                System.out.println("Bootstrap admin token set from GATEHOUSE_BOOTSTRAP_TOKEN.");
            }
        });
        gatehouse.seedStarterPolicies().ifPresent(v ->
                System.out.println("Empty policy store: activated the starter policy pack as version " + v.version() + "."));
        gatehouse.start();
        System.out.println("Gatehouse listening on " + (cfg.server().tls().enabled() ? "https" : "http") + "://"
                + cfg.server().bind() + ":" + gatehouse.port());
        System.out.flush();
        gatehouse.join();
        return 0;
    }

    /** Command-line flags by configuration key; they win over the file and the environment. */
    Map<String, String> flagOverrides() {
        Map<String, String> o = new HashMap<>();
        if (port != null) o.put("server.port", port.toString());
        if (bind != null) o.put("server.bind", bind);
        if (data != null) o.put("dataDir", data);
        if (db != null) o.put("db.url", db);
        if (dbUser != null) o.put("db.user", dbUser);
        if (dbPassword != null) o.put("db.password", dbPassword);
        if (logFormat != null) o.put("log.format", logFormat);
        return o;
    }

    static void configureLogging(GatehouseConfig.Log log) {
        System.setProperty("gatehouse.log.level", log.level().toUpperCase(java.util.Locale.ROOT));
        if (log.format().equals("json")) {
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
    }
}
