package dev.gatehouse.inspection;

import dev.gatehouse.inspection.detectors.AwsAccessKeyDetector;
import dev.gatehouse.inspection.detectors.EmailDetector;
import dev.gatehouse.inspection.detectors.GenericSecretDetector;
import dev.gatehouse.inspection.detectors.GitHubTokenDetector;
import dev.gatehouse.inspection.detectors.GitLabTokenDetector;
import dev.gatehouse.inspection.detectors.IbanDetector;
import dev.gatehouse.inspection.detectors.JwtDetector;
import dev.gatehouse.inspection.detectors.PaymentCardDetector;
import dev.gatehouse.inspection.detectors.PhoneDetector;
import dev.gatehouse.inspection.detectors.PrivateKeyDetector;
import dev.gatehouse.inspection.detectors.SlackTokenDetector;
import dev.gatehouse.inspection.detectors.StripeKeyDetector;
import dev.gatehouse.inspection.detectors.UsSsnDetector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The inspector: one pass over the text dispatching each ASCII character to the detectors
 * triggered by it, the same pass over the decoded text of each encoded run in it
 * ({@link EncodedContent}: base64, hex, percent escapes, two levels deep), then overlapping
 * findings settled by rank, then each finding type mapped to a classification. Thread-safe and
 * allocation-light: detectors hold no per-call state.
 */
public final class DefaultInspector implements Inspector {
    /**
     * Reported when the content could not be read in full: a configured pattern ran out of its
     * step budget, or encoded content went deeper or further than decoding is allowed to follow.
     * Classified restricted (fail closed).
     */
    public static final String INCOMPLETE = "inspection.incomplete";

    private final Map<String, Classification> classification;
    private final Set<String> disabled;
    private final Detector[][] anywhere = new Detector[128][];
    private final Detector[][] tokenStart = new Detector[128][];
    private final Detector[] wholeText;
    private final boolean[] interesting = new boolean[128];

    /**
     * @param classification finding type → classification; every type of every detector needs one
     */
    public DefaultInspector(List<Detector> detectors, Map<String, Classification> classification) {
        this(detectors, classification, Set.of());
    }

    /**
     * @param disabled finding types not reported (for detectors reporting several types, of which
     *                 only some are unwanted)
     */
    public DefaultInspector(List<Detector> detectors, Map<String, Classification> classification, Set<String> disabled) {
        this.disabled = Set.copyOf(disabled);
        Map<String, Classification> map = new TreeMap<>(classification);
        map.put(INCOMPLETE, Classification.RESTRICTED);
        List<Detector> whole = new ArrayList<>();
        for (Detector d : detectors) {
            for (String type : d.types()) {
                if (!map.containsKey(type) && !this.disabled.contains(type)) throw new IllegalArgumentException("no classification for finding type " + type);
            }
            Detector.Trigger t = d.trigger();
            if (t.wholeText()) {
                whole.add(d);
                continue;
            }
            for (char c : t.chars().toCharArray()) {
                if (c >= 128) throw new IllegalArgumentException("trigger characters must be ASCII");
                Detector[][] table = t.tokenStart() ? tokenStart : anywhere;
                table[c] = append(table[c], d);
                interesting[c] = true;
            }
        }
        this.classification = Collections.unmodifiableMap(map);
        this.wholeText = whole.toArray(new Detector[0]);
    }

    /** The built-in detectors with the default classification. */
    public static DefaultInspector withDefaults() {
        return new DefaultInspector(builtInDetectors(), defaultClassification());
    }

    public static List<Detector> builtInDetectors() {
        return List.of(new AwsAccessKeyDetector(), new GitHubTokenDetector(), new GitLabTokenDetector(), new SlackTokenDetector(),
                new StripeKeyDetector(), new PrivateKeyDetector(), new JwtDetector(), new GenericSecretDetector(), new EmailDetector(),
                new PhoneDetector(), new UsSsnDetector(), new PaymentCardDetector(), new IbanDetector());
    }

    /**
     * Secrets and card numbers are restricted (one leak is an incident, PCI DSS scope); SSNs are
     * restricted (identity theft); IBANs, e-mail addresses and phone numbers are confidential
     * personal data.
     */
    public static Map<String, Classification> defaultClassification() {
        Map<String, Classification> m = new LinkedHashMap<>();
        for (String secret : List.of(AwsAccessKeyDetector.TYPE, GitHubTokenDetector.TYPE, GitLabTokenDetector.TYPE, SlackTokenDetector.TYPE,
                SlackTokenDetector.WEBHOOK, StripeKeyDetector.TYPE, PrivateKeyDetector.TYPE, JwtDetector.TYPE, GenericSecretDetector.TYPE)) {
            m.put(secret, Classification.RESTRICTED);
        }
        m.put(EmailDetector.TYPE, Classification.CONFIDENTIAL);
        m.put(PhoneDetector.TYPE, Classification.CONFIDENTIAL);
        m.put(UsSsnDetector.TYPE, Classification.RESTRICTED);
        m.put(PaymentCardDetector.TYPE, Classification.RESTRICTED);
        m.put(IbanDetector.TYPE, Classification.CONFIDENTIAL);
        return m;
    }

    /** Finding type → classification in effect. */
    public Map<String, Classification> classification() { return classification; }

    @Override
    public InspectionResult inspect(String content, Set<Classification> labels) {
        return result(scan(content), labels);
    }

    @Override
    public Redaction redact(String content, Set<Classification> labels) {
        String text = content == null ? "" : content;
        Hits hits = scan(text);
        Hits.Span[] spans = hits.resolve(disabled);
        if (spans.length == 0) return new Redaction(text, result(hits, spans, labels));
        StringBuilder out = new StringBuilder(text.length());
        int pos = 0;
        for (Hits.Span span : spans) {
            int start = escapeSafeStart(text, span.start(), span.end());
            out.append(text, pos, start).append("[REDACTED:").append(span.type()).append(']');
            pos = span.end();
        }
        out.append(text, pos, text.length());
        return new Redaction(out.toString(), result(hits, spans, labels));
    }

