package dev.gatehouse.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Merges defaults, the YAML file and {@code GATEHOUSE_*} environment variables into a
 * {@link GatehouseConfig}. The key set is the shape of the defaults: anything else is an error
 * naming the key, because a misspelt security setting silently ignored is a hole.
 */
public final class ConfigLoader {
    /** Variables read by the launcher and the CLI client, not by the server configuration. */
    private static final Set<String> NOT_CONFIG = Set.of(
            "GATEHOUSE_TOKEN", "GATEHOUSE_SERVER", "GATEHOUSE_BOOTSTRAP_TOKEN", "GATEHOUSE_CONFIG",
            "GATEHOUSE_CLI_CONFIG", "GATEHOUSE_JAVA", "GATEHOUSE_JAVA_OPTS", "GATEHOUSE_HOME", "GATEHOUSE_REBUILD",
            "GATEHOUSE_CLIENT_SECRET", "GATEHOUSE_TASK_TOKEN", "GATEHOUSE_DEBUG");

    /** Mappings whose keys the operator chooses (names of stdio commands): replaced whole, never merged key by key. */
    private static final Set<String> OPEN_MAPPINGS = Set.of("gateway.stdioCommands");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.ALWAYS, JsonInclude.Include.ALWAYS));

    private ConfigLoader() {}

    public static GatehouseConfig load(Path file, Map<String, String> env) {
        return load(file, env, Map.of());
    }

    /** {@code overrides} are command-line flags by key path ({@code server.port}); they win over file and environment. */
    public static GatehouseConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        ObjectNode tree = YAML.valueToTree(GatehouseConfig.defaults());
        if (file != null) {
            JsonNode fromFile;
            try {
                fromFile = YAML.readTree(Files.readString(file));
            } catch (IOException e) {
                throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
            }
            if (fromFile != null && !fromFile.isMissingNode() && !fromFile.isNull()) {
                if (!fromFile.isObject()) {
                    throw new ConfigException("config file " + file + " must be a YAML mapping");
                }
                merge(tree, (ObjectNode) fromFile, "");
            }
        }
        applyEnvironment(tree, env);
        overrides.forEach((path, value) -> set(tree, path, value));
        try {
            return YAML.treeToValue(tree, GatehouseConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException("invalid configuration: " + e.getOriginalMessage());
        }
    }

    private static void merge(ObjectNode target, ObjectNode source, String prefix) {
        Iterator<Map.Entry<String, JsonNode>> fields = source.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String key = prefix + e.getKey();
            if (!target.has(e.getKey())) {
                throw new ConfigException("unknown configuration key '" + key + "'");
            }
            JsonNode current = target.get(e.getKey());
            if (OPEN_MAPPINGS.contains(key)) {
                if (!e.getValue().isObject()) throw new ConfigException("configuration key '" + key + "' must be a mapping");
                target.set(e.getKey(), e.getValue());
            } else if (current.isObject()) {
                if (!e.getValue().isObject()) {
                    throw new ConfigException("configuration key '" + key + "' must be a mapping");
                }
                merge((ObjectNode) current, (ObjectNode) e.getValue(), key + ".");
            } else {
                target.set(e.getKey(), e.getValue());
            }
        }
    }

    private static void applyEnvironment(ObjectNode tree, Map<String, String> env) {
        List<String[]> leaves = new ArrayList<>();
        collectLeaves(tree, "", leaves);
        Set<String> known = new TreeSet<>();
        for (String[] leaf : leaves) {
            String variable = envName(leaf[0]);
            known.add(variable);
            String value = env.get(variable);
            if (value != null) {
                set(tree, leaf[0], value);
            }
        }
        for (String name : env.keySet()) {
            if (name.startsWith("GATEHOUSE_") && !known.contains(name) && !NOT_CONFIG.contains(name)) {
                throw new ConfigException("unknown configuration variable " + name);
            }
        }
    }

    /** {@code server.maxBodyBytes} → {@code GATEHOUSE_SERVER_MAX_BODY_BYTES}. */
    public static String envName(String path) {
        String snake = path.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_');
        return "GATEHOUSE_" + snake.toUpperCase(Locale.ROOT);
    }

    private static void collectLeaves(JsonNode node, String prefix, List<String[]> out) {
        node.properties().forEach(e -> {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue().isObject() && !OPEN_MAPPINGS.contains(path)) {
                collectLeaves(e.getValue(), path, out);
            } else {
                out.add(new String[] {path});
            }
        });
    }

    private static void set(ObjectNode tree, String path, String value) {
        String[] parts = path.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (ObjectNode) node.get(parts[i]);
        }
        String key = parts[parts.length - 1];
        JsonNode current = node.get(key);
        if (current != null && current.isObject() && OPEN_MAPPINGS.contains(path)) {
            // A JSON object: how an open mapping (gateway.stdioCommands) is set from the environment or flags.
            try {
                JsonNode parsed = YAML.readTree(value);
                if (parsed == null || !parsed.isObject()) throw new ConfigException("configuration key '" + path + "' must be a JSON object");
                node.set(key, parsed);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ConfigException("configuration key '" + path + "' is not a valid JSON object");
            }
        } else if (current != null && current.isArray() && value.strip().startsWith("[")) {
            // A JSON array: how lists of mappings (e.g. credentials.federation) are set from the environment or flags.
            try {
                node.set(key, YAML.readTree(value));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ConfigException("configuration key '" + path + "' is not a valid JSON array");
            }
        } else if (current != null && current.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            for (String item : value.split(",")) {
                if (!item.isBlank()) array.add(item.trim());
            }
            node.set(key, array);
        } else {
            node.put(key, value); // Jackson coerces "8080" to int when binding the record
        }
    }
}
