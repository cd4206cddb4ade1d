package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.inspection.Classification;
import dev.gatehouse.inspection.DefaultInspector;
import dev.gatehouse.inspection.Finding;
import dev.gatehouse.inspection.InspectionResult;
import dev.gatehouse.inspection.Inspector;
import dev.gatehouse.inspection.Inspectors;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse inspect [FILE|-]}: runs content inspection locally (no server) and prints the
 * classification and finding types, never the matched values; {@code --redact} prints the content
 * with every finding masked. With {@code --config} the server configuration's {@code inspection}
 * section applies (classification mapping, dictionaries, patterns).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Inspect a file or standard input locally: classification and finding types (never the values).")
final class InspectCommand implements Callable<Integer> {
    /** Exit code of --fail-on when the content reaches the level (1 and 2 are errors). */
    static final int FAIL_ON_EXIT = 3;

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "File to inspect; - or nothing for standard input.")
    String file;

    @Option(names = "--config", description = "Server configuration file whose inspection section applies.")
    Path config;

    @Option(names = "--label", split = ",", paramLabel = "LEVEL",
            description = "Classification declared on the source (public, internal, confidential, restricted); repeatable.")
    List<String> labels = List.of();

    @Option(names = "--redact", description = "Print the content with every finding masked (the summary goes to stderr).")
    boolean redact;

    @Option(names = "--fail-on", paramLabel = "LEVEL", description = "Exit with 3 when the classification is LEVEL or higher.")
    String failOn;

    @Option(names = {"-o", "--output"}, description = "table (default) or json.")
    ClientOptions.Output output = ClientOptions.Output.table;

    @Override
    public Integer call() throws IOException {
        Set<Classification> declared = EnumSet.noneOf(Classification.class);
        for (String l : labels) declared.add(Classification.parse(l.trim().toLowerCase(java.util.Locale.ROOT)));
        Classification threshold = failOn == null ? null : Classification.parse(failOn.trim().toLowerCase(java.util.Locale.ROOT));
        Inspector inspector = config == null ? DefaultInspector.withDefaults()
                : Inspectors.fromConfig(ConfigLoader.load(config, ClientOptions.ENVIRONMENT.get(), Map.of()).inspection());
        String content = read();

        PrintWriter out = spec.commandLine().getOut();
        InspectionResult result;
        String redacted = null;
        if (redact) {
            Inspector.Redaction r = inspector.redact(content, declared);
            result = r.result();
            redacted = r.content();
        } else {
            result = inspector.inspect(content, declared);
        }
        if (output == ClientOptions.Output.json) {
            ObjectNode json = new ObjectMapper().createObjectNode();
            json.put("classification", result.classification().wire());
            json.put("level", result.classification().level());
            ArrayNode findings = json.putArray("findings");
            for (Finding f : result.findings()) {
                findings.addObject().put("type", f.type()).put("classification", f.classification().wire()).put("count", f.count());
            }
            if (redacted != null) json.put("redacted", redacted);
            ClientOptions.printJson(out, json);
        } else {
            PrintWriter summary = redacted != null ? spec.commandLine().getErr() : out;
            if (redacted != null) {
                out.print(redacted);
                out.flush();
            }
            summary.println("classification: " + result.classification().wire());
            if (!result.findings().isEmpty()) {
                Table t = new Table("FINDING", "CLASSIFICATION", "COUNT");
                for (Finding f : result.findings()) t.row(f.type(), f.classification().wire(), f.count());
                t.print(summary);
            }
            summary.flush();
        }
        return threshold != null && result.classification().level() >= threshold.level() ? FAIL_ON_EXIT : 0;
    }

    private String read() throws IOException {
        if (file == null || file.equals("-")) {
            InputStream in = System.in;
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) throw new IllegalArgumentException(file + ": no such file");
        return new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
    }
}
