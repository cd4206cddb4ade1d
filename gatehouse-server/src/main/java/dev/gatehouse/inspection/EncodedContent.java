package dev.gatehouse.inspection;

import java.util.Arrays;

/**
 * Encoded forms of text inside content: runs of base64 (standard or URL-safe, padded or not,
 * wrapped in lines), hex ({@code 0x} optional) and byte escapes ({@code %XX}, {@code \xXX}). An
 * agent asked to leak a card number or a key can send {@code base64(secret)} as easily as the
 * secret; the inspector runs its detectors over the decoded text of each run this class finds.
 *
 * <p>A run is decoded only while its bytes read as text (at most one byte in ten so far is a
 * control character or invalid UTF-8): what a secret encodes to is text, and binary data (images,
 * compressed or encrypted blobs, digests) is then given up after a few bytes, which keeps random
 * base64 cheap and keeps detectors away from noise. All work is linear in the content; the
 * per-payload budget ({@link #EncodedContent(int)}) is a backstop that fails closed.
 *
 * <p>One instance per payload (it holds the budget and reusable buffers), used by one thread.
 */
final class EncodedContent {
    /**
     * The shortest finding worth decoding for, in characters: a dashed SSN ({@code 536-22-1234}).
     * Every secret and card number is longer: a card has at least 13 digits, an IBAN 15, a generic
     * secret a key-like name, {@code =} and 8 characters, tokens 20 and more.
     */
    static final int SHORTEST_FINDING = 11;
    /** base64 of 11 bytes, unpadded: a shorter run cannot hold a finding. */
    static final int MIN_BASE64 = (4 * SHORTEST_FINDING + 2) / 3;
    /** Two hex digits per byte. */
    static final int MIN_HEX = 2 * SHORTEST_FINDING;
    /** Text decoded from text decoded from the content (percent-encoded base64, base64 of a file holding base64, …). */
    static final int MAX_LEVELS = 2;
    /**
     * A run that does not decode as a whole is tried again from just after each of its first few
     * {@code / + - _}: a value glued to a path or a name ({@code /collect/<base64>},
     * {@code key-<hex>}) starts there, and its encoding is then aligned.
     */
    static final int REALIGNMENTS = 8;
    /** Wrapped base64 (76 columns from {@code base64} and MIME, 64 in PEM) joins lines at least this wide. */
    private static final int MIN_LINE = 40;
    /** Wrapped blocks of up to this many lines are also read line by line. */
    private static final int SHORT_BLOCK = 8;

    private static final boolean[] CODE = new boolean[128];
    private static final boolean[] URL = new boolean[128];
    private static final byte[] SEXTET = new byte[128];
    private static final byte[] NIBBLE = new byte[128];
    /**
     * What the first character of encoded text can be. Its first byte must be text (a tab, LF, CR,
     * printable ASCII or a UTF-8 lead byte), so its base64 starts with C, D, I–Z, a–f, w–z or 0–9
     * and its hex with 0, 2–7 or c–f: other runs are not tried, which spares about 40 % of random
     * base64.
     */
    private static final boolean[] TEXT_START = new boolean[128];

