package dev.gatehouse.inspection.detectors;

import dev.gatehouse.inspection.Detector;
import dev.gatehouse.inspection.Hits;
import java.util.Set;

/**
 * Stripe secret and restricted keys ({@code sk_live_}, {@code sk_test_}, {@code rk_live_},
 * {@code rk_test_}, at least 24 letters and digits) and webhook signing secrets ({@code whsec_}).
 * Publishable keys ({@code pk_…}) are meant to be public and are not reported. Test-mode keys
 * are: they still read and write the account's test data.
 */
public final class StripeKeyDetector implements Detector {
    public static final String TYPE = "secret.stripe_key";
    private static final String[] PREFIXES = {"sk_live_", "sk_test_", "rk_live_", "rk_test_", "whsec_"};

    @Override public Set<String> types() { return Set.of(TYPE); }

    @Override public Trigger trigger() { return new Trigger("srw", true); }

    @Override
    public void detect(String s, int at, Hits hits) {
        for (String p : PREFIXES) {
            if (s.startsWith(p, at)) {
                int from = at + p.length();
                int end = Chars.run(s, from, from + 255, Chars::alnum);
                if (end - from >= 24 && Chars.endBoundary(s, end) && (end >= s.length() || s.charAt(end) != '_')) hits.add(TYPE, at, end);
                return;
            }
        }
    }
}
