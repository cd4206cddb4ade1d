package dev.gatehouse.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code setting} names the configuration prefix (e.g. {@code audit.webhook}) in error messages. */
    public SignedWebhook(URI url, String secret, String setting) {
        if (url.getScheme() == null || !(url.getScheme().equals("https") || url.getScheme().equals("http")) || url.getHost() == null) {
            throw new IllegalArgumentException(setting + "Url must be an absolute http(s) URL");
        }
        if (secret == null || secret.length() < 32) {
            // an unsigned (or guessable) feed would let anyone inject events into the receiver
            throw new IllegalArgumentException(setting + "Secret must be at least 32 characters when " + setting + "Url is set");
        }
        this.url = url;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    public URI url() { return url; }

    /** POSTs {@code body} signed at {@code now}; throws unless the receiver answers 2xx. */
    public void post(String contentType, String body, Instant now, Map<String, String> headers) throws IOException, InterruptedException {
        String timestamp = Long.toString(now.getEpochSecond());
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .header(TIMESTAMP_HEADER, timestamp)
                .header(SIGNATURE_HEADER, "sha256=" + signature(secret, timestamp, body));
        headers.forEach(request::header);
        HttpResponse<Void> response = http.send(request.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("receiver answered HTTP " + response.statusCode());
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
