package dev.gatehouse.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bounds on policy and schema text, checked in plain Java before any native parser sees it.
 *
 * <p>cedar-java parses in Rust on the calling thread's stack. Rust's recursive descent over a deeply
 * nested expression overruns a thread stack the JVM cannot guard (SIGSEGV: the whole server dies, nothing
 * is logged): about 80 nested parentheses on a 1 MiB thread, ~1,000 nested {@code if}s, ~20,000 chained
 * {@code +}. Measured on cedar-java 4.10, evaluation re-parses the text and crashes from ~70 parentheses.
 * The limits below sit far under those figures, so parsing, validation and evaluation are safe even on a
 * default 1 MiB stack; {@link CedarPolicyEngine} additionally parses on large-stack threads.
 *
 * <p>Counted outside string literals and {@code //} comments: nesting (brackets, plus every {@code if}
 * as one level until its enclosing bracket closes, in {@code .cedar}; brackets and {@code Set<…>} in
 * {@code .cedarschema}), the chain of {@code + - * .} operators in one policy, and the text size. A
 * violation names file:line:column of the first offending character. The pure-Java engine evaluates without
 * cedar-java, but every pushed version is still validated by it (and {@code policy.engine: cedar-java} evaluates
 * with it), so the bounds stay.
 */
public final class PolicyTextLimits {
    /** Deepest nesting of brackets and {@code if} expressions; real policies stay under 10. */
    public static final int MAX_NESTING = 32;
    /** Most {@code + - * .} operators in one policy statement (they build left-deep trees). */
    public static final int MAX_CHAINED_OPERATORS = 512;
    /** Largest single file, in characters. */
    public static final int MAX_FILE_CHARS = 500_000;
    /** Largest policy directory, all files together, in characters. */
    public static final int MAX_BUNDLE_CHARS = 4_000_000;

    private PolicyTextLimits() {}

    /** Every file's first violation, in path order; empty when the directory is within bounds. */
    public static List<PolicyError> check(Map<String, String> files) {
        List<PolicyError> errors = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, String> file : files.entrySet()) {
            total += file.getValue().length();
            check(file.getKey(), file.getValue()).ifPresent(errors::add);
        }
        if (total > MAX_BUNDLE_CHARS) {
            errors.add(new PolicyError("(policies)", 0, 0, "the policy directory is larger than " + MAX_BUNDLE_CHARS + " characters"));
        }
        return errors;
    }

    /** The first violation in one file ({@code .cedarschema} files count {@code <} as a bracket). */
    public static Optional<PolicyError> check(String file, String text) {
        if (text.length() > MAX_FILE_CHARS) {
            return Optional.of(new PolicyError(file, 0, 0, "file is larger than " + MAX_FILE_CHARS + " characters"));
        }
        boolean schema = file.endsWith(".cedarschema");
        // One frame per open bracket (the root frame never closes): how many `if`s opened inside it.
        int[] ifs = new int[MAX_NESTING + 2];
        int frames = 0;
        int depth = 0;
        int operators = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                i = endOfString(text, i);
            } else if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
                int eol = text.indexOf('\n', i);
                i = eol < 0 ? text.length() : eol;
            } else if (c == '(' || c == '[' || c == '{' || (schema && c == '<')) {
                depth++;
                if (depth > MAX_NESTING) return Optional.of(at(file, text, i, tooDeep()));
                ifs[++frames] = 0;
            } else if (c == ')' || c == ']' || c == '}' || (schema && c == '>')) {
                if (frames > 0) {
                    depth -= 1 + ifs[frames];
                    frames--;
                }
            } else if (!schema && isKeyword(text, i, "if")) {
                depth++;
                ifs[frames]++;
                if (depth > MAX_NESTING) return Optional.of(at(file, text, i, tooDeep()));
                i++;
            } else if (!schema && (c == '+' || c == '-' || c == '*' || c == '.')) {
                if (++operators > MAX_CHAINED_OPERATORS) {
                    return Optional.of(at(file, text, i, "more than " + MAX_CHAINED_OPERATORS
                            + " arithmetic or attribute operators in one policy; split it"));
                }
            } else if (!schema && c == ';' && frames == 0) {
                // A policy ends: the next one starts with a clean count.
                depth = 0;
                ifs[0] = 0;
                operators = 0;
            } else if (Character.isJavaIdentifierStart(c)) {
                // Skip the rest of an identifier so `elif` or `gift` never count as `if`.
                while (i + 1 < text.length() && Character.isJavaIdentifierPart(text.charAt(i + 1))) i++;
            }
        }
        return Optional.empty();
    }

    private static String tooDeep() {
        return "expression nested deeper than " + MAX_NESTING + " levels (brackets and if-expressions); flatten it";
    }

    /** Index of the closing quote of the string literal opening at {@code start} (or the end of the text). */
    private static int endOfString(String text, int start) {
        for (int i = start + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') i++;
            else if (c == '"') return i;
        }
        return text.length();
    }

    private static boolean isKeyword(String text, int i, String word) {
        if (!text.startsWith(word, i)) return false;
        int end = i + word.length();
        return end == text.length() || !Character.isJavaIdentifierPart(text.charAt(end));
    }

    private static PolicyError at(String file, String text, int offset, String message) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new PolicyError(file, line, column, message);
    }
}
