package dev.gatehouse.inspection.detectors;

import dev.gatehouse.inspection.Detector;
import dev.gatehouse.inspection.Hits;
import java.util.Set;

/**
 * Secrets without a recognisable format (values up to 256 characters): a random-looking value assigned to a key-like name
 * ({@code password}, {@code client_secret}, {@code api_key}, {@code Authorization}, …) in JSON,
 * YAML, {@code .env} files, query strings and HTTP headers. Called at every {@code :} and
 * {@code =}: it reads the name before and the value after, without a regex.
 *
 * <p>Random-looking means: at least 16 characters with letters and digits (or mixed case) and
 * Shannon entropy of at least 3 bits per character, or for password-like names at least 8
 * characters from three character classes. A quoted value must close on its quote and hold no
 * blank; a bare value must contain a digit (so {@code token = client.fetch(…)} in source code is
 * not a secret). Placeholders ({@code <your-token>}, {@code ${VAR}},
 * {@code changeme}, {@code ****}, {@code [REDACTED…]}) are not secrets.
 */
public final class GenericSecretDetector implements Detector {
    public static final String TYPE = "secret.generic_high_entropy";

    /** Key-like name endings, lower case without separators ({@code client_secret} → {@code clientsecret}). */
    private static final String[] NAMES = {"password", "passwd", "pwd", "passphrase", "secret", "token", "apikey", "accesskey",
            "secretkey", "privatekey", "signingkey", "encryptionkey", "masterkey", "accountkey", "sessionkey", "authorization",
            "auth", "credential", "credentials", "bearer", "sastoken"};
    private static final String[] PASSWORD_NAMES = {"password", "passwd", "pwd", "passphrase"};
    /** Random but not secret: pagination cursors. */
    private static final String[] NOT_SECRET = {"pagetoken", "nexttoken", "continuationtoken", "synctoken", "cursortoken", "nextpagetoken"};
    private static final String[] PLACEHOLDERS = {"example", "xxxx", "****", "changeme", "placeholder", "your", "redacted", "dummy",
            "<", "${", "{{", "%s", "null", "undefined", "..."};
    private static final String[] SCHEMES = {"bearer ", "basic ", "token ", "bot "};

    @Override public Set<String> types() { return Set.of(TYPE); }

    @Override public Trigger trigger() { return new Trigger(":=", false); }

    @Override public int rank() { return 1; }

    @Override
    public void detect(String s, int at, Hits hits) {
        int n = s.length();
        if (at + 1 >= n) return;
        char next = s.charAt(at + 1);
        if (next == '=' || (s.charAt(at) == ':' && next == '/')) return; // "==", "://"
        // the name: skip blanks and a closing quote (possibly escaped: JSON inside a JSON string)
        int j = at - 1;
        while (j >= 0 && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) j--;
        if (j >= 0 && (s.charAt(j) == '"' || s.charAt(j) == '\'')) {
            j--;
            while (j >= 0 && s.charAt(j) == '\\') j--; // \" or, encoded twice, \\\"
        }
        int nameEnd = j + 1;
        if (nameEnd == 0 || !Chars.alnum(s.charAt(j))) return;
        int nameStart = nameEnd;
        while (nameStart > 0 && nameEnd - nameStart < 64 && isNameChar(s.charAt(nameStart - 1))) nameStart--;
        if (!endsWithAny(s, nameStart, nameEnd, NAMES) || endsWithAny(s, nameStart, nameEnd, NOT_SECRET)) return;

        // the value: skip blanks and an opening quote
        int k = at + 1;
        while (k < n && (s.charAt(k) == ' ' || s.charAt(k) == '\t')) k++;
        char quote = 0;
        int q = k;
        while (q < n && s.charAt(q) == '\\') q++;
        if (q > k && q < n && s.charAt(q) == '"') {
            quote = '"';
            k = q + 1;
        } else if (k < n && (s.charAt(k) == '"' || s.charAt(k) == '\'')) {
            quote = s.charAt(k);
            k++;
        }
        for (String scheme : SCHEMES) {
            if (Chars.startsWithIgnoreCase(s, k, scheme)) { k += scheme.length(); break; }
        }
        int end = k;
        int limit = Math.min(n, k + 256); // bounded: hostile text full of "token:" must stay linear
        while (end < limit && isValueChar(s.charAt(end), quote)) end++;
        int len = end - k;
        if (len < 8) return;
        // Source code is full of `token = client.fetch(…)` and `"secret: " + value`: a quoted value must close
        // on its quote and hold no blank; a bare value must contain a digit (random 16+ characters almost always do).
        if (quote != 0 && (end >= n || (s.charAt(end) != quote && s.charAt(end) != '\\'))) return;
        boolean digit = false;
        for (int i = k; i < end; i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t') return;
            if (Chars.digit(c)) digit = true;
        }
        if (quote == 0 && (!digit || (end < n && s.charAt(end) == '('))) return; // a call: base64.b64encode(…)
        boolean passwordName = endsWithAny(s, nameStart, nameEnd, PASSWORD_NAMES);
        if (looksRandom(s, k, end, passwordName) && !placeholder(s, k, end)) hits.add(TYPE, k, end);
    }

    private static boolean isNameChar(char c) { return Chars.alnum(c) || c == '_' || c == '-' || c == '.'; }

    private static boolean isValueChar(char c, char quote) {
        if (c == '\\' || c == '\n' || c == '\r') return false;
        if (quote != 0) return c != quote;
        return c > ' ' && c != ',' && c != ';' && c != '&' && c != '}' && c != ']' && c != '(' && c != ')' && c != '"' && c != '\'' && c != '<'
                && c != '>';
    }

    /** Does s[from,to) end with one of the words, comparing case-insensitively and ignoring _ - . in s? */
    private static boolean endsWithAny(String s, int from, int to, String[] words) {
        for (String w : words) {
            int i = to - 1;
            int k = w.length() - 1;
            while (k >= 0 && i >= from) {
                char c = s.charAt(i);
                if (c == '_' || c == '-' || c == '.') { i--; continue; }
                if (Character.toLowerCase(c) != w.charAt(k)) break;
                i--;
                k--;
            }
            if (k < 0) return true;
        }
        return false;
    }

    private static boolean looksRandom(String s, int from, int to, boolean passwordName) {
        boolean lower = false, upper = false, digit = false, other = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (Chars.lower(c)) lower = true;
            else if (Chars.upper(c)) upper = true;
            else if (Chars.digit(c)) digit = true;
            else if (c != ' ') other = true;
        }
        int classes = (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
        int len = to - from;
        if (len >= 16 && ((digit && (lower || upper)) || (lower && upper)) && Chars.entropy(s, from, to) >= 3.0) return true;
        return passwordName && classes >= 3 && Chars.entropy(s, from, to) >= 2.5;
    }

    private static boolean placeholder(String s, int from, int to) {
        for (String p : PLACEHOLDERS) {
            int last = to - p.length();
            for (int i = from; i <= last; i++) {
                if (s.regionMatches(true, i, p, 0, p.length())) return true;
            }
        }
        char first = s.charAt(from);
        return first == '$' || first == '[' || first == '%';
    }
}
