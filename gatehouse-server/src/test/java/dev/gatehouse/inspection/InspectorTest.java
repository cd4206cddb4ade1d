package dev.gatehouse.inspection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.testing.TestGatehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Classification, labels, redaction and configuration of the inspector. */
class InspectorTest {
    @TempDir
    Path tmp;

    private final Inspector inspector = DefaultInspector.withDefaults();

    private static final String CARD = "4111111111111111";
    private static final String SECRET = "q8Zr2VxT5nLk9WmB4cYp7HsD";
    private static final String EMAIL = "jane.doe@northwind-mail.net";

    @Test
    void classificationIsTheHighestFindingAndFindingsCarryNoValues() {
        InspectionResult r = inspector.inspect("{\"email\":\"" + EMAIL + "\",\"cc\":\"" + EMAIL + "\",\"card\":\"" + CARD + "\"}", Set.of());
        assertThat(r.classification()).isEqualTo(Classification.RESTRICTED);
        assertThat(r.findings()).containsExactly(new Finding("pii.email", Classification.CONFIDENTIAL, 2),
                new Finding("pii.payment_card", Classification.RESTRICTED, 1));
        assertThat(r.toString()).doesNotContain(CARD).doesNotContain("northwind");

        assertThat(inspector.inspect("{\"email\":\"" + EMAIL + "\"}", Set.of()).classification()).isEqualTo(Classification.CONFIDENTIAL);
        assertThat(inspector.inspect("{\"status\":\"ok\",\"count\":3}", Set.of())).isEqualTo(InspectionResult.clean());
        assertThat(inspector.inspect(null, null)).isEqualTo(InspectionResult.clean());
    }

    @Test
    void labelsRaiseTheResultToAtLeastTheHighestLabelButNeverLowerIt() {
        assertThat(inspector.inspect("{\"status\":\"ok\"}", EnumSet.of(Classification.INTERNAL, Classification.CONFIDENTIAL)).classification())
                .isEqualTo(Classification.CONFIDENTIAL);
        InspectionResult card = inspector.inspect("card " + CARD, Set.of(Classification.INTERNAL));
        assertThat(card.classification()).isEqualTo(Classification.RESTRICTED);
        assertThat(card.findingTypes()).containsExactly("pii.payment_card");
        assertThat(inspector.inspect("nothing here", Set.of(Classification.PUBLIC)).classification()).isEqualTo(Classification.PUBLIC);
    }

    @Test
    void redactionMasksEveryFindingAndKeepsJsonValid() throws Exception {
        String ghp = DetectorsTest.GHP;
        String json = "{\"content\":[{\"type\":\"text\",\"text\":\"Customer " + EMAIL + " paid with " + CARD
                + ".\\nIBAN DE89370400440532013000\\n" + "{\\\"client_secret\\\":\\\"" + SECRET + "\\\"}\"}],"
                + "\"token\":\"" + ghp + "\",\"jwt\":\"" + DetectorsTest.JWT + "\",\"note\":\"\\n" + EMAIL + "\"}";
        Inspector.Redaction r = inspector.redact(json, Set.of());
        assertThat(r.content()).doesNotContain(EMAIL, CARD, "DE89370400440532013000", SECRET, ghp, DetectorsTest.JWT.substring(0, 40));
        assertThat(r.content()).contains("[REDACTED:pii.email]", "[REDACTED:pii.payment_card]", "[REDACTED:pii.iban]",
                "[REDACTED:secret.generic_high_entropy]", "[REDACTED:secret.github_token]", "[REDACTED:secret.jwt]");
        JsonNode parsed = new ObjectMapper().readTree(r.content()); // still valid JSON, escapes intact
        assertThat(parsed.get("note").asText()).isEqualTo("\n[REDACTED:pii.email]");
        assertThat(r.result()).isEqualTo(inspector.inspect(json, Set.of()));
        // the masked text has nothing left to find
        assertThat(inspector.inspect(r.content(), Set.of())).isEqualTo(InspectionResult.clean());
        Inspector.Redaction clean = inspector.redact("nothing to see", Set.of(Classification.INTERNAL));
        assertThat(clean.content()).isEqualTo("nothing to see");
        assertThat(clean.result().classification()).isEqualTo(Classification.INTERNAL);
    }

