package dev.gatehouse.cedar.differential;

import dev.gatehouse.cedar.parser.ParseException;
import dev.gatehouse.cedar.parser.PolicyParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Generated policies with a token or two deleted, duplicated, swapped or replaced: this parser
 * must accept exactly the texts Cedar accepts. Size: {@code -Dcedar.diff.texts=N} (default
 * 3,000); seed as for {@link DifferentialTest} ({@code -Dcedar.diff.seed}).
 */
class ParserDifferentialTest {
    private static final Pattern TOKEN = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"|[A-Za-z_][A-Za-z0-9_]*|[0-9]+|::|==|!=|<=|>=|&&|\\|\\||\\S");
    private static final String[] POOL = {"if", "then", "else", "in", "is", "has", "like", "true", "false", "principal", "action", "resource",
        "context", "when", "unless", "permit", "forbid", "(", ")", "[", "]", "{", "}", ",", ";", ":", "::", ".", "==", "!=", "<", "<=", ">",
        ">=", "&&", "||", "+", "-", "*", "/", "%", "!", "=", "@", "\"s\"", "\"a*\"", "0", "9223372036854775808", "decimal", "ip", "contains",
        "getTag", "isEmpty", "lessThan", "User", "Action", "Ns", "__cedar", "x"};
    /** Replacements of the same kind as the token replaced, which keep more texts valid. */
    private static final String[] WORDS = {"if", "then", "else", "in", "is", "has", "like", "true", "false", "principal", "action", "resource",
        "context", "when", "unless", "permit", "forbid", "decimal", "ip", "datetime", "contains", "containsAll", "getTag", "hasTag", "isEmpty",
        "lessThan", "offset", "User", "Action", "Ns", "__cedar", "x", "level", "tags", "Set"};
    private static final String[] OPERATORS = {"==", "!=", "<", "<=", ">", ">=", "&&", "||", "+", "-", "*", "in", "has", "like", "is", ".", "::"};
    private static final String[] LITERALS = {"\"s\"", "\"a*\"", "\"\\*\"", "\"\\u{2a}\"", "0", "-1", "9223372036854775807", "9223372036854775808",
        "true", "false", "User::\"a\"", "Action::\"read\"", "[]", "{}", "[1, \"a\"]", "{a: 1}"};

    @Test
    void mutatedPolicyTextIsAcceptedExactlyWhenCedarAcceptsIt() {
        int texts = Integer.getInteger("cedar.diff.texts", 3000);
        String seedProperty = System.getProperty("cedar.diff.seed", "");
        long seed = seedProperty.isBlank() ? new Random().nextLong() : Long.parseLong(seedProperty.trim());
        System.out.println("parser differential test: seed " + seed + ", " + texts + " texts");
        Random r = new Random(seed);
        List<String> failures = new ArrayList<>();
        int accepted = 0;
        for (int i = 0; i < texts && failures.size() < 10; i++) {
            String original = new CedarGenerator(r.nextLong(), r.nextLong(), 1 + r.nextInt(3)).policy();
            String text = mutate(original, r);
            if (text.contains("?")) {
                continue; // template slots: Cedar parses templates, this engine rejects them by design
            }
            StringBuilder cedarError = new StringBuilder();
            boolean cedarAccepts = ReferenceCedar.parse(text, cedarError) != null;
            String ourError = null;
            try {
                PolicyParser.parse(text);
            } catch (ParseException e) {
                ourError = e.getMessage();
            }
            if (cedarAccepts != (ourError == null)) {
                failures.add("text " + i + ":\n" + text + "Cedar " + (cedarAccepts ? "accepts" : "rejects: " + cedarError)
                        + "\nwe " + (ourError == null ? "accept" : "reject: " + ourError));
            }
            if (cedarAccepts) {
                accepted++;
            }
        }
        System.out.println("parser differential test: " + accepted + " mutated texts accepted by both");
        if (!failures.isEmpty()) {
            throw new AssertionError("seed " + seed + ": " + failures.size() + " parse disagreement(s):\n\n" + String.join("\n-----\n", failures));
        }
    }

    private static String sameKind(String token, Random r) {
        char c = token.charAt(0);
        if (Character.isLetter(c) || c == '_') {
            return WORDS[r.nextInt(WORDS.length)];
        }
        if (c == '"' || Character.isDigit(c)) {
            return LITERALS[r.nextInt(LITERALS.length)];
        }
        return OPERATORS[r.nextInt(OPERATORS.length)];
    }

    private static String mutate(String text, Random r) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        StringBuilder b = new StringBuilder(text);
        int mutations = 1 + r.nextInt(2);
        for (int k = 0; k < mutations && !spans.isEmpty(); k++) {
            int i = r.nextInt(spans.size());
            int[] s = spans.get(i);
            String token = b.substring(s[0], s[1]);
            String replacement = switch (r.nextInt(6)) {
                case 0 -> "";
                case 1 -> token + " " + token;
                case 2 -> POOL[r.nextInt(POOL.length)];
                case 3, 4 -> sameKind(token, r);
                default -> i + 1 < spans.size() ? null : token;
            };
            if (replacement == null) {
                int[] t = spans.get(i + 1);
                String next = b.substring(t[0], t[1]);
                b.replace(t[0], t[1], token);
                b.replace(s[0], s[1], next);
            } else {
                b.replace(s[0], s[1], replacement);
            }
            // offsets after a change are stale: re-tokenize for the next mutation
            spans.clear();
            Matcher again = TOKEN.matcher(b);
            while (again.find()) {
                spans.add(new int[] {again.start(), again.end()});
            }
        }
        return b.toString();
    }
}
