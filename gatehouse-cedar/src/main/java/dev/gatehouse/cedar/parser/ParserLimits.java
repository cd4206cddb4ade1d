package dev.gatehouse.cedar.parser;

/**
 * Bounds that turn hostile or runaway policy text into a clear {@link ParseException} instead of a
 * {@link StackOverflowError}, an out-of-memory condition or unbounded work.
 *
 * @param maxNestingDepth how deeply expressions may nest: parentheses, sets, records, {@code if},
 *                        call arguments, and each link of a {@code .attr} / {@code +} / {@code *}
 *                        chain. Cedar's generated conformance corpus needs 12; hand-written
 *                        policies rarely exceed 10.
 * @param maxTextLength   characters of policy text accepted in one parse
 * @param maxPolicies     policies accepted in one parse
 */
public record ParserLimits(int maxNestingDepth, int maxTextLength, int maxPolicies) {
    /** 64 levels of nesting, 16 Mi characters, 100,000 policies. */
    public static final ParserLimits DEFAULT = new ParserLimits(64, 16 * 1024 * 1024, 100_000);

    public ParserLimits {
        if (maxNestingDepth < 1 || maxTextLength < 1 || maxPolicies < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
