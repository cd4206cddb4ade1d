package dev.gatehouse.console.stepup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@link Totp} against the test vectors of RFC 6238 appendix B, and the rules the console adds (window, once only). */
class TotpTest {
    static final byte[] SHA1_KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SHA256_KEY = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({"59, 94287082, 46119246", "1111111109, 07081804, 68084774", "1111111111, 14050471, 67062674",
            "1234567890, 89005924, 91819424", "2000000000, 69279037, 90698825", "20000000000, 65353130, 77737706"})
    void matchesTheRfc6238TestVectors(long time, String sha1, String sha256) {
        assertThat(Totp.code(SHA1_KEY, Totp.step(time), 8, "HmacSHA1")).isEqualTo(sha1);
        assertThat(Totp.code(SHA256_KEY, Totp.step(time), 8, "HmacSHA256")).isEqualTo(sha256);
    }

    @Test
    void acceptsTheNeighbouringStepsOnceAndNothingFurther() {
        long now = 1_111_111_111L;
        long step = Totp.step(now);
        String current = Totp.code(SHA1_KEY, step);
        assertThat(Totp.match(SHA1_KEY, current, now, -1)).hasValue(step);
        assertThat(Totp.match(SHA1_KEY, current, now, step)).as("a code is good once").isEmpty();
        assertThat(Totp.match(SHA1_KEY, Totp.code(SHA1_KEY, step - 1), now, -1)).hasValue(step - 1);
        assertThat(Totp.match(SHA1_KEY, Totp.code(SHA1_KEY, step + 1), now, -1)).hasValue(step + 1);
        assertThat(Totp.match(SHA1_KEY, Totp.code(SHA1_KEY, step - 2), now, -1)).as("a minute old").isEmpty();
        assertThat(Totp.match(SHA1_KEY, current.substring(0, 3) + " " + current.substring(3), now, -1)).as("spaces as apps show them").hasValue(step);
        assertThat(Totp.match(SHA1_KEY, "12345", now, -1)).isEmpty();
        assertThat(Totp.match(SHA1_KEY, "abcdef", now, -1)).isEmpty();
        assertThat(Totp.match(SHA1_KEY, null, now, -1)).isEmpty();
    }
}