    @Test
    void configuredDictionariesPatternsClassificationAndDisabledTypes() throws Exception {
        Path file = tmp.resolve("gatehouse.yaml");
        Files.writeString(file, """
                inspection:
                  disabled: [pii.phone]
                  classification:
                    pii:
                      email: restricted
                  dictionaries:
                    - type: custom.codename
                      classification: confidential
                      words: [Nightingale, "Project Bluebird"]
                    - type: custom.customer
                      classification: restricted
                      words: [ACME]
                      caseSensitive: true
                  patterns:
                    - type: custom.employee_id
                      classification: internal
                      regex: "\\\\bEMP-[0-9]{6}\\\\b"
                """);
        GatehouseConfig cfg = ConfigLoader.load(file, Map.of("GATEHOUSE_INSPECTION_CLASSIFICATION_PII_IBAN", "restricted"));
        DefaultInspector configured = Inspectors.fromConfig(cfg.inspection());

        InspectionResult r = configured.inspect("nightingale and project bluebird, owner EMP-004211, call +44 20 7946 0958", Set.of());
        assertThat(r.findings()).containsExactly(new Finding("custom.codename", Classification.CONFIDENTIAL, 2),
                new Finding("custom.employee_id", Classification.INTERNAL, 1));
        assertThat(configured.inspect("ACME Corp", Set.of()).findingTypes()).containsExactly("custom.customer");
        assertThat(configured.inspect("acme corp, Nightingales, EMP-0042111, xEMP-004211, EMP-12345", Set.of()).findings()).isEmpty(); // case, whole words
        assertThat(configured.inspect(EMAIL, Set.of()).classification()).isEqualTo(Classification.RESTRICTED);
        assertThat(configured.inspect("DE89370400440532013000", Set.of()).classification()).isEqualTo(Classification.RESTRICTED);
        assertThat(configured.redact("Project Bluebird for EMP-004211", Set.of()).content())
                .isEqualTo("[REDACTED:custom.codename] for [REDACTED:custom.employee_id]");
    }

    @Test
    void configurationMistakesNameTheKey() throws Exception {
        Path file = tmp.resolve("bad.yaml");
        Files.writeString(file, "inspection:\n  classification:\n    pii:\n      emial: restricted\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("inspection.classification.pii.emial");
        assertThatThrownBy(() -> fromOverrides("inspection.classification.pii.email", "secret"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("inspection.classification.pii.email");
        assertThatThrownBy(() -> fromOverrides("inspection.disabled", "pii.fax")).hasMessageContaining("inspection.disabled");
        assertThatThrownBy(() -> fromOverrides("inspection.patterns", "[{\"type\":\"custom.x\",\"classification\":\"internal\",\"regex\":\"(\"}]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("inspection.patterns[0].regex");
        assertThatThrownBy(() -> fromOverrides("inspection.patterns", "[{\"type\":\"pii.email\",\"classification\":\"internal\",\"regex\":\"x\"}]"))
                .hasMessageContaining("built-in");
        assertThatThrownBy(() -> fromOverrides("inspection.dictionaries", "[{\"type\":\"custom.x\",\"classification\":\"internal\",\"words\":[\"-x\"]}]"))
                .hasMessageContaining("inspection.dictionaries[0].words");
        assertThatThrownBy(() -> fromOverrides("inspection.dictionaries", "[{\"type\":\"custom.x\",\"words\":[\"x\"]}]"))
                .hasMessageContaining("inspection.dictionaries[0].classification");
    }

    private static DefaultInspector fromOverrides(String key, String value) {
        return Inspectors.fromConfig(ConfigLoader.load(null, Map.of(), Map.of(key, value)).inspection());
    }

    @Test
    void aCatastrophicPatternMarksTheInspectionIncompleteAndRestrictedInsteadOfHanging() {
        DefaultInspector configured = fromOverrides("inspection.patterns",
                "[{\"type\":\"custom.slow\",\"classification\":\"internal\",\"regex\":\"(a+)+b\"}]");
        InspectionResult r = configured.inspect("a".repeat(5_000) + "c", Set.of());
        assertThat(r.findingTypes()).containsExactly(DefaultInspector.INCOMPLETE);
        assertThat(r.classification()).isEqualTo(Classification.RESTRICTED);
    }

    @Test
    void configDefaultsMatchTheInspectorDefaults() {
        DefaultInspector fromDefaults = Inspectors.fromConfig(GatehouseConfig.defaults().inspection());
        Map<String, Classification> expected = new HashMap<>(DefaultInspector.defaultClassification());
        expected.put(DefaultInspector.INCOMPLETE, Classification.RESTRICTED);
        assertThat(fromDefaults.classification()).isEqualTo(expected);
        for (Detector d : DefaultInspector.builtInDetectors()) {
            assertThat(DefaultInspector.defaultClassification()).containsKeys(d.types().toArray(String[]::new));
        }
    }

    @Test
    void theServerBuildsItsInspectorFromConfiguration() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(tmp.resolve("data"), null, Map.of("inspection.patterns",
                "[{\"type\":\"custom.ticket\",\"classification\":\"confidential\",\"regex\":\"SEC-[0-9]{4}\"}]"))) {
            InspectionResult r = gh.gatehouse().inspector().inspect("see SEC-1234", Set.of());
            assertThat(r.findings()).containsExactly(new Finding("custom.ticket", Classification.CONFIDENTIAL, 1));
        }
    }
}
