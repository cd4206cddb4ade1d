package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import dev.gatehouse.cli.Main;
import dev.gatehouse.core.Json;
import dev.gatehouse.testing.TestGatehouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offline verification of a real server's export: every kind of tampering makes `gatehouse audit
 * verify` fail at the right seq; the untouched export verifies. The export has at least 13 records
 * and a signed checkpoint at seq 11 (record positions below are seq - 1).
 */
class AuditVerifyTest {
    @TempDir static Path dir;
    static List<String> export;
    static JWKSet jwks;
    static Path jwksFile;
    static String checkpointsJson;

    @BeforeAll
    static void exportFromARealServer() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir.resolve("data"), null, Map.of("audit.checkpointEvery", "1000000"))) {
            for (int i = 1; i <= 12; i++) {
                gh.gatehouse().audit().record(AuditEvent.of("test.event", AuditEvent.Category.ACCESS, "success", "system")
                        .withReason("event " + i));
                if (i == 10) assertThat(gh.gatehouse().checkpoints().checkpointNow()).isPresent();
            }
            export = gh.http("GET", "/v1/audit/export", null, TestGatehouse.ADMIN_TOKEN).body().lines().toList();
            String keys = gh.http("GET", "/v1/audit/jwks", null, TestGatehouse.ADMIN_TOKEN).body();
            jwks = JWKSet.parse(keys);
            jwksFile = dir.resolve("jwks.json");
            Files.writeString(jwksFile, keys);
            checkpointsJson = gh.http("GET", "/v1/audit/checkpoints", null, TestGatehouse.ADMIN_TOKEN).body();
        }
        // bootstrap token + 12 test events + the first authenticated read
        assertThat(records(export)).hasSizeGreaterThanOrEqualTo(13);
        assertThat(export.get(export.size() - 1)).startsWith("{\"checkpoint\":");
    }

    private static List<String> records(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("{\"seq\"")).toList();
    }

    private static List<String> checkpointLines(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("{\"checkpoint\"")).toList();
    }

    private static ChainVerifier.Result verify(List<String> lines) {
        return ChainVerifier.verify(lines, List.of(), jwks, false);
    }

    private static long brokenAt(List<String> lines) {
        ChainVerifier.Result r = verify(lines);
        assertThat(r).isInstanceOf(ChainVerifier.Broken.class);
        return ((ChainVerifier.Broken) r).seq();
    }

    /** Record lines edited by {@code edit}, checkpoint lines kept. */
    private static List<String> withRecords(UnaryOperator<List<String>> edit) {
        List<String> out = new ArrayList<>(edit.apply(new ArrayList<>(records(export))));
        out.addAll(checkpointLines(export));
        return out;
    }

    private static String change(String line, String field, Object value, boolean rehash) throws Exception {
        ObjectNode node = (ObjectNode) Json.MAPPER.readTree(line);
        node.set(field, Json.MAPPER.valueToTree(value));
        if (rehash) node.put("hash", HashChain.hash(node));
        return Json.write(node);
    }

    private static int cli(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            return Main.run(args);
        } finally {
            System.setOut(saved);
        }
    }

    private static Path write(String name, List<String> lines) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, lines);
        return p;
    }

    @Test
    void untouchedExportVerifiesWithSignedCheckpoint() throws Exception {
        ChainVerifier.Result r = verify(export);
        assertThat(r).isInstanceOf(ChainVerifier.Intact.class);
        ChainVerifier.Intact ok = (ChainVerifier.Intact) r;
        assertThat(ok.records()).isEqualTo(records(export).size());
        assertThat(ok.checkpointsMatched()).isEqualTo(1);
        assertThat(ok.signaturesVerified()).isTrue();
        assertThat(cli("audit", "verify", "--file", write("ok.jsonl", export).toString(), "--jwks", jwksFile.toString())).isZero();
    }

    @Test
    void modifiedRecordIsReportedAtItsSeq() throws Exception {
        List<String> tampered = withRecords(r -> { r.set(3, uncheck(() -> change(r.get(3), "outcome", "failure", false))); return r; });
        assertThat(brokenAt(tampered)).isEqualTo(4);
        assertThat(cli("audit", "verify", "--file", write("modified.jsonl", tampered).toString(), "--jwks", jwksFile.toString())).isEqualTo(1);
    }

    @Test
    void modifiedAndRehashedRecordBreaksTheLinkToTheNext() throws Exception {
        List<String> tampered = withRecords(r -> { r.set(3, uncheck(() -> change(r.get(3), "reason", "nothing to see", true))); return r; });
        assertThat(brokenAt(tampered)).isEqualTo(5);
    }

    @Test
    void aDuplicatedMemberCannotSmuggleAForgedValuePastTheHash() {
        // Readers that keep the first of two "outcome" members would see "failure"; the hash covers the last.
        List<String> tampered = withRecords(r -> { r.set(3, r.get(3).replaceFirst("\\{", "{\"outcome\":\"failure\",")); return r; });
        assertThat(brokenAt(tampered)).isEqualTo(4);
    }

    @Test
    void deletedRecordIsReportedAtTheMissingSeq() throws Exception {
        List<String> tampered = withRecords(r -> { r.remove(3); return r; });
        assertThat(brokenAt(tampered)).isEqualTo(4);
        assertThat(cli("audit", "verify", "--file", write("deleted.jsonl", tampered).toString())).isEqualTo(1);
    }

    @Test
    void deletingTheFirstRecordIsDetected() {
        assertThat(brokenAt(withRecords(r -> { r.remove(0); return r; }))).isEqualTo(1);
    }

    @Test
    void insertedRecordIsReportedWhereItWasInserted() throws Exception {
        // A forged record that links correctly to seq 3 and carries a valid hash of its own.
        List<String> tampered = withRecords(r -> {
            ObjectNode forged = (ObjectNode) uncheck(() -> Json.MAPPER.readTree(r.get(3)));
            forged.put("reason", "forged");
            forged.put("hash", HashChain.hash(forged));
            r.add(3, Json.write(forged));
            return r;
        });
        assertThat(brokenAt(tampered)).isEqualTo(4);
        assertThat(((ChainVerifier.Broken) verify(tampered)).problem()).contains("sequence break");
    }

    @Test
    void reorderedRecordsAreReportedAtTheFirstDisplacedSeq() throws Exception {
        List<String> tampered = withRecords(r -> { Collections.swap(r, 5, 6); return r; });
        assertThat(brokenAt(tampered)).isEqualTo(6);
        assertThat(cli("audit", "verify", "--file", write("reordered.jsonl", tampered).toString())).isEqualTo(1);
    }

    @Test
    void truncationBeforeTheLastCheckpointIsDetected() throws Exception {
        List<String> tampered = withRecords(r -> new ArrayList<>(r.subList(0, 8)));
        assertThat(brokenAt(tampered)).isEqualTo(9);
        assertThat(((ChainVerifier.Broken) verify(tampered)).problem()).contains("truncated");
        assertThat(cli("audit", "verify", "--file", write("truncated.jsonl", tampered).toString(), "--jwks", jwksFile.toString())).isEqualTo(1);
    }

    @Test
    void truncationIsDetectedFromCheckpointsKeptElsewhereEvenWhenTheExportLostItsCheckpointLines() throws Exception {
        List<String> cut = new ArrayList<>(records(export).subList(0, 8));
        Path file = write("cut.jsonl", cut);
        Path kept = dir.resolve("checkpoints.json");
        Files.writeString(kept, checkpointsJson);
        assertThat(cli("audit", "verify", "--file", file.toString())).as("nothing to compare against").isZero();
        assertThat(cli("audit", "verify", "--file", file.toString(), "--checkpoints", kept.toString(), "--jwks", jwksFile.toString())).isEqualTo(1);
    }

    @Test
    void aFullyRewrittenTailIsCaughtByTheSignedCheckpoint() throws Exception {
        // Attacker edits seq 4 and recomputes every later hash and prev: the chain is self-consistent again.
        List<String> recs = new ArrayList<>(records(export));
        String prev = null;
        for (int i = 3; i < recs.size(); i++) {
            ObjectNode node = (ObjectNode) Json.MAPPER.readTree(recs.get(i));
            if (i == 3) node.put("reason", "rewritten");
            if (prev != null) node.put("prev", prev);
            node.put("hash", HashChain.hash(node));
            prev = node.get("hash").asText();
            recs.set(i, Json.write(node));
        }
        List<String> tampered = new ArrayList<>(recs);
        tampered.addAll(checkpointLines(export));
        assertThat(ChainVerifier.verify(recs, List.of(), jwks, false)).as("without checkpoints").isInstanceOf(ChainVerifier.Intact.class);
        long checkpointSeq = Json.MAPPER.readTree(checkpointLines(export).get(0)).get("checkpoint").get("seq").asLong();
        assertThat(checkpointSeq).isGreaterThan(4);
        assertThat(brokenAt(tampered)).isEqualTo(checkpointSeq);
    }

    @Test
    void checkpointSignedByAnotherKeyIsRejected() throws Exception {
        LocalKeyCheckpointSigner other = LocalKeyCheckpointSigner.loadOrCreate(dir.resolve("other.jwk"));
        ObjectNode last = (ObjectNode) Json.MAPPER.readTree(records(export).get(11));
        String forged = other.sign(Checkpoints.payload(12, last.get("hash").asText(), java.time.Instant.now()));
        ChainVerifier.Result r = ChainVerifier.verify(export, List.of(forged), jwks, false);
        assertThat(r).isInstanceOf(ChainVerifier.Broken.class);
        assertThat(((ChainVerifier.Broken) r).problem()).contains("not in the JWK Set");
    }

    @Test
    void sinceExportVerifiesWithPartialOnly() {
        List<String> tail = withRecords(r -> new ArrayList<>(r.subList(5, 12)));
        assertThat(ChainVerifier.verify(tail, List.of(), jwks, true)).isInstanceOf(ChainVerifier.Intact.class);
        assertThat(brokenAt(tail)).isEqualTo(1);
    }

    private interface Io<T> { T get() throws Exception; }

    private static <T> T uncheck(Io<T> io) {
        try {
            return io.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
