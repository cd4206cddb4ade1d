package dev.gatehouse.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall of every built-in detector on the labelled corpus
 * ({@code src/test/resources/inspection/corpus/*.jsonl}: positives, negatives and near-misses,
 * synthetic values only). Counted per example: a type found where it was not expected is a false
 * positive, a type expected and not found a false negative.
 */
class CorpusTest {
    static final double FLOOR = 0.95;

    record Example(String file, int line, Set<String> expect, String text) {}

    static final class Score {
        int tp, fp, fn, positives;
        final List<String> misses = new ArrayList<>();

        double precision() { return tp + fp == 0 ? 1.0 : (double) tp / (tp + fp); }

        double recall() { return tp + fn == 0 ? 1.0 : (double) tp / (tp + fn); }
    }

    static List<Example> corpus() throws Exception {
        URL dir = CorpusTest.class.getResource("/inspection/corpus");
        List<Example> examples = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).isBlank()) continue;
                    JsonNode node = json.readTree(lines.get(i));
                    Set<String> expect = new TreeSet<>();
                    node.get("expect").forEach(e -> expect.add(e.asText()));
                    // token prefixes are stored broken by U+205E so that secret scanners leave the corpus alone (README.md)
                    String text = node.get("text").asText().replace("\u205e", "");
                    examples.add(new Example(f.getFileName().toString(), i + 1, expect, text));
                }
            }
        }
        return examples;
    }

    @Test
    void everyDetectorMeetsThePrecisionAndRecallFloor() throws Exception {
        Inspector inspector = DefaultInspector.withDefaults();
        Map<String, Score> scores = new TreeMap<>();
        DefaultInspector.defaultClassification().keySet().forEach(t -> scores.put(t, new Score()));
        List<Example> examples = corpus();
        for (Example ex : examples) {
            Set<String> found = inspector.inspect(ex.text(), Set.of()).findingTypes();
            for (Map.Entry<String, Score> e : scores.entrySet()) {
                String type = e.getKey();
                Score s = e.getValue();
                boolean expected = ex.expect().contains(type);
                boolean got = found.contains(type);
                if (expected) s.positives++;
                if (expected && got) s.tp++;
                else if (expected) { s.fn++; s.misses.add("missed " + ex.file() + ":" + ex.line()); }
                else if (got) { s.fp++; s.misses.add("false positive " + ex.file() + ":" + ex.line()); }
            }
            assertThat(scores.keySet()).as("corpus labels name known types").containsAll(ex.expect());
        }

        StringBuilder table = new StringBuilder("| finding type | positives | TP | FP | FN | precision | recall |\n|---|---|---|---|---|---|---|\n");
        scores.forEach((type, s) -> table.append(String.format("| `%s` | %d | %d | %d | %d | %.3f | %.3f |%n", type, s.positives, s.tp, s.fp,
                s.fn, s.precision(), s.recall())));
        System.out.println("Inspection corpus: " + examples.size() + " examples\n" + table);
        scores.forEach((type, s) -> {
            if (!s.misses.isEmpty()) System.out.println(type + ": " + s.misses);
        });

        scores.forEach((type, s) -> {
            assertThat(s.positives).as("positive examples of %s", type).isGreaterThanOrEqualTo(3);
            assertThat(s.precision()).as("precision of %s (%s)", type, s.misses).isGreaterThanOrEqualTo(FLOOR);
            assertThat(s.recall()).as("recall of %s (%s)", type, s.misses).isGreaterThanOrEqualTo(FLOOR);
        });
    }
}
