package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `gatehouse inspect`: local inspection from the command line, values never printed unless redacted. */
class InspectCommandTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {}

    private static Run gatehouse(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static final String CARD = "4111 1111 1111 1111";

    @Test
    void printsClassificationAndFindingTypesButNotValues() throws Exception {
        Path f = tmp.resolve("result.json");
        Files.writeString(f, "{\"email\":\"amara.okafor@northwind-mail.net\",\"card\":\"" + CARD + "\"}");
        Run table = gatehouse("inspect", f.toString());
        assertThat(table.exit()).isZero();
        assertThat(table.out()).contains("classification: restricted", "pii.payment_card", "pii.email").doesNotContain(CARD, "northwind");

        Run json = gatehouse("inspect", "--output", "json", f.toString());
        JsonNode node = new ObjectMapper().readTree(json.out());
        assertThat(node.get("classification").asText()).isEqualTo("restricted");
        assertThat(node.get("level").asInt()).isEqualTo(3);
        assertThat(node.get("findings").findValuesAsText("type")).containsExactly("pii.email", "pii.payment_card");
        assertThat(json.out()).doesNotContain(CARD);
    }

    @Test
    void labelsRedactionAndFailOn() throws Exception {
        Path clean = tmp.resolve("clean.txt");
        Files.writeString(clean, "nothing sensitive here");
        assertThat(gatehouse("inspect", clean.toString()).out()).contains("classification: public");
        Run labelled = gatehouse("inspect", "--label", "confidential", "--fail-on", "confidential", clean.toString());
        assertThat(labelled.out()).contains("classification: confidential");
        assertThat(labelled.exit()).isEqualTo(InspectCommand.FAIL_ON_EXIT);
        assertThat(gatehouse("inspect", "--fail-on", "internal", clean.toString()).exit()).isZero();

        Path f = tmp.resolve("card.txt");
        Files.writeString(f, "paid with " + CARD + " today");
        Run redacted = gatehouse("inspect", "--redact", f.toString());
        assertThat(redacted.out()).isEqualTo("paid with [REDACTED:pii.payment_card] today");
        assertThat(redacted.err()).contains("classification: restricted");
    }

    @Test
    void readsStandardInputForDash() {
        java.io.InputStream in = System.in;
        System.setIn(new java.io.ByteArrayInputStream("key AKIAIOSFODNN7EXAMPLE".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            Run run = gatehouse("inspect", "-o", "json", "-");
            assertThat(run.exit()).isZero();
            assertThat(run.out()).contains("secret.aws_access_key").doesNotContain("AKIAIOSFODNN7EXAMPLE");
        } finally {
            System.setIn(in);
        }
    }

    @Test
    void configuredPatternsApplyAndMistakesAreOneLineErrors() throws Exception {
        Path cfg = tmp.resolve("gatehouse.yaml");
        Files.writeString(cfg, "inspection:\n  patterns:\n    - {type: custom.ticket, classification: internal, regex: 'SEC-[0-9]{4}'}\n");
        Path f = tmp.resolve("t.txt");
        Files.writeString(f, "see SEC-1234");
        assertThat(gatehouse("inspect", "--config", cfg.toString(), f.toString()).out()).contains("classification: internal", "custom.ticket");

        Run badLabel = gatehouse("inspect", "--label", "secret", f.toString());
        assertThat(badLabel.exit()).isEqualTo(1);
        assertThat(badLabel.err()).contains("classification");
        Run missing = gatehouse("inspect", tmp.resolve("nope.txt").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no such file");
    }
}
