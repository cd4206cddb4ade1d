package dev.gatehouse.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.core.Problem;
import dev.gatehouse.http.ApiRequest;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.policy.PolicyTestRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse policy test DIR}: runs the YAML cases under {@code DIR/tests/} against the
 * policies of {@code DIR} and an inventory file, locally (no server), like a test runner.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Run the policy tests of DIR (DIR/tests/*.yaml) locally against DIR's policies and an inventory file.")
final class PolicyTestCommand implements Callable<Integer> {
    private static final ObjectMapper YAML = YAMLMapper.builder().addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    @Spec CommandSpec spec;
    @Parameters(paramLabel = "DIR", description = "Policy directory (.cedar files; tests in DIR/tests/).") Path dir;
    @Option(names = "--inventory", description = "Inventory file (groups, identities, toolServers); default DIR/tests/inventory.yaml.") Path inventory;
    @Option(names = "--entities", description = "Application entities (Cedar JSON); default DIR/tests/entities.json when present.") Path entities;
    @Option(names = "--tests", description = "Directory of test case files; default DIR/tests.") Path tests;
    @Option(names = {"-v", "--verbose"}, description = "Print passing cases too.") boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path testDir = tests != null ? tests : dir.resolve("tests");
        Path inventoryFile = inventory != null ? inventory : testDir.resolve("inventory.yaml");
        Path entitiesFile = entities != null ? entities : testDir.resolve("entities.json");

        PolicyBundle bundle = new PolicyBundle(PolicyCommand.readPolicyDirectory(dir));
        PolicyTestRunner.Inventory inv = Files.isRegularFile(inventoryFile)
                ? read(inventoryFile, PolicyTestRunner.Inventory.class) : new PolicyTestRunner.Inventory(null, null, null);
        JsonNode entityDoc = Files.isRegularFile(entitiesFile) ? readJson(entitiesFile) : null;

        List<Path> caseFiles = new ArrayList<>();
        if (Files.isDirectory(testDir)) {
            try (Stream<Path> walk = Files.walk(testDir)) {
                walk.filter(p -> Files.isRegularFile(p) && (p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")))
                        .filter(p -> !p.equals(inventoryFile)).sorted().forEach(caseFiles::add);
            } catch (IOException e) {
                throw new IllegalArgumentException(testDir + ": cannot read (" + e.getClass().getSimpleName() + ")");
            }
        }
        if (caseFiles.isEmpty()) throw new IllegalArgumentException(testDir + ": no test case files (*.yaml)");

        int passed = 0;
        int failed = 0;
        try (PolicyTestRunner runner = newRunner(bundle, inv, entityDoc)) {
            for (Path file : caseFiles) {
                String name = testDir.relativize(file).toString();
                PolicyTestRunner.CaseFile cases = read(file, PolicyTestRunner.CaseFile.class);
                if (cases.cases() == null || cases.cases().isEmpty()) throw new IllegalArgumentException(file + ": no cases");
                for (PolicyTestRunner.Case c : cases.cases()) {
                    PolicyTestRunner.Result r = runner.run(name, c);
                    if (r.passed()) {
                        passed++;
                        if (verbose) out.println("PASS  " + name + " › " + r.name());
                    } else {
                        failed++;
                        out.println("FAIL  " + name + " › " + r.name() + ": " + r.detail());
                    }
                }
            }
        }
        out.println(passed + " passed, " + failed + " failed");
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    private static PolicyTestRunner newRunner(PolicyBundle bundle, PolicyTestRunner.Inventory inv, JsonNode entities) {
        try {
            return new PolicyTestRunner(bundle, inv, entities, GatehouseConfig.defaults().inventory().environments());
        } catch (Problem.Invalid p) {
            if ("policy_invalid".equals(p.code())) throw new IllegalArgumentException(p.getMessage());
            throw new IllegalArgumentException("inventory or entities: " + (p.field() == null ? "" : p.field() + ": ") + p.getMessage());
        } catch (Problem p) {
            throw new IllegalArgumentException("inventory or entities: " + p.getMessage());
        }
    }

    private static <T> T read(Path file, Class<T> type) {
        try {
            return YAML.readValue(Files.readString(file), type);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new IllegalArgumentException(file + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr()) + ": " + problem(e));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** What is wrong, in the file's own words (field paths, expected values), never Java class names. */
    private static String problem(JsonProcessingException e) {
        Problem p = ApiRequest.decodingProblem(e);
        if ("malformed_json".equals(p.code())) return "not valid YAML";
        if (e instanceof UnrecognizedPropertyException u && u.getKnownPropertyIds() != null) {
            List<String> known = new ArrayList<>();
            u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
            Collections.sort(known);
            return p.getMessage() + " (expected one of: " + String.join(", ", known) + ")";
        }
        return p.getMessage().replace("request body", "the document");
    }

    private static JsonNode readJson(Path file) {
        try {
            return new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid JSON");
        }
    }

}
