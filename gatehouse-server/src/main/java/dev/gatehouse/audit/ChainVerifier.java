package dev.gatehouse.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Offline verification of an export (JSON Lines: one record per line, plus
 * {@code {"checkpoint":{…,"jws":…}}} lines). Needs nothing but the file and, to authenticate
 * checkpoints, the JWK Set: a record that was modified, deleted, inserted or reordered breaks the
 * hash chain or the sequence at that record, and a signed checkpoint beyond the last record
 * proves truncation. Records after the newest checkpoint the verifier knows can be cut off
 * without trace; that is why checkpoints should be kept outside Gatehouse as well.
 */
public final class ChainVerifier {
    /**
     * Duplicate member names are rejected: otherwise a line could carry a forged first value that
     * other JSON readers show while the hash covers only the last one.
     */
    private static final ObjectMapper LENIENT = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());

    /** Outcome of a verification; exit code 0 only for {@link Intact}. */
    public sealed interface Result permits Intact, Broken {}

    /** Every record links and hashes correctly and agrees with every checkpoint it covers. */
    public record Intact(long firstSeq, long lastSeq, long records, String lastHash, int checkpointsMatched,
                         boolean signaturesVerified, List<String> warnings) implements Result {}

    /** The first record (by seq) at which the export stops being trustworthy, and why. */
    public record Broken(long seq, String problem) implements Result {}

    private ChainVerifier() {}

    /**
     * @param lines        the export's lines
     * @param moreCheckpoints compact JWS checkpoints kept elsewhere (e.g. from {@code GET /v1/audit/checkpoints})
     * @param trustedKeys  keys that may sign checkpoints; null = signatures not checked (reported as a warning)
     * @param partial      the export may start after seq 1 (an {@code --since} export); its first prev is taken on trust
     */
    public static Result verify(Iterable<String> lines, List<String> moreCheckpoints, JWKSet trustedKeys, boolean partial) {
        // First pass: only the checkpoint lines, to learn which seqs' hashes must be kept, so that
        // memory stays proportional to the number of checkpoints, not of records.
        Set<String> checkpointJws = new LinkedHashSet<>(moreCheckpoints);
        for (String line : lines) {
            if (!line.startsWith("{\"checkpoint\"")) continue;
            try {
                JsonNode jws = LENIENT.readTree(line).path("checkpoint").get("jws");
                if (jws != null && jws.isTextual()) checkpointJws.add(jws.asText());
            } catch (Exception e) {
                // reported in the main pass with its line number
            }
        }
        Set<Long> wanted = new java.util.HashSet<>();
        for (String compact : checkpointJws) {
            try {
                Object seq = JWSObject.parse(compact).getPayload().toJSONObject().get("seq");
                if (seq instanceof Number n) wanted.add(n.longValue());
            } catch (ParseException | RuntimeException e) {
                // reported below
            }
        }
        Map<Long, String> hashes = new HashMap<>();
        long first = -1;
        long expected = 1;
        String lastHash = HashChain.GENESIS;
        long count = 0;
        int lineNo = 0;
        for (String line : lines) {
            lineNo++;
            if (line.isBlank()) continue;
            JsonNode node;
            try {
                node = LENIENT.readTree(line);
            } catch (Exception e) {
                return new Broken(expected, "line " + lineNo + " is not JSON (or repeats a member name)");
            }
            if (node == null || !node.isObject()) return new Broken(expected, "line " + lineNo + " is not a JSON object");
            if (node.has("checkpoint")) {
                JsonNode jws = node.get("checkpoint").get("jws");
                if (jws == null || !jws.isTextual()) return new Broken(expected, "line " + lineNo + " is a checkpoint without jws");
                checkpointJws.add(jws.asText());
                continue;
            }
            JsonNode seqNode = node.get("seq");
            JsonNode prevNode = node.get("prev");
            JsonNode hashNode = node.get("hash");
            if (seqNode == null || !seqNode.canConvertToExactIntegral() || prevNode == null || !prevNode.isTextual()
                    || hashNode == null || !hashNode.isTextual()) {
                return new Broken(expected, "line " + lineNo + " is not an audit record (seq, prev and hash are required)");
            }
            long seq = seqNode.asLong();
            String prev = prevNode.asText();
            if (first < 0) {
                if (!partial && (seq != 1 || !prev.equals(HashChain.GENESIS))) {
                    return new Broken(1, "export does not start at the genesis record (first record is seq " + seq
                            + "); records at the start were removed, or verify a --since export with --partial");
                }
                first = seq;
                expected = seq;
                lastHash = prev;
            }
            if (seq != expected) {
                return new Broken(Math.min(seq, expected), "sequence break: expected seq " + expected + ", found seq " + seq
                        + " (a record was deleted, inserted or reordered)");
            }
            if (!prev.equals(lastHash)) {
                return new Broken(seq, "seq " + seq + " does not link to seq " + (seq - 1)
                        + ": its prev is not the hash of the record before (a record was inserted, or seq " + (seq - 1) + " was altered and re-hashed)");
            }
            String actual;
            try {
                actual = HashChain.hash(node);
            } catch (IllegalArgumentException e) {
                return new Broken(seq, "seq " + seq + " cannot be canonicalised");
            }
            if (!actual.equals(hashNode.asText())) {
                return new Broken(seq, "seq " + seq + " does not match its hash (the record was modified)");
            }
            if (wanted.contains(seq)) hashes.put(seq, actual);
            lastHash = actual;
            expected = seq + 1;
            count++;
        }
        long last = expected - 1;

        List<String> warnings = new ArrayList<>();
        List<long[]> failures = new ArrayList<>();
        int matched = 0;
        Broken earliest = null;
        for (String compact : checkpointJws) {
            Broken problem = null;
            JWSObject jws;
            long cpSeq;
            String cpHash;
            try {
                jws = JWSObject.parse(compact);
                Map<String, Object> payload = jws.getPayload().toJSONObject();
                if (payload == null || !(payload.get("seq") instanceof Number n) || !(payload.get("hash") instanceof String h)) {
                    return new Broken(Math.max(first, 1), "a checkpoint has no seq/hash payload");
                }
                cpSeq = n.longValue();
                cpHash = h;
            } catch (ParseException e) {
                return new Broken(Math.max(first, 1), "a checkpoint is not a compact JWS");
            }
            if (trustedKeys != null) {
                String why = signatureProblem(jws, trustedKeys);
                if (why != null) problem = new Broken(cpSeq, "checkpoint at seq " + cpSeq + ": " + why);
            }
            if (problem == null) {
                if (first > 0 && cpSeq < first) {
                    continue; // before a partial export's first record: nothing to compare
                }
                if (cpSeq > last) {
                    problem = new Broken(last + 1, "truncated: a signed checkpoint covers seq " + cpSeq
                            + " but the export ends at seq " + last);
                } else if (!cpHash.equals(hashes.get(cpSeq))) {
                    problem = new Broken(cpSeq, "seq " + cpSeq + " does not match the signed checkpoint (records up to it were rewritten)");
                } else {
                    matched++;
                }
            }
            if (problem != null && (earliest == null || problem.seq() < earliest.seq())) earliest = problem;
        }
        if (earliest != null) return earliest;
        if (trustedKeys == null && !checkpointJws.isEmpty()) {
            warnings.add("checkpoint signatures were not verified (pass --jwks with the Gatehouse checkpoint keys)");
        }
        if (checkpointJws.isEmpty()) {
            warnings.add("no checkpoints: truncation of the newest records cannot be detected");
        }
        return new Intact(first < 0 ? 0 : first, last, count, lastHash, matched, trustedKeys != null && !checkpointJws.isEmpty(), warnings);
    }

    private static String signatureProblem(JWSObject jws, JWKSet keys) {
        if (!JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm())) return "unexpected algorithm " + jws.getHeader().getAlgorithm();
        JWK jwk = jws.getHeader().getKeyID() == null ? null : keys.getKeyByKeyId(jws.getHeader().getKeyID());
        if (!(jwk instanceof ECKey ec)) return "signed by a key not in the JWK Set";
        try {
            return jws.verify(new ECDSAVerifier(ec.toECPublicKey())) ? null : "signature does not verify";
        } catch (JOSEException e) {
            return "signature cannot be verified";
        }
    }
}
