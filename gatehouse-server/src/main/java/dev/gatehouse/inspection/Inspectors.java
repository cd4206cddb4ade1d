package dev.gatehouse.inspection;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.inspection.detectors.DictionaryDetector;
import dev.gatehouse.inspection.detectors.PatternDetector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Builds the inspector from the {@code inspection} configuration section; errors name the key. */
public final class Inspectors {
    private static final Pattern CUSTOM_TYPE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)+");

    private Inspectors() {}

    public static DefaultInspector fromConfig(GatehouseConfig.Inspection cfg) {
        Map<String, Classification> builtIn = DefaultInspector.defaultClassification();
        Map<String, Classification> classification = new LinkedHashMap<>(builtIn);
        if (cfg.classification() != null) {
            cfg.classification().forEach((group, names) -> {
                if (names == null) return;
                names.forEach((name, value) -> {
                    String type = group + "." + name;
                    String key = "inspection.classification." + type;
                    if (!builtIn.containsKey(type)) throw new ConfigException("unknown configuration key '" + key + "'");
                    classification.put(type, parse(key, value));
                });
            });
        }
        Set<String> disabled = new HashSet<>();
        for (String type : cfg.disabled() == null ? List.<String>of() : cfg.disabled()) {
            if (!builtIn.containsKey(type)) {
                throw new ConfigException("inspection.disabled: '" + type + "' is not a built-in finding type (" + String.join(", ", builtIn.keySet()) + ")");
            }
            disabled.add(type);
        }
        List<Detector> detectors = new ArrayList<>();
        for (Detector d : DefaultInspector.builtInDetectors()) {
            if (!disabled.containsAll(d.types())) detectors.add(d);
        }

        Map<String, Classification> custom = new HashMap<>();
        List<DictionaryDetector.Term> terms = new ArrayList<>();
        List<GatehouseConfig.InspectionDictionary> dictionaries = cfg.dictionaries() == null ? List.of() : cfg.dictionaries();
        for (int i = 0; i < dictionaries.size(); i++) {
            GatehouseConfig.InspectionDictionary d = dictionaries.get(i);
            String key = "inspection.dictionaries[" + i + "]";
            String type = customType(key, d.type(), d.classification(), builtIn, custom);
            if (d.words() == null || d.words().isEmpty()) throw new ConfigException(key + ".words: at least one word is required");
            for (String word : d.words()) {
                try {
                    terms.add(new DictionaryDetector.Term(type, word == null ? "" : word.strip(), d.caseSensitive()));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(key + ".words: " + e.getMessage());
                }
            }
        }
        if (!terms.isEmpty()) detectors.add(new DictionaryDetector(terms));
        List<GatehouseConfig.InspectionPattern> patterns = cfg.patterns() == null ? List.of() : cfg.patterns();
        for (int i = 0; i < patterns.size(); i++) {
            GatehouseConfig.InspectionPattern p = patterns.get(i);
            String key = "inspection.patterns[" + i + "]";
            String type = customType(key, p.type(), p.classification(), builtIn, custom);
            if (p.regex() == null || p.regex().isEmpty()) throw new ConfigException(key + ".regex: required");
            try {
                detectors.add(new PatternDetector(type, Pattern.compile(p.regex())));
            } catch (PatternSyntaxException e) {
                throw new ConfigException(key + ".regex: " + e.getDescription() + " near index " + e.getIndex());
            }
        }
        classification.putAll(custom);
        return new DefaultInspector(detectors, classification, disabled);
    }

    private static String customType(String key, String type, String value, Map<String, Classification> builtIn,
                                     Map<String, Classification> custom) {
        if (type == null || !CUSTOM_TYPE.matcher(type).matches()) {
            throw new ConfigException(key + ".type: must be dotted lower-case words such as custom.project_codename");
        }
        if (builtIn.containsKey(type) || type.equals(DefaultInspector.INCOMPLETE)) {
            throw new ConfigException(key + ".type: " + type + " is a built-in finding type");
        }
        Classification c = parse(key + ".classification", value);
        Classification before = custom.putIfAbsent(type, c);
        if (before != null && before != c) {
            throw new ConfigException(key + ".classification: " + type + " is already configured as " + before.wire());
        }
        return type;
    }

    private static Classification parse(String key, String value) {
        for (Classification c : Classification.values()) if (c.wire().equals(value)) return c;
        throw new ConfigException(key + ": must be one of public, internal, confidential, restricted");
    }
}