    static {
        for (int c = 0; c < 128; c++) {
            boolean alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
            CODE[c] = alnum || c == '+' || c == '/' || c == '-' || c == '_';
            URL[c] = alnum || "-._~:/?#[]@!$&'()*+,;=%".indexOf(c) >= 0;
            SEXTET[c] = -1;
            NIBBLE[c] = (byte) Character.digit(c, 16);
        }
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < alphabet.length(); i++) SEXTET[alphabet.charAt(i)] = (byte) i;
        // both alphabets at once: a run mixing them decodes to noise and is given up like any other
        SEXTET['+'] = 62;
        SEXTET['-'] = 62;
        SEXTET['/'] = 63;
        SEXTET['_'] = 63;
        for (String first : new String[] {"CD", "IJKLMNOPQRSTUVWXYZ", "abcdef", "wxyz0123456789", "EF"}) {
            for (char c : first.toCharArray()) TEXT_START[c] = true;
        }
    }

    private long charsLeft;
    private int candidatesLeft;
    private boolean exhausted;
    private final TextReader reader = new TextReader();
    /** Where the current run's first separators are, for realignment. */
    private final int[] separators = new int[REALIGNMENTS];
    private int separatorCount;
    /** Where the current run's first line ends when it was joined to the next, else -1. */
    private int firstLineEnd;
    /** Where lines of equal width that are not a wrapped block end (each is read on its own), else -1. */
    private int linesEnd;
    /** How many lines the current run joins. */
    private int lineCount;

    /**
     * Limits for one payload, shared by every level: decoded characters scanned (the payload's
     * length plus 64 KiB) and decoded texts scanned (1,024 plus one per 32 characters). They grow
     * with the payload so that legitimate content (a large file read as base64 from a contents
     * API) never reaches them; reaching them means decoding did more than linear work would
     * allow, and the inspector then reports the content incomplete (restricted) rather than
     * calling what it did not decode clean.
     */
    EncodedContent(int payloadLength) {
        this.charsLeft = 64 * 1024 + (long) payloadLength;
        this.candidatesLeft = 1024 + payloadLength / 32;
    }

    /** Decoding stopped short because a limit was reached. */
    boolean exhausted() { return exhausted; }

    /**
     * Text decoded from {@code [start, end)} of the text it was read from. {@code offsets}, for
     * byte escapes, gives each decoded character's position there (and one past the last), so a
     * finding can be located; without it (base64, hex) a finding stands for the whole run.
     */
    record Decoded(String text, int start, int end, int[] offsets) {
        boolean located() { return offsets != null; }

        int sourceOf(int i) { return offsets[i]; }
    }

    interface Sink {
        /** @return false to stop looking for more */
        boolean accept(Decoded decoded);
    }

    /**
     * Decodes each encoded run of {@code text} that reads as text and passes it to {@code sink},
     * left to right, until a limit is reached. Runs {@code skip} excludes are left alone.
     */
    void decode(String text, RunFilter skip, Sink sink) {
        Sink budgeted = d -> take(d.text().length()) && sink.accept(d);
        if (codeRuns(text, skip, budgeted)) byteEscapeRuns(text, skip, budgeted);
    }

    private boolean take(int length) {
        if (exhausted || --candidatesLeft < 0 || (charsLeft -= length) < 0) exhausted = true;
        return !exhausted;
    }

    /** Does {@code text} still hold an encoded run that decodes to text (outside the runs {@code skip} excludes)? */
    boolean holdsEncodedText(String text, RunFilter skip) {
        return !(codeRuns(text, skip, d -> false) && byteEscapeRuns(text, skip, d -> false));
    }

    /** Runs the caller has already accounted for (inside a finding of the same text). */
    interface RunFilter {
        boolean skip(int start, int end);
    }

    // ---------------------------------------------------------------- base64 and hex

    /** @return false when the sink asked to stop */
    private boolean codeRuns(String s, RunFilter skip, Sink sink) {
        int n = s.length();
        int i = 0;
        int unjoinedUntil = 0;
        while (i + MIN_BASE64 <= n) {
            // A run long enough to decode that starts in [i, probe] covers probe: prose and JSON made of short
            // words are crossed MIN_BASE64 characters at a time.
            int probe = i + MIN_BASE64 - 1;
            if (!code(s.charAt(probe))) {
                i = probe + 1;
                continue;
            }
            int start = probe;
            while (start > i && code(s.charAt(start - 1))) start--;
            if (start > 0 && s.charAt(start - 1) == '\\') {
                // "\n" or "\u0041" inside a JSON string: the escape's letters are not the start of a run
                int backslash = start - 1;
                while (backslash > 0 && s.charAt(backslash - 1) == '\\') backslash--;
                start = Math.max(start, afterEscape(s, backslash));
                if (start > probe) {
                    i = start;
                    continue;
                }
            }
            // most words the probe lands on are short: step past them without reading the rest of the run
            int k = probe + 1;
            while (k < start + MIN_BASE64 && k < n && code(s.charAt(k))) k++;
            if (k < start + MIN_BASE64) {
                i = k + 1;
                continue;
            }
            int end = runEnd(s, start, start >= unjoinedUntil);
            if (linesEnd > 0) unjoinedUntil = linesEnd;
            if (end - start >= MIN_BASE64 && !skip.skip(start, end)) {
                int firstLine = firstLineEnd;
                // A few lines of equal width may be values one per line as well as a wrapped block: they are read
                // both ways, or a hex key glued to the next line's card number would hide both. The lines of a block
                // that does not decode are read one by one too (a token, then a base64 value on the next line).
                Decoded whole = decodeRun(s, start, end);
                boolean lineByLine = firstLine > 0 && (whole == null || lineCount <= SHORT_BLOCK);
                Decoded first = null;
                if (lineByLine) {
                    first = decodeRun(s, start, firstLine);
                    if (first == null) first = realigned(s, start, firstLine);
                } else if (whole == null) {
                    whole = realigned(s, start, end);
                }
                // the sink reads what was decoded (and may decode again): this run's state is used up by now
                if (whole != null && !sink.accept(whole)) return false;
                if (first != null && !sink.accept(first)) return false;
                if (lineByLine) {
                    // the next lines are read one by one: joining them again could repeat for every line of a long block
                    unjoinedUntil = end;
                    end = firstLine;
                }
            }
            i = end;
        }
        return true;
    }

    private static boolean code(char c) { return c < 128 && CODE[c]; }

    /**
     * End of the run starting at {@code start}: base64/hex characters, up to two {@code =} of
     * padding, and further lines when the run is wrapped (line feeds, also escaped once or twice
     * inside JSON strings). A wrapped block is lines of the first line's width (at least 40, a
     * multiple of 4) closed by a shorter last line or by padding, as {@code base64} and MIME
     * write them; a shorter last line must end where a block ends (padding, a line break, a quote,
     * the end), so the first word of the prose after a block is not read as part of it. Lines of
     * equal width without that close are values one per line (hex keys, a list of tokens): each is
     * its own run, or gluing them would hide every one.
     */
    private int runEnd(String s, int start, boolean joinLines) {
        int n = s.length();
        separatorCount = 0;
        firstLineEnd = -1;
        linesEnd = -1;
        lineCount = 1;
        int i = codeEnd(s, start);
        int width = i - start;
        if (!joinLines || width < MIN_LINE || width % 4 != 0) return paddingEnd(s, i);
        int firstEnd = i;
        int firstSeparators = separatorCount;
        boolean closed = false;
        while (true) {
            int next = afterLineBreak(s, i);
            if (next == i || next >= n || !code(s.charAt(next))) break;
            int separatorsBefore = separatorCount;
            int nextEnd = codeEnd(s, next);
            int line = nextEnd - next;
            if (line > width || (line < width && !endsBlock(s, nextEnd))) {
                separatorCount = separatorsBefore;
                break;
            }
            i = nextEnd;
            lineCount++;
            if (line < width) {
                closed = true;
                break;
            }
        }
        if (i == firstEnd) return paddingEnd(s, i);
        if (!closed && (i >= n || s.charAt(i) != '=')) {
            linesEnd = i;
            separatorCount = firstSeparators;
            return firstEnd;
        }
        firstLineEnd = firstEnd;
        return paddingEnd(s, i);
    }

    /** End of the base64/hex characters from {@code i}, noting the first separators on the way. */
    private int codeEnd(String s, int i) {
        int n = s.length();
        for (char c; i < n && code(c = s.charAt(i)); i++) {
            // the code characters below '0' are + - /
            if ((c < '0' || c == '_') && separatorCount < REALIGNMENTS) separators[separatorCount++] = i;
        }
        return i;
    }

    private static int paddingEnd(String s, int i) {
        int end = i;
        while (end < s.length() && end - i < 2 && s.charAt(end) == '=') end++;
        return end;
    }

    /** Does a wrapped block end at {@code i}: padding, a line break, a quote (perhaps escaped) or the end of the text? */
    private static boolean endsBlock(String s, int i) {
        if (i >= s.length()) return true;
        char c = s.charAt(i);
        if (c == '=' || c == '"' || c == '\'' || c == '\n' || c == '\r') return true;
        if (c != '\\') return false;
        int j = i;
        while (j < s.length() && s.charAt(j) == '\\') j++;
        return afterLineBreak(s, i) > i || (j < s.length() && s.charAt(j) == '"');
    }

    /** Position after a line break at {@code i} ({@code \n}, {@code \r\n}, or either escaped with backslashes), else {@code i}. */
    private static int afterLineBreak(String s, int i) {
        int n = s.length();
        int j = i;
        if (j < n && s.charAt(j) == '\r') j++;
        if (j < n && s.charAt(j) == '\n') return j + 1;
        if (j > i) return j;
        int k = j;
        while (k < n && s.charAt(k) == '\\') k++;
        if (k == j || k >= n) return i;
        if (s.charAt(k) == 'n') return k + 1;
        if (s.charAt(k) != 'r') return i;
        int m = k + 1;
        while (m < n && s.charAt(m) == '\\') m++;
        return m > k + 1 && m < n && s.charAt(m) == 'n' ? m + 1 : k + 1;
    }

    /** Position after the JSON escape starting at the backslash {@code i} (backslashes, then a letter or {@code uXXXX}). */
    private static int afterEscape(String s, int i) {
        int n = s.length();
        int j = i;
        while (j < n && s.charAt(j) == '\\') j++;
        if (j >= n) return j;
        char e = s.charAt(j);
        if (e == 'u' && j + 5 <= n) return j + 5;
        return "nrtbf\"/".indexOf(e) >= 0 ? j + 1 : j;
    }

    /** The run decoded from after one of its first separators, or null. */
    private Decoded realigned(String s, int start, int end) {
        Decoded d = null;
        for (int k = 0; d == null && k < separatorCount && separators[k] >= start && end - separators[k] - 1 >= MIN_BASE64; k++) {
            d = decodeRun(s, separators[k] + 1, end);
        }
        return d;
    }

    /**
     * The run's text: hex when every character is a hex digit (after an optional {@code 0x}) and
     * their count is even, else base64. Null when it is not text or too short to hold a finding.
     */
    private Decoded decodeRun(String s, int start, int end) {
        if (!TEXT_START[s.charAt(start) & 127]) return null;
        int first = end - start > 2 && s.charAt(start) == '0' && (s.charAt(start + 1) == 'x' || s.charAt(start + 1) == 'X') ? start + 2 : start;
        int digits = 0;
        boolean hex = true;
        for (int i = first; i < end && hex; i++) { // base64 leaves this loop within a few characters
            char c = s.charAt(i);
            if (layout(s, start, i)) continue;
            if (NIBBLE[c] >= 0) digits++;
            else hex = false;
        }
        reader.reset(false);
        if (hex && digits % 2 == 0 && digits >= MIN_HEX) {
            int high = -1;
            for (int i = first; i < end && !reader.rejected; i++) {
                if (layout(s, start, i)) continue;
                int v = NIBBLE[s.charAt(i)];
                if (high < 0) {
                    high = v;
                } else {
                    reader.add((byte) (high << 4 | v), 0);
                    high = -1;
                }
            }
        } else if (first == start) { // base64 of text never starts with "0x"
            int bits = 0;
            int acc = 0;
            for (int i = start; i < end && !reader.rejected; i++) {
                if (layout(s, start, i)) continue;
                acc = acc << 6 | SEXTET[s.charAt(i)];
                bits += 6;
                if (bits >= 8) {
                    bits -= 8;
                    reader.add((byte) (acc >> bits), 0);
                }
            }
        }
        String t = reader.finish();
        return t == null ? null : new Decoded(t, start, end, null);
    }

    /** Is s[i] a line break (plain or escaped) or padding inside a run that starts at {@code start}, not a code character? */
    private static boolean layout(String s, int start, int i) {
        char c = s.charAt(i);
        // a run holds code characters, and only at line breaks = \ \n \r (all outside the alphabet) or an escape's n, r
        if (c != 'n' && c != 'r') return SEXTET[c & 127] < 0;
        return i > start && s.charAt(i - 1) == '\\';
    }

    // ---------------------------------------------------------------- %XX and \xXX

    /**
     * Runs of URL characters holding at least one byte escape ({@code %41}, {@code \x41}, or
     * {@code \\x41} inside a JSON string). {@code +} is a space, as in form bodies and query
     * strings. Each decoded character keeps its position, so only a finding's own characters are
     * masked (a URL keeps its host and path).
     */
    private boolean byteEscapeRuns(String s, RunFilter skip, Sink sink) {
        int n = s.length();
        int after = 0; // end of the last run
        int i = nextEscape(s, 0);
        while (i >= 0) {
            int start = i;
            while (start > after && urlChar(s, start - 1)) start--;
            int end = i;
            while (end < n) {
                int e = escapeEnd(s, end);
                if (e > end) end = e;
                else if (urlChar(s, end)) end++;
                else break;
            }
            if (!skip.skip(start, end)) {
                Decoded d = decodeEscapes(s, start, end);
                if (d != null && !sink.accept(d)) return false;
            }
            after = end;
            i = end < n ? nextEscape(s, end) : -1;
        }
        return true;
    }

    /** A URL character that is not the letter of a JSON escape ({@code \n}, or {@code \\n} when escaped twice). */
    private static boolean urlChar(String s, int i) {
        char c = s.charAt(i);
        return c < 128 && URL[c] && (i == 0 || s.charAt(i - 1) != '\\');
    }

    /** The next position at or after {@code from} where a byte escape starts, or -1. */
    private static int nextEscape(String s, int from) {
        int percent = s.indexOf('%', from);
        int backslash = s.indexOf('\\', from);
        while (percent >= 0 || backslash >= 0) {
            int i = percent < 0 ? backslash : backslash < 0 ? percent : Math.min(percent, backslash);
            if (escapeEnd(s, i) > i) return i;
            if (i == percent) percent = s.indexOf('%', i + 1);
            else backslash = s.indexOf('\\', i + 1);
        }
        return -1;
    }

    /** End of the byte escape at {@code i} ({@code %HH}, or backslashes, {@code x}, {@code HH}), else {@code i}. */
    private static int escapeEnd(String s, int i) {
        int n = s.length();
        char c = s.charAt(i);
        int j;
        if (c == '%') {
            j = i + 1;
        } else if (c == '\\') {
            j = i;
            while (j < n && s.charAt(j) == '\\') j++;
            if (j >= n || s.charAt(j) != 'x') return i;
            j++;
        } else {
            return i;
        }
        return j + 2 <= n && Character.digit(s.charAt(j), 16) >= 0 && Character.digit(s.charAt(j + 1), 16) >= 0 ? j + 2 : i;
    }

    private Decoded decodeEscapes(String s, int start, int end) {
        reader.reset(true);
        for (int i = start; i < end && !reader.rejected; ) {
            int e = escapeEnd(s, i);
            if (e > i) {
                reader.add((byte) (Character.digit(s.charAt(e - 2), 16) << 4 | Character.digit(s.charAt(e - 1), 16)), i);
                i = e;
            } else {
                char c = s.charAt(i);
                reader.add((byte) (c == '+' ? ' ' : c), i);
                i++;
            }
        }
        String t = reader.finish();
        return t == null ? null : new Decoded(t, start, end, reader.offsets(end));
    }

    // ---------------------------------------------------------------- bytes to text

    /**
     * Decoded bytes read as UTF-8 text, for as long as they are text: at every point at most one
     * byte in ten so far may be a control character (other than tab, CR, LF) or invalid UTF-8.
     * Ninety per cent allows text with some framing; random bytes are only 38 % printable ASCII,
     * so binary is rejected within a few bytes. Trailing non-text is dropped from the result.
     */
    private static final class TextReader {
        private byte[] bytes = new byte[256];
        private int[] from = new int[256];
        private char[] chars = new char[256];
        private int[] charFrom = new int[256];
        private boolean locate;
        private int size;
        private int judged;
        private int bad;
        private boolean rejected;
        private int charCount;
        /** characters and bytes up to the last text character judged before rejection */
        private int textChars;
        private int textBytes;

        /** Starts a new text; {@code locate}: remember where each byte came from. */
        void reset(boolean locate) {
            this.locate = locate;
            size = judged = bad = charCount = textChars = textBytes = 0;
            rejected = false;
        }

        void add(byte b, int source) {
            if (size == bytes.length) {
                bytes = Arrays.copyOf(bytes, size * 2);
                from = Arrays.copyOf(from, size * 2);
            }
            if (locate) from[size] = source;
            bytes[size++] = b;
            if (b >= 0x20 && b < 0x7f && judged == size - 1) { // printable ASCII with nothing pending, the common case
                append(b, judged);
                judged = size;
                textChars = charCount;
                textBytes = judged;
            } else if ((b & 0x80) == 0 || size - judged >= 4) {
                judge(false); // a multi-byte sequence is judged once complete
            }
        }

        private void judge(boolean last) {
            while (!rejected && judged < size) {
                int b = bytes[judged] & 0xff;
                int len = 1;
                int cp = b;
                boolean text;
                if (b < 0x80) {
                    text = (b >= 0x20 && b < 0x7f) || b == '\t' || b == '\n' || b == '\r';
                } else {
                    int need = b >= 0xC2 && b <= 0xDF ? 1 : b >= 0xE0 && b <= 0xEF ? 2 : b >= 0xF0 && b <= 0xF4 ? 3 : 0;
                    if (need > 0 && judged + need >= size && !last) return; // wait for the rest of the sequence
                    text = need > 0;
                    cp = b & (0x3f >> need);
                    for (int k = 1; k <= need && text; k++) {
                        if (judged + k >= size || (bytes[judged + k] & 0xc0) != 0x80) text = false;
                        else cp = cp << 6 | (bytes[judged + k] & 0x3f);
                    }
                    if (text) len = 1 + need;
                    else cp = 0xFFFD;
                }
                if (!text) bad++;
                if (bad * 10 > judged + len) {
                    rejected = true;
                    return;
                }
                append(cp, judged);
                judged += len;
                if (text) {
                    textChars = charCount;
                    textBytes = judged;
                }
            }
        }

        private void append(int cp, int byteIndex) {
            if (charCount + 2 > chars.length) {
                chars = Arrays.copyOf(chars, chars.length * 2);
                charFrom = Arrays.copyOf(charFrom, chars.length);
            }
            if (locate) charFrom[charCount] = from[byteIndex];
            if (Character.isBmpCodePoint(cp)) {
                chars[charCount++] = (char) cp;
            } else {
                chars[charCount++] = Character.highSurrogate(cp);
                if (locate) charFrom[charCount] = from[byteIndex];
                chars[charCount++] = Character.lowSurrogate(cp);
            }
        }

        /** The text read, or null when it is too short to hold a finding. */
        String finish() {
            judge(true);
            return textChars >= SHORTEST_FINDING ? new String(chars, 0, textChars) : null;
        }

        /** Each character's source position and, last, where the text read ends in the source. */
        int[] offsets(int sourceEnd) {
            int[] out = Arrays.copyOf(charFrom, textChars + 1);
            out[textChars] = textBytes < size ? from[textBytes] : sourceEnd;
            return out;
        }
    }
}
