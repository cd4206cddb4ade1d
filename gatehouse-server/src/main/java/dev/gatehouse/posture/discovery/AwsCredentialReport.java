package dev.gatehouse.posture.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.gatehouse.core.Json;
import dev.gatehouse.core.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The AWS IAM credential report: the CSV of {@code aws iam get-credential-report} (that command's JSON
 * answer, whose {@code Content} is the base64 of the CSV, is accepted as is). One row per IAM user with
 * the columns AWS documents ({@code user, arn, user_creation_time, password_enabled, password_last_used,
 * …, access_key_1_active, access_key_1_last_rotated, access_key_1_last_used_date, …, cert_2_last_rotated}).
 * A user with an active access key or signing certificate is a non-human identity (programmatic access);
 * a user with a console password only is a person, and is left out.
 */
final class AwsCredentialReport implements ExportParser {
    static final String FORMAT = "aws-iam-credential-report";
    private static final List<String> REQUIRED = List.of("user", "arn", "user_creation_time", "password_enabled", "password_last_used",
            "mfa_active", "access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date", "access_key_2_active",
            "access_key_2_last_rotated", "access_key_2_last_used_date");
    private static final CsvMapper CSV = new CsvMapper();

    @Override
    public String format() { return FORMAT; }

    @Override
    public List<Discovered> parse(String content, Instant now) {
        String csv = csvOf(content);
        List<Map<String, String>> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = CSV.readerForMapOf(String.class).with(CsvSchema.emptySchema().withHeader())
                .readValues(csv)) {
            while (it.hasNext()) rows.add(it.next());
        } catch (IOException | RuntimeException e) {
            throw new Problem.Invalid("content", "not a readable CSV credential report: " + firstLine(e.getMessage()));
        }
        if (rows.isEmpty()) throw new Problem.Invalid("content", "the credential report has no users");
        for (String column : REQUIRED) {
            if (!rows.get(0).containsKey(column)) {
                throw new Problem.Invalid("content", "not an AWS IAM credential report: column '" + column + "' is missing");
            }
        }
        List<Discovered> out = new ArrayList<>();
        for (Map<String, String> row : rows) {
            List<Map<String, Object>> keys = new ArrayList<>();
            Instant lastUsed = Facts.time(row.get("password_last_used"));
            Long oldestActiveKey = null;
            for (int slot = 1; slot <= 2; slot++) {
                String p = "access_key_" + slot + "_";
                boolean active = "true".equalsIgnoreCase(row.get(p + "active"));
                Instant rotated = Facts.time(row.get(p + "last_rotated"));
                if (!active && rotated == null) continue;
                Instant used = Facts.time(row.get(p + "last_used_date"));
                if (used != null && (lastUsed == null || used.isAfter(lastUsed))) lastUsed = used;
                Long age = Facts.ageDays(rotated, now);
                if (active && age != null && (oldestActiveKey == null || age > oldestActiveKey)) oldestActiveKey = age;
                keys.add(Facts.of("slot", slot, "active", active, "lastRotated", Facts.iso(rotated), "ageDays", age, "lastUsed", Facts.iso(used),
                        "lastUsedRegion", na(row.get(p + "last_used_region")), "lastUsedService", na(row.get(p + "last_used_service"))));
            }
            List<Map<String, Object>> certs = new ArrayList<>();
            for (int slot = 1; slot <= 2; slot++) {
                String p = "cert_" + slot + "_";
                boolean active = "true".equalsIgnoreCase(row.getOrDefault(p + "active", "false"));
                if (!active) continue;
                Instant rotated = Facts.time(row.get(p + "last_rotated"));
                certs.add(Facts.of("slot", slot, "active", true, "lastRotated", Facts.iso(rotated), "ageDays", Facts.ageDays(rotated, now)));
            }
            boolean programmatic = keys.stream().anyMatch(k -> Boolean.TRUE.equals(k.get("active"))) || !certs.isEmpty();
            if (!programmatic) continue; // a person's console login, or a user with nothing usable: not a non-human identity
            String user = row.get("user");
            boolean root = "<root_account>".equals(user);
            String password = row.get("password_enabled");
            Instant created = Facts.time(row.get("user_creation_time"));
            out.add(new Discovered(row.get("arn"), root ? "root account" : user, Facts.of(
                    "user", user, "arn", row.get("arn"), "rootAccount", root,
                    "createdAt", Facts.iso(created), "ageDays", Facts.ageDays(created, now),
                    "consolePassword", "true".equals(password) || "not_supported".equals(password) && root,
                    "passwordLastUsed", Facts.iso(Facts.time(row.get("password_last_used"))),
                    "mfaActive", "true".equalsIgnoreCase(row.get("mfa_active")),
                    "accessKeys", keys, "signingCertificates", certs,
                    "oldestActiveKeyAgeDays", oldestActiveKey, "lastUsed", Facts.iso(lastUsed))));
        }
        return out;
    }

    /** The CSV itself, or the base64 {@code Content} of the CLI's JSON answer. */
    private static String csvOf(String content) {
        String trimmed = content.strip();
        if (!trimmed.startsWith("{")) return trimmed;
        try {
            JsonNode json = Json.MAPPER.readTree(trimmed);
            String encoded = json.path("Content").asText("");
            if (encoded.isEmpty()) throw new Problem.Invalid("content", "a JSON credential report needs its base64 'Content' (aws iam get-credential-report)");
            return new String(Base64.getMimeDecoder().decode(encoded), StandardCharsets.UTF_8).strip();
        } catch (IOException | IllegalArgumentException e) {
            throw new Problem.Invalid("content", "not an AWS credential report: neither CSV nor the JSON of aws iam get-credential-report");
        }
    }

    private static String na(String v) { return v == null || v.equals("N/A") || v.isBlank() ? null : v; }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        String line = message.lines().findFirst().orElse("unreadable");
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
