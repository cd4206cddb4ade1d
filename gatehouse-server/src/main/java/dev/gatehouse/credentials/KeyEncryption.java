package dev.gatehouse.credentials;

import dev.gatehouse.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key-encryption key (KEK) that keeps private signing keys encrypted at rest (AES-256-GCM).
 * A stolen database or backup alone therefore yields no signing key. The KEK comes from
 * configuration ({@code GATEHOUSE_KEK}, base64 of 32 bytes) or, by default, from a key file under
 * the data directory created owner-read/write only (0600).
 */
public final class KeyEncryption {
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random;

    KeyEncryption(byte[] kek, SecureRandom random) {
        if (kek.length != 32) {
            throw new ConfigException("kek must be 32 bytes (base64 of 32 random bytes)");
        }
        this.key = new SecretKeySpec(kek, "AES");
        this.random = random;
    }

    /** From the configured base64 value, or else the key file {@code <dataDir>/kek} (created when missing). */
    public static KeyEncryption load(String configured, Path dataDir, SecureRandom random) {
        if (configured != null && !configured.isBlank()) {
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(configured.strip());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("kek (GATEHOUSE_KEK) must be base64 of 32 random bytes");
            }
            return new KeyEncryption(raw, random);
        }
        return new KeyEncryption(keyFile(dataDir.resolve("kek"), random), random);
    }

    private static byte[] keyFile(Path file, SecureRandom random) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                random.nextBytes(fresh);
                try {
                    create(file, Base64.getEncoder().encodeToString(fresh));
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first: use theirs
                }
            }
            requireOwnerOnly(file);
            byte[] raw = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (raw.length != 32) throw new ConfigException("key file " + file + " does not hold a 32-byte key");
            return raw;
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot use key file " + file + ": " + e.getClass().getSimpleName());
        }
    }

    private static void create(Path file, String content) throws IOException {
        if (isPosix(file)) {
            // Created with 0600 atomically, never briefly readable by others.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.US_ASCII);
    }

    private static void requireOwnerOnly(Path file) throws IOException {
        if (!isPosix(file)) return;
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        for (PosixFilePermission p : perms) {
            if (p != PosixFilePermission.OWNER_READ && p != PosixFilePermission.OWNER_WRITE) {
                // A key file others can read is a leaked key: refuse rather than run on it.
                throw new ConfigException("key file " + file + " must be readable by its owner only (chmod 600)");
            }
        }
    }

    private static boolean isPosix(Path file) {
        return file.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** AES-GCM with {@code context} (the key id) as associated data, so a ciphertext cannot be moved to another row. */
    public String encrypt(byte[] plaintext, String context) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] ct = cipher.doFinal(plaintext);
            byte[] out = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(ct, 0, out, iv.length, ct.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    public byte[] decrypt(String sealed, String context) {
        try {
            byte[] in = Base64.getDecoder().decode(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // Wrong KEK or tampered row; the message names neither key material nor ciphertext.
            throw new IllegalStateException("signing key " + context + " cannot be decrypted with the configured key-encryption key");
        }
    }
}
