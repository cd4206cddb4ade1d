package dev.gatehouse.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each built-in detector on what it must find and on the near-misses it must leave alone. */
class DetectorsTest {
    private final Inspector inspector = DefaultInspector.withDefaults();

    private Set<String> types(String text) {
        return inspector.inspect(text, Set.of()).findingTypes();
    }

    static final String GHP = "ghp_" + "R7xq2LmZ9vKp4TnW8bYc3HdJ6sFgA1eQ0uNo"; // 36 after the prefix
    static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
            + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

    @Test
    void awsAccessKeyIdsOfExactlyTwentyBase32Characters() {
        assertThat(types("aws_access_key_id = AKIAIOSFODNN7EXAMPLE")).containsExactly("secret.aws_access_key");
        assertThat(types("{\"key\":\"ASIAY34FZKBOKMUTVV7A\"}")).containsExactly("secret.aws_access_key");
        assertThat(types("id AKIAIOSFODNN7EXAMPL here")).isEmpty(); // 19
        assertThat(types("id AKIAIOSFODNN7EXAMPLEX here")).isEmpty(); // 21
        assertThat(types("id AKIAIOSFODNN1EXAMPLE here")).isEmpty(); // 1 is not base32
        assertThat(types("XAKIAIOSFODNN7EXAMPLE")).isEmpty(); // inside a word
    }

