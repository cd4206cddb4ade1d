package dev.gatehouse.config;

import java.util.List;

/**
 * Every setting of the server. Loaded from YAML ({@code --config}), then environment variables
 * ({@code GATEHOUSE_<PATH>}, e.g. {@code GATEHOUSE_SERVER_PORT}, {@code GATEHOUSE_DB_PASSWORD}),
 * then command-line flags. Unknown keys are errors. Later features add their own sections here.
 */
public record GatehouseConfig(Server server, String dataDir, Db db, Log log, Inventory inventory, Audit audit) {

    public record Server(String bind, int port, long maxBodyBytes, Tls tls) {}

    /** Both paths set: serve HTTPS from PEM files. */
    public record Tls(String certFile, String keyFile) {
        public boolean enabled() { return certFile != null && keyFile != null; }
    }

    /** {@code url} empty means the embedded H2 file store under {@code dataDir}. */
    public record Db(String url, String user, String password, int poolSize) {}

    public record Log(String format, String level) {}

    public record Inventory(List<String> environments) {}

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

    public static GatehouseConfig defaults() {
        return new GatehouseConfig(
                new Server("127.0.0.1", 8080, 1_048_576, new Tls(null, null)),
                "./data",
                new Db(null, null, null, 10),
                new Log("text", "info"),
                new Inventory(List.of("dev", "staging", "prod")),
                new Audit(1000, 60, "", 60, "", "", 100));
    }
}
