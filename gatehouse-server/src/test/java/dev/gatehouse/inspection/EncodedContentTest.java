package dev.gatehouse.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Secrets and personal data sent in encoded form (base64, base64url, hex, percent and {@code \x}
 * escapes) are found as if they were plain; encoded material that holds none (image data,
 * digests, ids, encoded prose) is not reported; decoding is bounded and fails closed.
 */
class EncodedContentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Inspector inspector = DefaultInspector.withDefaults();

    static final String PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R4\n"
            + "/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvuNMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8s\n-----END PRIVATE KEY-----\n";

    /** One value per finding type, as an agent would have it in plain text. */
    static final Map<String, String> VALUES = new LinkedHashMap<>();

    static {
        VALUES.put("pii.payment_card", "4111 1111 1111 1111");
        VALUES.put("secret.aws_access_key", "AKIAIOSFODNN7EXAMPLE");
        VALUES.put("secret.github_token", DetectorsTest.GHP);
        VALUES.put("secret.gitlab_token", "glpat-Xk3pL9mQ2vR7tY5wZ8aB");
        VALUES.put("secret.slack_token", "xo" + "xb-2048123456-4096123456789-Qz8RkW3mT5vY9pLc2NbJ6hFd");
        VALUES.put("secret.slack_webhook", "https://hooks.slack.com/services/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");
        VALUES.put("secret.stripe_key", "sk_test_4eC39HqLyjWDarjtT1zdp7dc");
        VALUES.put("secret.private_key", PEM);
        VALUES.put("secret.jwt", DetectorsTest.JWT);
        VALUES.put("secret.generic_high_entropy", "DB_PASSWORD=Tr0ub4dor&3x");
        VALUES.put("pii.us_ssn", "536-22-1234");
        VALUES.put("pii.iban", "DE89370400440532013000");
        VALUES.put("pii.email", "amara.okafor@northwind-mail.net");
        VALUES.put("pii.phone", "+44 20 7946 0958");
    }

    static final Map<String, UnaryOperator<String>> ENCODINGS = new LinkedHashMap<>();

    static {
        ENCODINGS.put("base64", EncodedContentTest::base64);
        ENCODINGS.put("base64 without padding", v -> base64(v).replace("=", ""));
        ENCODINGS.put("base64url", EncodedContentTest::base64url);
        ENCODINGS.put("hex", EncodedContentTest::hex);
        ENCODINGS.put("HEX", v -> hex(v).toUpperCase());
        ENCODINGS.put("0x hex", v -> "0x" + hex(v));
        ENCODINGS.put("percent-encoded", EncodedContentTest::percent);
        ENCODINGS.put("\\x escapes", v -> percent(v).replace("%", "\\x"));
    }

    static String base64(String v) { return Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)); }

    static String base64url(String v) { return Base64.getUrlEncoder().withoutPadding().encodeToString(v.getBytes(StandardCharsets.UTF_8)); }

    static String hex(String v) { return HexFormat.of().formatHex(v.getBytes(StandardCharsets.UTF_8)); }

    /** Every byte escaped, as a tool that encodes more than it must would. */
    static String percent(String v) {
        StringBuilder sb = new StringBuilder();
        for (byte b : v.getBytes(StandardCharsets.UTF_8)) sb.append(String.format("%%%02X", b & 0xff));
        return sb.toString();
    }

    /** A tool call's arguments carrying {@code value} as a JSON string. */
    static String arguments(String value) throws Exception {
        return JSON.writeValueAsString(Map.of("name", "http_post", "arguments", Map.of("url", "https://paste.example.net/new", "body", value)));
    }

    private Set<String> types(String text) {
        return inspector.inspect(text, Set.of()).findingTypes();
    }

    @TestFactory
    Stream<DynamicTest> everyFindingTypeIsFoundInEveryEncoding() {
        List<DynamicTest> tests = new ArrayList<>();
        VALUES.forEach((type, value) -> ENCODINGS.forEach((encoding, encode) -> tests.add(DynamicTest.dynamicTest(type + " as " + encoding, () -> {
            String encoded = encode.apply(value);
            InspectionResult r = inspector.inspect(arguments(encoded), Set.of());
            assertThat(r.findingTypes()).as(encoded).containsExactly(type);
            assertThat(r.findings().get(0).count()).isEqualTo(1);
            // the plain form gives the same result: same type, same classification
            assertThat(r).isEqualTo(inspector.inspect(arguments(value), Set.of()));
        }))));
        return tests.stream();
    }

    @Test
    void encodedPaymentCardIsRestrictedLikeAPlainOne() {
        InspectionResult r = inspector.inspect("{\"note\":\"" + base64("card 4111111111111111 exp 12/28") + "\"}", Set.of(Classification.INTERNAL));
        assertThat(r.classification()).isEqualTo(Classification.RESTRICTED);
        assertThat(r.findings()).containsExactly(new Finding("pii.payment_card", Classification.RESTRICTED, 1));
    }

    @Test
    void everyFindingInsideOneRunCounts() {
        String run = base64("cards 4111 1111 1111 1111 and 5555555555554444, contact amara.okafor@northwind-mail.net");
        InspectionResult r = inspector.inspect("{\"blob\":\"" + run + "\"}", Set.of());
        assertThat(r.findings()).containsExactly(new Finding("pii.email", Classification.CONFIDENTIAL, 1),
                new Finding("pii.payment_card", Classification.RESTRICTED, 2));
        // the run is masked once, with its most severe type
        assertThat(inspector.redact("{\"blob\":\"" + run + "\"}", Set.of()).content()).isEqualTo("{\"blob\":\"[REDACTED:pii.payment_card]\"}");
    }

    @Test
    void anEncodedValueAssignedToASecretNameIsTheMoreSpecificFinding() {
        // plain text: "password": "sk_live_…" is one Stripe key; encoded, the same holds
        assertThat(types("{\"password\": \"" + base64("AKIAIOSFODNN7EXAMPLE") + "\"}")).containsExactly("secret.aws_access_key");
        // a random value there is still a generic secret, decoded or not
        assertThat(types("{\"password\": \"" + base64("q8Zr2VxT5nLk9WmB4cYp7HsD") + "\"}")).containsExactly("secret.generic_high_entropy");
    }

    @Test
    void valuesGluedToAPathOrANameAreRealigned() {
        assertThat(types("GET https://collector.example.net/c/" + base64("4111 1111 1111 1111"))).containsExactly("pii.payment_card");
        assertThat(types("GET https://collector.example.net/api/v2/upload/" + base64url("AKIAIOSFODNN7EXAMPLE"))).containsExactly("secret.aws_access_key");
        assertThat(types("id=key-" + hex("AKIAIOSFODNN7EXAMPLE"))).containsExactly("secret.aws_access_key");
        assertThat(types("q=note+" + base64("536-22-1234"))).containsExactly("pii.us_ssn");
    }

    @Test
    void encodedRunsInsideJsonStringsAfterEscapes() throws Exception {
        String card = base64("4111 1111 1111 1111");
        assertThat(types("{\"text\":\"card:\\n" + card + "\"}")).containsExactly("pii.payment_card");
        assertThat(types("{\"text\":\"card:\\\\n" + card + "\\\\n\"}")).containsExactly("pii.payment_card"); // JSON inside JSON
        assertThat(types("{\"text\":\"{\\\"data\\\":\\\"" + card + "\\\"}\"}")).containsExactly("pii.payment_card");
        assertThat(types("{\"text\":\"\\u0041" + hex("AKIAIOSFODNN7EXAMPLE") + "\"}")).containsExactly("secret.aws_access_key");
        // the escape's letter does not shift the run: "\n" + base64 must not be read from the n
        assertThat(types("{\"text\":\"\\n" + base64("jane.doe@northwind-mail.net") + "\"}")).containsExactly("pii.email");
        // printf '\x41\x4b…' written into a JSON string
        assertThat(types(JSON.writeValueAsString(Map.of("cmd", "printf '" + percent("AKIAIOSFODNN7EXAMPLE").replace("%", "\\x") + "'"))))
                .containsExactly("secret.aws_access_key");
    }

    @Test
    void base64WrappedInLinesIsReadAsOneRun() throws Exception {
        // `base64 .env` wraps at 76 columns; the key straddles a line break
        String env = "# prod\nAPP_ENV=production\nAWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nLOG_LEVEL=info\n";
        String wrapped = Base64.getMimeEncoder().encodeToString(env.getBytes(StandardCharsets.UTF_8)); // 76 columns, CRLF
        for (String line : wrapped.split("\r\n")) assertThat(types(line)).as("one line alone").isEmpty();
        assertThat(types(wrapped)).containsExactly("secret.aws_access_key");
        assertThat(types(wrapped.replace("\r\n", "\n"))).containsExactly("secret.aws_access_key");
        assertThat(types(JSON.writeValueAsString(Map.of("stdout", wrapped.replace("\r\n", "\n"))))).containsExactly("secret.aws_access_key");
        // a long block whose last line is full (no padding) ends where the next line's prose begins
        String log = "INFO deploy started\n".repeat(27) + "deploy by AKIAIOSFODNN7EXAMPLE"; // 570 bytes: ten lines of 76, unpadded
        assertThat(log).hasSize(570);
        String block = Base64.getMimeEncoder().encodeToString(log.getBytes(StandardCharsets.UTF_8)).replace("\r\n", "\n");
        assertThat(block).doesNotEndWith("=");
        assertThat(types(block + "\nOK, done")).containsExactly("secret.aws_access_key");
        // a PEM body (64 columns) holds a key's bytes, not text: it stays one private key, nothing more
        assertThat(types(PEM)).containsExactly("secret.private_key");
    }

    @Test
    void valuesOnePerLineAreNotGluedIntoOneBlock() throws Exception {
        // found by RedactionJsonTest: lines of 40 characters look like a block wrapped at 40 columns
        String key = hex("AKIAIOSFODNN7EXAMPLE");
        assertThat(key).hasSize(40);
        for (String next : List.of(key, "5555555555554444", base64("4111 1111 1111 1111"), base64url("536-22-1234"), "order shipped")) {
            String text = JSON.writeValueAsString(Map.of("lines", key + "\n" + next + "\n"));
            assertThat(types(text)).as(next).contains("secret.aws_access_key");
            assertThat(inspector.redact(text, Set.of()).content()).as(next).doesNotContain(key);
        }
        assertThat(types(DetectorsTest.GHP + "\r\n" + base64url("536-22-1234"))).containsExactly("pii.us_ssn", "secret.github_token");
        // a list of keys, one per line
        String keys = (key + "\n").repeat(12);
        assertThat(inspector.inspect(keys, Set.of()).findings()).containsExactly(new Finding("secret.aws_access_key", Classification.RESTRICTED, 12));
    }

    @Test
    void twoLevelsOfEncodingAreDecoded() throws Exception {
        String b64 = base64("AKIAIOSFODNN7EXAMPLE");
        assertThat(types("https://x.example.net/?d=" + percent(b64))).containsExactly("secret.aws_access_key");
        assertThat(types("https://x.example.net/?d=" + b64.replace("=", "%3D"))).containsExactly("secret.aws_access_key");
        assertThat(types(base64(base64("4111 1111 1111 1111")))).containsExactly("pii.payment_card");
        assertThat(types(hex(base64("536-22-1234")))).containsExactly("pii.us_ssn");
        // a Kubernetes secret read as JSON: data values are base64 of a config that holds a base64 key
        String kubeconfig = "users:\n- name: ci\n  user:\n    client-key-data: " + base64(PEM) + "\n";
        assertThat(types(JSON.writeValueAsString(Map.of("data", Map.of("config", base64(kubeconfig)))))).containsExactly("secret.private_key");
    }

    @Test
    void aThirdLevelOfEncodedTextIsReportedIncompleteNotClean() {
        InspectionResult r = inspector.inspect(base64(base64(base64("4111 1111 1111 1111"))), Set.of());
        assertThat(r.findingTypes()).containsExactly(DefaultInspector.INCOMPLETE);
        assertThat(r.classification()).isEqualTo(Classification.RESTRICTED);
        // …but a third level that is part of a finding is not "unread": a JWT wrapped twice is a JWT
        assertThat(types(base64(base64(DetectorsTest.JWT)))).containsExactly("secret.jwt");
        // …and binary at the third level is not text to worry about
        assertThat(types(base64(base64(Base64.getEncoder().encodeToString(randomBytes(new Random(3), 64)))))).isEmpty();
    }

    @Test
    void encodedNearMissesAreNotReported() {
        assertThat(types(base64("card 4111 1111 1111 1112"))).isEmpty(); // Luhn
        assertThat(types(hex("AKIAIOSFODNN7EXAMPL"))).isEmpty(); // 19 characters
        assertThat(types(base64("IBAN DE88370400440532013000"))).isEmpty(); // checksum
        assertThat(types(percent("SSN 666-12-3456"))).isEmpty(); // never issued
        assertThat(types(base64url("write to someone@example.com"))).isEmpty(); // reserved domain
    }

    @Test
    void encodedMaterialWithoutFindingsIsLeftAlone() throws Exception {
        Random r = new Random(20261201);
        List<String> texts = new ArrayList<>();
        // image content blocks: base64 of binary, as MCP tools return screenshots
        for (int size : new int[] {16, 100, 3_000, 200_000}) {
            byte[] png = randomBytes(r, size);
            System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, png, 0, Math.min(8, size));
            texts.add(JSON.writeValueAsString(Map.of("type", "image", "mimeType", "image/png", "data", Base64.getEncoder().encodeToString(png))));
        }
        // ids and digests: UUIDs, git SHAs, SHA-256 in hex, base64 and base64url
        StringBuilder ids = new StringBuilder();
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < 500; i++) {
            byte[] input = ("commit " + i).getBytes(StandardCharsets.UTF_8);
            ids.append(new UUID(r.nextLong(), r.nextLong())).append(' ').append(HexFormat.of().formatHex(sha1.digest(input))).append(" sha256:")
                    .append(HexFormat.of().formatHex(sha256.digest(input))).append(' ').append(Base64.getEncoder().encodeToString(sha256.digest(input)))
                    .append(" etag=").append(Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(r, 12 + r.nextInt(40)))).append('\n');
        }
        texts.add(ids.toString());
        // encoded prose and code: decoded, read, nothing found
        String source = "def handler(event, context):\n    return {\"status\": 200, \"body\": event.get(\"path\")}\n";
        texts.add(JSON.writeValueAsString(Map.of("content", base64(source.repeat(20)), "encoding", "base64")));
        texts.add("https://login.example.net/authorize?redirect_uri=https%3A%2F%2Fapp.example.net%2Fcb%3Fq%3D1&scope=openid%20profile&state="
                + base64url("{\"return_to\":\"/projects/42\",\"nonce\":\"" + hex("n0nce") + "\"}"));
        texts.add(hex("The quick brown fox jumps over the lazy dog, version 2.20.1 released 2026-11-23."));
        // identifiers and paths long enough to be tried
        texts.add("src/main/java/dev/gatehouse/inspection/DefaultInspectorTest AbstractSingletonProxyFactoryBean jackson-databind-2.20.1 "
                + "I_kwDOAbCdEf5xYz12 node_modules/@modelcontextprotocol/sdk/dist/esm/client/streamableHttp.js 20261123093003123456789012");
        for (String text : texts) {
            InspectionResult result = inspector.inspect(text, Set.of());
            assertThat(result).as(text.length() > 200 ? text.substring(0, 200) : text).isEqualTo(InspectionResult.clean());
        }
    }

    @Test
    void randomBase64AndHexStringsAreNotReported() {
        // what an agent's traffic is full of: tokens, nonces, ids; none decodes to a finding
        Random r = new Random(7);
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = randomBytes(r, 8 + r.nextInt(150));
            String s = switch (i % 4) {
                case 0 -> Base64.getEncoder().encodeToString(bytes);
                case 1 -> Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                case 2 -> HexFormat.of().formatHex(bytes);
                default -> percentBytes(bytes);
            };
            sb.append('"').append(s).append("\",");
        }
        sb.setCharAt(sb.length() - 1, ']');
        assertThat(inspector.inspect(sb.toString(), Set.of())).isEqualTo(InspectionResult.clean());
    }

    @Test
    void fiveMegabytesOfBase64NoiseAreReadWithoutGivingUp() {
        // the benchmark measures the time (InspectorBenchmark, base64_noise); here: nothing found, nothing left unread
        String noise = InspectorBenchmark.base64Noise(5 * 1024 * 1024);
        assertThat(inspector.inspect(noise, Set.of())).isEqualTo(InspectionResult.clean());
        String secretAtTheEnd = noise.substring(0, noise.length() - 1) + ",\"" + base64("4111 1111 1111 1111") + "\"]";
        assertThat(inspector.inspect(secretAtTheEnd, Set.of()).findingTypes()).containsExactly("pii.payment_card");
    }

    @Test
    void aLargeBase64FileIsDecodedInFullWithinTheLimits() {
        // a contents API returns files as base64: 1 MB of text is well within the per-payload limits
        StringBuilder file = new StringBuilder();
        while (file.length() < 1_000_000) file.append("INFO order shipped in 2.4 s (items=3)\n");
        file.append("card on file 4111 1111 1111 1111\n");
        InspectionResult r = inspector.inspect("{\"content\":\"" + Base64.getMimeEncoder().encodeToString(file.toString().getBytes(StandardCharsets.UTF_8))
                .replace("\r\n", "\\n") + "\"}", Set.of());
        assertThat(r.findingTypes()).containsExactly("pii.payment_card");
    }

    @Test
    void moreEncodedTextThanTheLimitsAllowIsReportedIncompleteNotClean() {
        // a payload that is nothing but short base64 texts decodes more often than the limit (1,024 + one per
        // 32 characters) allows: padding placed before a secret must not push it out of sight
        String padding = (base64("hello, world") + " ").repeat(10_000);
        InspectionResult r = inspector.inspect(padding + base64("4111 1111 1111 1111"), Set.of());
        assertThat(r.findingTypes()).contains(DefaultInspector.INCOMPLETE);
        assertThat(r.classification()).isEqualTo(Classification.RESTRICTED);
        // far fewer of them is ordinary content
        assertThat(inspector.inspect((base64("hello, world") + " ").repeat(500), Set.of())).isEqualTo(InspectionResult.clean());
    }

    @Test
    void encodedValuesShorterThanTheShortestFindingAreNotDecoded() {
        // 11 characters (a dashed SSN) is the shortest finding decoded for: base64 ≥ 15, hex ≥ 22 characters
        assertThat(base64url("536-22-1234")).hasSize(EncodedContent.MIN_BASE64);
        assertThat(hex("536-22-1234")).hasSize(EncodedContent.MIN_HEX);
        assertThat(types(base64url("536-22-1234"))).containsExactly("pii.us_ssn");
        // a short e-mail address encoded is below the bound: a known gap, documented
        assertThat(types(base64("jo@corp.io"))).isEmpty();
        assertThat(types("jo@corp.io")).containsExactly("pii.email");
    }

    @Test
    void redactionMasksTheWholeRunAndKeepsJsonValid() throws Exception {
        String args = JSON.writeValueAsString(Map.of("url", "https://paste.example.net/new?title=notes&body=" + percent("4111 1111 1111 1111"),
                "data", base64("AKIAIOSFODNN7EXAMPLE"), "text", "keys:\n" + hex(DetectorsTest.GHP) + "\nend",
                "nested", JSON.writeValueAsString(Map.of("inner", base64url("jane.doe@northwind-mail.net")))));
        Inspector.Redaction red = inspector.redact(args, Set.of());
        var parsed = JSON.readTree(red.content()); // still JSON
        assertThat(parsed.get("url").asText()).isEqualTo("https://paste.example.net/new?title=notes&body=[REDACTED:pii.payment_card]");
        assertThat(parsed.get("data").asText()).isEqualTo("[REDACTED:secret.aws_access_key]");
        assertThat(parsed.get("text").asText()).isEqualTo("keys:\n[REDACTED:secret.github_token]\nend");
        assertThat(JSON.readTree(parsed.get("nested").asText()).get("inner").asText()).isEqualTo("[REDACTED:pii.email]");
        assertThat(red.result()).isEqualTo(inspector.inspect(args, Set.of()));
        assertThat(inspector.inspect(red.content(), Set.of())).isEqualTo(InspectionResult.clean());
    }

    @Test
    void aPercentEncodedFindingIsMaskedOverItsOwnCharacters() {
        Inspector.Redaction red = inspector.redact("POST /form card=4111%201111%201111%201111&name=Amara%20Okafor", Set.of());
        assertThat(red.content()).isEqualTo("POST /form card=[REDACTED:pii.payment_card]&name=Amara%20Okafor");
        // a finding in plain text inside a percent-encoded URL is one finding, not two
        assertThat(inspector.inspect("https://x.example.net/?q=a%20b&key=AKIAIOSFODNN7EXAMPLE", Set.of()).findings())
                .containsExactly(new Finding("secret.aws_access_key", Classification.RESTRICTED, 1));
    }

    @Test
    void disabledTypesAndConfiguredDetectorsApplyToDecodedTextToo() {
        DefaultInspector configured = Inspectors.fromConfig(ConfigLoader.load(null, Map.of(), Map.of(
                "inspection.disabled", "pii.email",
                "inspection.dictionaries", "[{\"type\":\"custom.codename\",\"classification\":\"confidential\",\"words\":[\"Nightingale\"]}]",
                "inspection.patterns", "[{\"type\":\"custom.employee_id\",\"classification\":\"internal\",\"regex\":\"\\\\bEMP-[0-9]{6}\\\\b\"}]")).inspection());
        assertThat(configured.inspect(base64("launch of Project Nightingale, owner EMP-004211"), Set.of()).findingTypes())
                .containsExactly("custom.codename", "custom.employee_id");
        assertThat(configured.inspect(base64("mail amara.okafor@northwind-mail.net"), Set.of()).findings()).isEmpty();
    }

    @Test
    void aJwtsOwnSegmentsAreNotReportedAgain() {
        // the payload of this token holds an e-mail address: the JWT is the finding, as before decoding existed
        String payload = base64url("{\"sub\":\"1234567890\",\"email\":\"jane.doe@northwind-mail.net\",\"iat\":1516239022}");
        String jwt = DetectorsTest.JWT.substring(0, DetectorsTest.JWT.indexOf('.') + 1) + payload + DetectorsTest.JWT.substring(DetectorsTest.JWT.lastIndexOf('.'));
        assertThat(inspector.inspect("Authorization: Bearer " + jwt, Set.of()).findings())
                .containsExactly(new Finding("secret.jwt", Classification.RESTRICTED, 1));
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static String percentBytes(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) sb.append(String.format("%%%02x", b & 0xff));
        return sb.toString();
    }
}