    /**
     * A span that begins right after an unescaped backslash would leave a dangling escape in a
     * JSON string once masked; keep the escape's character(s) instead.
     */
    private static int escapeSafeStart(String s, int start, int end) {
        int backslashes = 0;
        for (int i = start - 1; i >= 0 && s.charAt(i) == '\\'; i--) backslashes++;
        if (backslashes % 2 == 0) return start;
        int keep = s.charAt(start) == 'u' ? 5 : 1;
        return Math.min(end, start + keep);
    }

    private Hits scan(String content) {
        if (content == null || content.isEmpty()) return new Hits();
        return scan(content, 0, new EncodedContent(content.length()));
    }

    /**
     * Findings in {@code text}, including those in the decoded text of its encoded runs, which
     * count as findings of the same type: policies and classification see {@code base64(card)}
     * as a card. {@code level} is how many decodings deep {@code text} is.
     */
    private Hits scan(String text, int level, EncodedContent encoded) {
        Hits hits = scanPlain(text);
        if (level == EncodedContent.MAX_LEVELS) {
            // Not decoded further: if text-bearing encoded content remains, it was not read, and an
            // agent could wrap a secret once more to pass. A run inside a finding is reported already.
            if (encoded.holdsEncodedText(text, hits.inside(Integer.MIN_VALUE))) hits.markIncomplete();
            return hits;
        }
        // JWT segments and PEM bodies are base64 by design: the token or key is reported and masked whole, and what
        // its parts decode to would lose the overlap to it (unless a JWT carried a private key, restricted either way).
        encoded.decode(text, hits.inside(JwtDetector.RANK), decoded -> {
            Hits inner = scan(decoded.text(), level + 1, encoded);
            if (inner.incomplete) hits.markIncomplete();
            Hits.Span[] found = inner.resolve(disabled);
            if (found.length == 0) return true;
            if (decoded.located()) {
                for (Hits.Span f : found) hits.addLocated(f, decoded.sourceOf(f.start()), decoded.sourceOf(f.end()));
            } else {
                hits.addEncoded(mostSevere(found), decoded.start(), decoded.end(), found);
            }
            return true;
        });
        // Stopping short without saying so would let an agent hide a secret behind enough encoded padding.
        if (encoded.exhausted()) hits.markIncomplete();
        return hits;
    }

    /**
     * The type an encoded run's mask shows: its most severe finding (highest classification, then
     * rank). A run inside a run already shows its own most severe type.
     */
    private String mostSevere(Hits.Span[] found) {
        Hits.Span best = found[0];
        for (Hits.Span f : found) {
            if (severity(f) > severity(best)) best = f;
        }
        return best.type();
    }

    private int severity(Hits.Span s) {
        return classification.get(s.type()).level() * 1000 + s.rank();
    }

    private Hits scanPlain(String content) {
        Hits hits = new Hits();
        for (Detector d : wholeText) {
            hits.currentRank = d.rank();
            d.detect(content, 0, hits);
        }
        final boolean[] interesting = this.interesting;
        final int n = content.length();
        boolean prevAlnum = false;
        for (int i = 0; i < n; i++) {
            char c = content.charAt(i);
            if (c >= 128) {
                prevAlnum = false;
                continue;
            }
            if (c == '\\') {
                // Escapes inside JSON strings ("…\n4111…", "\"AKIA…", twice-encoded "\\n"): the backslashes and the
                // escape letter belong to the escape, and what follows starts a token.
                int j = i + 1;
                while (j < n && content.charAt(j) == '\\') j++;
                if (j < n) {
                    char e = content.charAt(j);
                    if (e == 'n' || e == 'r' || e == 't' || e == 'b' || e == 'f' || e == '"' || e == '/') j++;
                }
                i = j - 1;
                prevAlnum = false;
                continue;
            }
            if (interesting[c]) {
                Detector[] any = anywhere[c];
                if (any != null) call(any, content, i, hits);
                if (!prevAlnum) {
                    Detector[] ts = tokenStart[c];
                    if (ts != null) call(ts, content, i, hits);
                }
            }
            prevAlnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }
        return hits;
    }

    private static void call(Detector[] ds, String content, int i, Hits hits) {
        for (Detector d : ds) {
            hits.currentRank = d.rank();
            d.detect(content, i, hits);
        }
    }

    private InspectionResult result(Hits hits, Set<Classification> labels) {
        return result(hits, hits.resolve(disabled), labels);
    }

    private InspectionResult result(Hits hits, Hits.Span[] spans, Set<Classification> labels) {
        Classification level = Classification.PUBLIC;
        if (labels != null) for (Classification l : labels) level = level.max(l);
        if (spans.length == 0 && !hits.incomplete) return new InspectionResult(level, List.of());
        Map<String, Integer> counts = new TreeMap<>();
        for (Hits.Span s : spans) s.countInto(counts);
        if (hits.incomplete) counts.merge(INCOMPLETE, 1, Integer::sum);
        List<Finding> findings = new ArrayList<>(counts.size());
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            Classification c = classification.get(e.getKey());
            findings.add(new Finding(e.getKey(), c, e.getValue()));
            level = level.max(c);
        }
        return new InspectionResult(level, findings);
    }

    private static Detector[] append(Detector[] list, Detector d) {
        if (list == null) return new Detector[] {d};
        Detector[] out = java.util.Arrays.copyOf(list, list.length + 1);
        out[list.length] = d;
        return out;
    }
}