    @Test
    void gitHubGitLabSlackAndStripeTokens() {
        assertThat(types("token: " + GHP)).contains("secret.github_token");
        assertThat(types("GITHUB_TOKEN=" + GHP.substring(0, 39))).doesNotContain("secret.github_token"); // 35 characters
        assertThat(types("github_pat_11ABCDEFG0123456789abcd_" + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg"))
                .contains("secret.github_token");
        assertThat(types("use glpat-Xk3pL9mQ2vR7tY5wZ8aB now")).containsExactly("secret.gitlab_token");
        assertThat(types("use glpat-short now")).isEmpty();
        assertThat(types("SLACK=xo" + "xb-2048123456-4096123456789-Qz8RkW3mT5vY9pLc2NbJ6hFd")).contains("secret.slack_token");
        assertThat(types("set it to xoxb-your-bot-token-here-please")).isEmpty();
        assertThat(types("https://hooks.slack.com/services/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"))
                .containsExactly("secret.slack_webhook");
        assertThat(types("stripe key sk_test_4eC39HqLyjWDarjtT1zdp7dc")).containsExactly("secret.stripe_key");
        assertThat(types("publishable pk_test_TYooMQauvdEDq54NiTphI7jx")).isEmpty();
        assertThat(types("sk_test_short123")).isEmpty();
    }

    @Test
    void privateKeysNeedABodyAndPublicKeysAreNotSecrets() {
        String body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R4";
        assertThat(types("-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n")).containsExactly("secret.private_key");
        assertThat(types("{\"pem\":\"-----BEGIN RSA PRIVATE KEY-----\\n" + body + "\\n-----END RSA PRIVATE KEY-----\"}"))
                .containsExactly("secret.private_key");
        assertThat(types("-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----")).isEmpty();
        assertThat(types("A key file starts with -----BEGIN PRIVATE KEY----- and ends with the END line.")).isEmpty();
    }

    @Test
    void jwtsNeedThreeSegmentsAndAnAlgHeader() {
        assertThat(types("Authorization: Bearer " + JWT)).containsExactly("secret.jwt"); // not also generic
        assertThat(types(JWT.substring(0, JWT.lastIndexOf('.')))).isEmpty();
        // base64url of {"typ":"x"} — JSON, but no alg: not a JOSE header
        assertThat(types("eyJ0eXAiOiJ4In0.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghij")).isEmpty();
    }

    @Test
    void genericSecretsNextToKeyLikeNames() {
        assertThat(types("{\"client_secret\": \"q8Zr2VxT5nLk9WmB4cYp7HsD\"}")).containsExactly("secret.generic_high_entropy");
        assertThat(types("DB_PASSWORD=Tr0ub4dor&3x")).containsExactly("secret.generic_high_entropy");
        assertThat(types("{\\\"api_key\\\":\\\"f3a9c2e17b4d4e0a9c6b2d8e1f7a3c5b\\\"}")).containsExactly("secret.generic_high_entropy");
        assertThat(types("{\"description\": \"q8Zr2VxT5nLk9WmB4cYp7HsD\"}")).isEmpty(); // not a key-like name
        assertThat(types("{\"password\": \"<your-password-here>\"}")).isEmpty();
        assertThat(types("password: ${DB_PASSWORD}")).isEmpty();
        assertThat(types("{\"nextPageToken\": \"CiAKGjBpNDd2Nmp2Zml2cXRwYjBpOXA0\"}")).isEmpty();
        assertThat(types("{\"token\": \"aaaaaaaaaaaaaaaaaaaa\"}")).isEmpty(); // no entropy
        assertThat(types("{\"max_tokens\": 4096}")).isEmpty();
        // source code assigning to key-like names is not a secret
        assertThat(types("String token = Broker.body(first).path(\"access_token\").asText();")).isEmpty();
        assertThat(types("auth = base64.b64encode(user_passwd.encode()).decode('ascii')")).isEmpty();
        assertThat(types("JsonNode byToken = Json.MAPPER.readTreeValue;")).isEmpty();
        assertThat(types("write(\"server: \" + uri + \"\\ntoken: \" + TestGatehouse.ADMIN_TOKEN + \"\\n\");")).isEmpty();
        assertThat(types("assertThat(out).contains(\"secret:\").doesNotContain(secretValue);")).isEmpty();
    }

    @Test
    void emailsExceptReservedExampleDomainsAndLookAlikes() {
        assertThat(types("contact jane.doe+billing@northwind-mail.net today")).containsExactly("pii.email");
        assertThat(types("{\"email\":\"o.okafor@mail.contoso-corp.io\"}")).containsExactly("pii.email");
        assertThat(types("write to someone@example.com or admin@test.example")).isEmpty();
        assertThat(types("git clone git@github.com:org/repo.git")).isEmpty();
        assertThat(types("git clone https://x-access-token:" + GHP + "@github.com/org/repo.git")).containsExactly("secret.github_token");
        assertThat(types("mailto:amara.okafor@northwind-mail.net")).containsExactly("pii.email");
        assertThat(types("logo@2x.png and @modelcontextprotocol/sdk and lodash@4.17.21")).isEmpty();
    }

    @Test
    void phoneNumbersInInternationalAndNorthAmericanShapes() {
        assertThat(types("call +44 20 7946 0958")).containsExactly("pii.phone");
        assertThat(types("call (415) 555-0132 now")).containsExactly("pii.phone");
        assertThat(types("call 415-555-0132.")).containsExactly("pii.phone");
        assertThat(types("released 2024-01-15, ip 192.168.100.200, id 4155550132")).isEmpty();
        assertThat(types("version 1.415.555.01325")).isEmpty();
        assertThat(types("quantize(Decimal('+35236450.6'))")).isEmpty();
        // a number right after the phone number does not swallow it
        assertThat(inspector.redact("+44 20 7946 0958 (536-22-1234) and +44 20 7946 0958 12.5", Set.of()).content())
                .isEqualTo("[REDACTED:pii.phone] ([REDACTED:pii.us_ssn]) and [REDACTED:pii.phone] 12.5");
    }

    @Test
    void ssnsExcludeNumbersNeverIssued() {
        assertThat(types("SSN 536-22-1234")).containsExactly("pii.us_ssn");
        assertThat(types("{\"ssn\": \"536221234\"}")).containsExactly("pii.us_ssn");
        assertThat(types("order 536221234")).isEmpty(); // unlabelled nine digits
        assertThat(types("000-12-3456 666-12-3456 912-34-5678 536-00-1234 536-22-0000")).isEmpty();
        assertThat(types("part 536-22-12345")).isEmpty();
    }

    @Test
    void paymentCardsMustPassLuhnAndMatchAScheme() {
        assertThat(types("card 4111111111111111")).containsExactly("pii.payment_card");
        assertThat(types("card 4111 1111 1111 1111 exp 12/28")).containsExactly("pii.payment_card");
        assertThat(types("amex 3782-822463-10005")).containsExactly("pii.payment_card");
        assertThat(types("card 4111111111111112")).isEmpty(); // Luhn fails
        assertThat(types("card 4111 1111 1111 1112")).isEmpty();
        assertThat(types("ts 1700000000000000 ")).isEmpty(); // Luhn-valid shapes starting with 1 are no scheme
        assertThat(types("pi 3.141592653589793238")).isEmpty();
        assertThat(types("card 37828224631000")).isEmpty(); // amex with 14 digits
    }

    @Test
    void findingsRightAfterJsonEscapesAreStillFound() {
        // tool results are JSON text inside a JSON string: "\\n" (and "\\\\n" when encoded twice) precede values
        String[] escapes = {"\\n", "\\t", "\\\\n", "\\\""};
        for (String e : escapes) {
            assertThat(types("{\"text\":\"card:" + e + "4111 1111 1111 1111" + e + "\"}")).as(e).containsExactly("pii.payment_card");
            assertThat(types("{\"text\":\"keys" + e + "AKIAIOSFODNN7EXAMPLE" + e + "\"}")).as(e).containsExactly("secret.aws_access_key");
            assertThat(types("{\"text\":\"iban" + e + "DE89370400440532013000\"}")).as(e).containsExactly("pii.iban");
            assertThat(types("{\"text\":\"ssn" + e + "536-22-1234\"}")).as(e).containsExactly("pii.us_ssn");
            assertThat(types("{\"text\":\"tel" + e + "+44 20 7946 0958\"}")).as(e).containsExactly("pii.phone");
            assertThat(types("{\"text\":\"to" + e + "amara.okafor@northwind-mail.net\"}")).as(e).containsExactly("pii.email");
        }
        assertThat(types("{\"text\":\"{\\\\\\\"password\\\\\\\":\\\\\\\"q8Zr2VxT5nLk9WmB4cYp7HsD\\\\\\\"}\"}"))
                .containsExactly("secret.generic_high_entropy");
    }

    @Test
    void ibansMustHaveTheCountryLengthAndMod97() {
        assertThat(types("IBAN DE89370400440532013000")).containsExactly("pii.iban");
        assertThat(types("IBAN GB82 WEST 1234 5698 7654 32.")).containsExactly("pii.iban");
        assertThat(types("IBAN DE88370400440532013000")).isEmpty(); // checksum
        assertThat(types("IBAN DE8937040044053201300")).isEmpty(); // 21 for a 22-character country
        assertThat(types("IBAN ZZ89370400440532013000")).isEmpty(); // no such country
    }
}
