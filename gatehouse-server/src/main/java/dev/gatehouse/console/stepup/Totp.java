package dev.gatehouse.console.stepup;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords, RFC 6238 over the HOTP of RFC 4226: HMAC-SHA1, 30-second steps from the
 * Unix epoch, 6 digits — the parameters every authenticator app uses by default. A few lines over the JDK's
 * {@link Mac}; the RFC's own test vectors check it ({@code TotpTest}).
 */
public final class Totp {
    public static final int DIGITS = 6;
    public static final long STEP_SECONDS = 30;
    /** Codes of the previous and next step are accepted too: phone clocks drift and people type slowly. */
    static final int WINDOW = 1;

    private Totp() {}

    /** The code for time step {@code step} (RFC 4226 section 5.3, dynamic truncation). */
    public static String code(byte[] key, long step, int digits, String algorithm) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = h[h.length - 1] & 0x0f;
            int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8) | (h[offset + 3] & 0xff);
            long modulus = (long) Math.pow(10, digits);
            return String.format("%0" + digits + "d", binary % modulus);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }

    public static String code(byte[] key, long step) { return code(key, step, DIGITS, "HmacSHA1"); }

    public static long step(long epochSeconds) { return Math.floorDiv(epochSeconds, STEP_SECONDS); }

    /**
     * The time step whose code {@code entered} is, within the window around {@code epochSeconds} and after
     * {@code lastUsedStep} (a code is good once: replaying an observed code fails), or empty.
     */
    public static OptionalLong match(byte[] key, String entered, long epochSeconds, long lastUsedStep) {
        if (entered == null) return OptionalLong.empty();
        String code = entered.replace(" ", "").strip();
        if (code.length() != DIGITS || !code.chars().allMatch(Character::isDigit)) return OptionalLong.empty();
        long now = step(epochSeconds);
        for (long s = now - WINDOW; s <= now + WINDOW; s++) {
            if (s <= lastUsedStep) continue;
            // Constant-time comparison: the position of the first wrong digit must not show in the timing.
            if (MessageDigest.isEqual(code(key, s).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    code.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                return OptionalLong.of(s);
            }
        }
        return OptionalLong.empty();
    }
}
