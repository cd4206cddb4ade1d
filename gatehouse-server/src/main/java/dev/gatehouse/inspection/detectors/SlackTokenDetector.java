package dev.gatehouse.inspection.detectors;

import dev.gatehouse.inspection.Detector;
import dev.gatehouse.inspection.Hits;
import java.util.Set;

/**
 * Slack tokens ({@code xoxb-}, {@code xoxp-}, {@code xoxa-}, {@code xoxr-}, {@code xoxs-},
 * {@code xoxe-}/{@code xoxe.xoxp-}: dash-separated segments, at least 20 characters after the
 * prefix) and incoming-webhook URLs ({@code https://hooks.slack.com/services/T…/B…/…}), which
 * post to a channel without any other credential.
 */
public final class SlackTokenDetector implements Detector {
    public static final String TYPE = "secret.slack_token";
    public static final String WEBHOOK = "secret.slack_webhook";
    private static final String HOOK = "https://hooks.slack.com/services/";

    @Override public Set<String> types() { return Set.of(TYPE, WEBHOOK); }

    @Override public Trigger trigger() { return new Trigger("xh", true); }

    @Override
    public void detect(String s, int at, Hits hits) {
        if (s.charAt(at) == 'h') {
            if (!s.startsWith(HOOK, at)) return;
            int from = at + HOOK.length();
            int end = Chars.run(s, from, from + 200, c -> Chars.alnum(c) || c == '/');
            int slashes = 0;
            for (int i = from; i < end; i++) if (s.charAt(i) == '/') slashes++;
            if (slashes == 2 && s.charAt(from) == 'T' && end - from >= 30 && s.charAt(end - 1) != '/') hits.add(WEBHOOK, at, end);
            return;
        }
        int from = at;
        if (s.startsWith("xoxe.", at)) from = at + 5;
        if (from + 5 > s.length() || !s.startsWith("xox", from) || "abprse".indexOf(s.charAt(from + 3)) < 0 || s.charAt(from + 4) != '-') return;
        int body = from + 5;
        int end = Chars.run(s, body, body + 255, c -> Chars.alnum(c) || c == '-');
        while (end > body && s.charAt(end - 1) == '-') end--;
        int dashes = 0;
        int digits = 0;
        for (int i = body; i < end; i++) {
            char c = s.charAt(i);
            if (c == '-') dashes++;
            else if (Chars.digit(c)) digits++;
        }
        // real tokens carry numeric workspace/user ids between the dashes; prose like "xoxb-token-here" does not
        if (end - body >= 20 && dashes >= 1 && digits >= 8 && Chars.endBoundary(s, end)) hits.add(TYPE, at, end);
    }
}
