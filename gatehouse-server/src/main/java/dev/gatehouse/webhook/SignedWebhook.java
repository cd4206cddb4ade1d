package dev.gatehouse.webhook;

import java.io.IOException;
import java.net.URI;
import dev.gatehouse.outbound.OutboundHttp;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One outbound webhook endpoint whose POSTs are authenticated with HMAC-SHA256 over
 * {@code <timestamp>.<body>}: headers {@code X-Gatehouse-Timestamp} (epoch seconds) and
 * {@code X-Gatehouse-Signature: sha256=<hex>}. The timestamp is signed so a receiver can refuse
 * replays of old deliveries. Shared by the audit sink and approval notifications so receivers verify
 * both the same way.
 */
public final class SignedWebhook {
    public static final String TIMESTAMP_HEADER = "X-Gatehouse-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Gatehouse-Signature";

    private final URI url;
    private final byte[] secret;
    private final OutboundHttp http;

    /**
     * {@code setting} names the configuration prefix (e.g. {@code audit.webhook}) in error messages; {@code http}
     * refuses destinations the operator did not allow (a private receiver needs an {@code outbound.allow} entry).
     */
    public SignedWebhook(URI url, String secret, String setting, OutboundHttp http) {
        if (url.getScheme() == null || !(url.getScheme().equals("https") || url.getScheme().equals("http")) || url.getHost() == null) {
            throw new IllegalArgumentException(setting + "Url must be an absolute http(s) URL");
        }
        if (secret == null || secret.length() < 32) {
            // an unsigned (or guessable) feed would let anyone inject events into the receiver
            throw new IllegalArgumentException(setting + "Secret must be at least 32 characters when " + setting + "Url is set");
        }
        this.url = url;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.http = http;
    }

    public URI url() { return url; }

    /** POSTs {@code body} signed at {@code now}; throws unless the receiver answers 2xx. */
    public void post(String contentType, String body, Instant now, Map<String, String> headers) throws IOException, InterruptedException {
        String timestamp = Long.toString(now.getEpochSecond());
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put(TIMESTAMP_HEADER, timestamp);
        all.put(SIGNATURE_HEADER, "sha256=" + signature(secret, timestamp, body));
        try (OutboundHttp.Reply response = http.send(OutboundHttp.Call.post(url, all, contentType, body.getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(30)))) {
            if (response.status() / 100 != 2) {
                throw new IOException("receiver answered HTTP " + response.status());
            }
        }
    }

    /** Hex HMAC-SHA256 of {@code timestamp + "." + body}: what a receiver recomputes to authenticate a delivery. */
    public static String signature(byte[] secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
