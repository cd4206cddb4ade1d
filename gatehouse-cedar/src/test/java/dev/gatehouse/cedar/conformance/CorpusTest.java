package dev.gatehouse.cedar.conformance;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.cedar.authz.AuthorizationError;
import dev.gatehouse.cedar.authz.Decision;
import dev.gatehouse.cedar.authz.PolicySet;
import dev.gatehouse.cedar.authz.Request;
import dev.gatehouse.cedar.authz.Response;
import dev.gatehouse.cedar.entities.Entities;
import dev.gatehouse.cedar.json.CedarJson;
import dev.gatehouse.cedar.parser.SchemaParser;
import dev.gatehouse.cedar.schema.Schema;
import dev.gatehouse.cedar.value.EntityUid;
import dev.gatehouse.cedar.value.RecordValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Cedar's own conformance corpus, run in full on every build: every request of every test must
 * give the expected decision, the expected determining policies and the expected erroring
 * policies. Failures are collected and reported together (the first 25 in detail).
 */
class CorpusTest {
    /** The module folder (Surefire sets {@code basedir}; an IDE may run from elsewhere). */
    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    private static final Path CORPUS = MODULE.resolve("src/test/corpus");
    private static final Path UNPACKED = MODULE.resolve("target/cedar-corpus");
    private static final int REPORTED = 25;

    @TestFactory
    Stream<DynamicTest> everyRequestOfEveryTestAgreesWithCedar() {
        return Stream.of(
                dynamicTest("generated corpus (corpus-tests.tar.gz)", () -> run(generatedTests(), UNPACKED)),
                dynamicTest("hand-written tests (decimal, ip, multi, example_use_cases)", () -> run(handWrittenTests(), CORPUS)));
    }

    private static List<Path> generatedTests() throws IOException {
        Path dir = UNPACKED.resolve("corpus-tests");
        Path marker = UNPACKED.resolve(".unpacked");
        Path archive = CORPUS.resolve("corpus-tests.tar.gz");
        String stamp = Files.size(archive) + "@" + Files.getLastModifiedTime(archive).toMillis();
        if (!Files.exists(marker) || !Files.readString(marker).equals(stamp)) {
            long t0 = System.nanoTime();
            int n = TarGz.unpack(archive, UNPACKED);
            Files.writeString(marker, stamp);
            System.out.printf("unpacked %d corpus files into %s in %d ms%n", n, UNPACKED, (System.nanoTime() - t0) / 1_000_000);
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json") && !p.toString().endsWith(".entities.json")).sorted().toList();
        }
    }

    private static List<Path> handWrittenTests() throws IOException {
        try (Stream<Path> s = Files.walk(CORPUS.resolve("tests"))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    private record Mismatch(String test, String request, String detail) {
        @Override
        public String toString() {
            return test + " / " + request + ": " + detail;
        }
    }

    private static void run(List<Path> tests, Path base) {
        long t0 = System.nanoTime();
        List<Mismatch> mismatches = new ArrayList<>();
        Map<Path, Schema> schemas = new HashMap<>();
        int requests = 0;
        for (Path testFile : tests) {
            JsonNode test = CedarJson.tree(read(testFile));
            String name = base.relativize(testFile).toString();
            JsonNode reqs = test.get("requests");
            requests += reqs.size();
            PolicySet policies;
            Schema schema;
            Entities entities;
            try {
                schema = schemas.computeIfAbsent(base.resolve(test.get("schema").asText()), p -> SchemaParser.parse(read(p)));
                policies = PolicySet.parse(read(base.resolve(test.get("policies").asText())));
                entities = CedarJson.entities(read(base.resolve(test.get("entities").asText())), schema);
            } catch (RuntimeException e) {
                for (JsonNode r : reqs) {
                    mismatches.add(new Mismatch(name, r.path("description").asText(), "could not load the test: " + e));
                }
                continue;
            }
            for (JsonNode r : reqs) {
                String description = r.path("description").asText();
                try {
                    EntityUid action = CedarJson.entityUid(r.get("action"), "action");
                    RecordValue context = CedarJson.context(r.get("context"), schema, action);
                    Request request = new Request(CedarJson.entityUid(r.get("principal"), "principal"), action,
                            CedarJson.entityUid(r.get("resource"), "resource"), context);
                    Response response = policies.authorize(request, entities);
                    String problem = compare(r, response);
                    if (problem != null) {
                        mismatches.add(new Mismatch(name, description, problem));
                    }
                } catch (RuntimeException e) {
                    mismatches.add(new Mismatch(name, description, "exception: " + e));
                }
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("Cedar corpus: %d tests, %d requests, %d mismatches, %d ms%n", tests.size(), requests, mismatches.size(), ms);
        if (!mismatches.isEmpty()) {
            String shown = mismatches.stream().limit(REPORTED).map(Mismatch::toString).collect(Collectors.joining("\n  "));
            throw new AssertionError(mismatches.size() + " of " + requests + " requests disagree with Cedar (first " + REPORTED + "):\n  " + shown);
        }
    }

    private static String compare(JsonNode expected, Response actual) {
        Decision decision = expected.get("decision").asText().equals("allow") ? Decision.ALLOW : Decision.DENY;
        Set<String> reasons = ids(expected.get("reason"));
        Set<String> errors = ids(expected.get("errors"));
        Set<String> actualReasons = new TreeSet<>(actual.reasons());
        Set<String> actualErrors = actual.errors().stream().map(AuthorizationError::policyId).collect(Collectors.toCollection(TreeSet::new));
        if (decision != actual.decision() || !reasons.equals(actualReasons) || !errors.equals(actualErrors)) {
            return "expected " + decision + " reasons=" + reasons + " errors=" + errors
                    + ", got " + actual.decision() + " reasons=" + actualReasons + " errors=" + actual.errors();
        }
        return null;
    }

    private static Set<String> ids(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
