package dev.gatehouse.policy;

import dev.gatehouse.core.Problem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A policy directory as uploaded: relative path → text. {@code *.cedar} files hold policies,
 * {@code *.cedarschema} files hold application schema fragments. Sorted by path so the content
 * hash and the policy ids do not depend on upload order.
 */
public record PolicyBundle(Map<String, String> files) {
    public static final int MAX_FILES = 500;
    public static final int MAX_FILE_CHARS = PolicyTextLimits.MAX_FILE_CHARS;
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_.\\-]+(/[A-Za-z0-9_.\\-]+)*\\.(cedar|cedarschema)");

    public PolicyBundle {
        if (files == null || files.isEmpty()) {
            throw new Problem.Invalid("files", "a policy directory needs at least one .cedar file");
        }
        if (files.size() > MAX_FILES) {
            throw new Problem.Invalid("files", "at most " + MAX_FILES + " files per policy version");
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : files.entrySet()) {
            String path = e.getKey();
            if (path == null || !PATH.matcher(path).matches() || path.contains("..")) {
                throw new Problem.Invalid("files", "file names must be relative paths ending in .cedar or .cedarschema: '" + path + "'");
            }
            if (e.getValue() == null) throw new Problem.Invalid("files", "file '" + path + "' has no content");
            if (e.getValue().length() > MAX_FILE_CHARS) {
                throw new Problem.Invalid("files", "file '" + path + "' is larger than " + MAX_FILE_CHARS + " characters");
            }
            sorted.put(path, e.getValue());
        }
        if (sorted.keySet().stream().noneMatch(p -> p.endsWith(".cedar"))) {
            throw new Problem.Invalid("files", "a policy directory needs at least one .cedar file");
        }
        files = java.util.Collections.unmodifiableMap(sorted);
    }

    /** SHA-256 over every (path, content) pair in path order: equal directories hash equal. */
    public String contentHash() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, String> e : files.entrySet()) {
                sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(e.getValue().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
