package dev.gatehouse.inspection.detectors;

import dev.gatehouse.inspection.Detector;
import dev.gatehouse.inspection.Hits;
import java.util.Set;

/**
 * GitHub tokens: {@code ghp_/gho_/ghu_/ghs_/ghr_} followed by at least 36 letters and digits
 * (classic, OAuth, user-to-server, server-to-server, refresh), and fine-grained personal access
 * tokens {@code github_pat_} followed by at least 80 letters, digits and underscores.
 */
public final class GitHubTokenDetector implements Detector {
    public static final String TYPE = "secret.github_token";

    @Override public Set<String> types() { return Set.of(TYPE); }

    @Override public Trigger trigger() { return new Trigger("g", true); }

    @Override
    public void detect(String s, int at, Hits hits) {
        if (at + 4 > s.length()) return;
        if (s.charAt(at + 1) == 'h' && s.charAt(at + 3) == '_' && "pousr".indexOf(s.charAt(at + 2)) >= 0) {
            int end = Chars.run(s, at + 4, at + 4 + 255, Chars::alnum);
            if (end - (at + 4) >= 36 && Chars.endBoundary(s, end) && (end >= s.length() || s.charAt(end) != '_')) hits.add(TYPE, at, end);
        } else if (s.startsWith("github_pat_", at)) {
            int end = Chars.run(s, at + 11, at + 11 + 255, c -> Chars.alnum(c) || c == '_');
            if (end - (at + 11) >= 80 && Chars.endBoundary(s, end)) hits.add(TYPE, at, end);
        }
    }
}
