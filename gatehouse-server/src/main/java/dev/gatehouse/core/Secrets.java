package dev.gatehouse.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * High-entropy bearer secrets. They carry 256 random bits, so a plain SHA-256 is a sufficient
 * at-rest hash (no password stretching needed) and lookups stay constant-cost.
 */
public final class Secrets {
    private final SecureRandom random;

    public Secrets(SecureRandom random) { this.random = random; }

    /** A new secret: {@code prefix} followed by 43 url-safe characters (256 bits). */
    public String newSecret(String prefix) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A short random id for public identifiers (not secret). */
    public String newId(String prefix) {
        byte[] bytes = new byte[9];
        random.nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }

    public static String sha256Hex(String value) {
        return HexFormat.of().formatHex(sha256(value.getBytes(StandardCharsets.UTF_8)));
    }

    public static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compares hashes without leaking their common prefix length through timing. */
    public static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
