package dev.gatehouse.inspection.detectors;

import dev.gatehouse.inspection.Detector;
import dev.gatehouse.inspection.Hits;
import java.util.Set;

/**
 * GitLab tokens: a {@code gl…-} prefix naming the token kind (personal/project/group access,
 * deploy, runner, pipeline trigger, CI job, feed, incoming mail, SCIM/OAuth) and at least 20
 * characters of {@code [A-Za-z0-9_.-]}.
 */
public final class GitLabTokenDetector implements Detector {
    public static final String TYPE = "secret.gitlab_token";
    private static final String[] PREFIXES = {"glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "glft-", "glimt-", "glsoat-", "gloas-", "glagent-"};

    @Override public Set<String> types() { return Set.of(TYPE); }

    @Override public Trigger trigger() { return new Trigger("g", true); }

    @Override
    public void detect(String s, int at, Hits hits) {
        if (at + 25 > s.length() || s.charAt(at + 1) != 'l') return;
        for (String p : PREFIXES) {
            if (s.startsWith(p, at)) {
                int from = at + p.length();
                int end = Chars.run(s, from, from + 255, c -> Chars.base64url(c) || c == '.');
                while (end > from && s.charAt(end - 1) == '.') end--; // a sentence may end right after the token
                if (end - from >= 20 && Chars.endBoundary(s, end)) hits.add(TYPE, at, end);
                return;
            }
        }
    }
}
