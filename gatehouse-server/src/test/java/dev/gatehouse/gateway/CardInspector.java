package dev.gatehouse.gateway;

import dev.gatehouse.inspection.Classification;
import dev.gatehouse.inspection.Finding;
import dev.gatehouse.inspection.InspectionResult;
import dev.gatehouse.inspection.Inspector;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A one-detector {@link Inspector} for the gateway's tests (payment cards, Luhn-checked), so the
 * taint scenario runs before the inspection package lands; the gateway only sees the interface.
 */
final class CardInspector implements Inspector {
    private static final Pattern CARD = Pattern.compile("\\b\\d(?:[ -]?\\d){12,18}\\b");

    @Override
    public InspectionResult inspect(String content, Set<Classification> labels) {
        return redact(content, labels).result();
    }

    @Override
    public Redaction redact(String content, Set<Classification> labels) {
        Matcher m = CARD.matcher(content);
        StringBuilder out = new StringBuilder();
        int count = 0;
        while (m.find()) {
            boolean card = luhn(m.group().replaceAll("[ -]", ""));
            if (card) count++;
            m.appendReplacement(out, card ? "[REDACTED:pii.payment_card]" : Matcher.quoteReplacement(m.group()));
        }
        m.appendTail(out);
        Classification highest = Classification.PUBLIC;
        for (Classification c : labels) highest = highest.max(c);
        if (count == 0) return new Redaction(content, new InspectionResult(highest, List.of()));
        return new Redaction(out.toString(), new InspectionResult(Classification.RESTRICTED,
                List.of(new Finding("pii.payment_card", Classification.RESTRICTED, count))));
    }

    private static boolean luhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        return sum % 10 == 0;
    }
}
